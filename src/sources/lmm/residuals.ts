/**
 * The LMM's residual summary (min, quartiles, max of y - X beta - Z b, R's
 * type 7, as summary() prints them scaled by sigma) in one more pass over the
 * rows in the engine: the conditional modes b of each grouping factor travel
 * as a small attached table joined on the group's column, the quantiles come
 * back. Only for grouping factors that are single columns (the join needs
 * one); otherwise there is no summary (the text output says so).
 */
import type { LmmFit } from '../../lmm/types.js';
import { columnSql, linearSql } from '../frame/columnSql.js';
import { responseSql } from '../frame/momentQuery.js';
import type { AttachedTable } from '../source.js';
import type { LmmSums } from './lmmSums.js';

const PROBS = [0, 0.25, 0.5, 0.75, 1];

/**
 * The column a single-variable grouping factor can be joined on, or null (also
 * for ids beyond 2^53, whose keys came back as doubles that may not equal them).
 */
function joinColumn(sums: LmmSums, j: number): string | null {
  const { sql, blockGroups, coders } = sums.design;
  const g = blockGroups[j];
  if (g.vars.length !== 1) return null;
  if (coders.get(g.vars[0])!.keys.some((k) => typeof k === 'number' && Math.abs(k) > Number.MAX_SAFE_INTEGER)) return null;
  const v = sql.variables.get(g.vars[0])!;
  const column = v.kind === 'categorical' ? v.column : g.vars[0];
  return sql.columns.has(column) ? column : null;
}

export async function lmmResidualQuantiles(sums: LmmSums, fit: LmmFit): Promise<Float64Array | undefined> {
  const { sql, X, blockColumns, blockGroups, coders, groups } = sums.design;
  const cols = blockGroups.map((_, j) => joinColumn(sums, j));
  if (cols.some((c) => c === null)) return undefined;
  const d = sql.source.dialect;
  const attached: AttachedTable[] = blockGroups.map((g, j) => {
    const level = groups.get(g.label)!, coder = coders.get(g.vars[0])!, info = sql.columns.get(cols[j]!)!;
    const keys = level.levels.map((_, l) => coder.keys[level.codes(l)[0]]);
    const k = blockColumns[j].length, b = fit.ranef[j].values;
    const key = typeof keys[0] === 'number' ? Float64Array.from(keys as number[]) : (keys as string[]);
    return {
      name: `mm_b${j}`,
      columns: [{ name: cols[j]!, sqlType: info.sqlType }, ...Array.from({ length: k }, (_, c) => ({ name: `mm_b${j}_${c}`, sqlType: d.doubleType }))],
      values: [key, ...Array.from({ length: k }, (_, c) => Float64Array.from(level.levels, (_, l) => b[l * k + c]))],
    };
  });
  const raw = [...new Set(cols as string[])].map((c) => d.ident(c));
  const carried = [...[...sql.alias.values()].flat(), ...(sql.weights ? [sql.weights] : []), ...raw];
  let rel = `(SELECT * FROM (${sql.select(raw)}) AS d WHERE ${sql.complete})`;
  attached.forEach((t, j) => {
    const bcols = t.columns.slice(1).map((c) => c.name);
    rel = `(SELECT ${[...carried, ...bcols].join(', ')} FROM ${d.joinAttached(rel, `mm__j${j}`, t.name, d.ident(cols[j]!))})`;
    carried.push(...bcols);
  });
  const random = blockColumns.flatMap((bc, j) => bc.map((c, k) => `mm_b${j}_${k} * ${columnSql(sql, c, coders)}`));
  const residual = `${responseSql(sql)} - (${linearSql(sql, X, fit.beta, coders)}) - (${random.join(' + ')})`;
  const q = d.quantiles(`mm__r`, PROBS, fit.nobs);
  const res = await sql.source.query(`SELECT ${q.sql.map((s, i) => `${s} AS mm__q${i}`).join(', ')} FROM (SELECT ${residual} AS mm__r FROM ${rel} AS mm__d) AS mm__e`, { attached, scans: sums.design.total });
  return Float64Array.from(q.combine(res.columns.map((c) => (c as Float64Array)[0])));
}
