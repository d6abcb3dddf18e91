/**
 * A GLMM's data collapsed in the engine: GROUP BY every column the model uses,
 * over the complete rows, with the number of rows in each group. For the
 * binomial (0/1, two-level or cbind response) and Poisson families, m identical
 * rows are one row with prior weight m exactly: the log-likelihood, its
 * constants (R's binomial and Poisson aic) and the deviance are sums over rows
 * of terms proportional to the prior weight (glmm/aggregate.ts makes the same
 * argument for rows that share everything but the response). Incomplete rows
 * are counted in the same scan, as one group of NULL keys.
 */
import type { Column, DataTable } from '../../data/types.js';
import { MixedModelsError } from '../../errors.js';
import type { SqlFrame } from '../frame/sqlFrame.js';
import { selectExpression } from '../readRelation.js';

export interface Collapsed {
  /** The distinct complete rows of the model's columns. */
  table: DataTable;
  /** How many rows each stands for. */
  counts: Float64Array;
  /** Complete rows (sum of counts) and incomplete ones. */
  nobs: number;
  dropped: number;
}

export async function collapsedRows(sql: SqlFrame, names: readonly string[]): Promise<Collapsed> {
  const cols = names.map((n) => sql.columns.get(n)!);
  const d = sql.source.dialect;
  const raw = cols.map((c) => selectExpression(d, c));
  // One level over the relation (as momentQuery.ts's sums, so that ClickHouse aggregates a
  // Distributed table on its shards): grouped by the columns and whether the row is complete.
  const complete = sql.inline(sql.complete);
  const keys = raw.map((r) => `CASE WHEN ${complete} THEN ${r} END`);
  const select = [...keys.map((k, i) => `${k} AS mm__k${i}`), 'count(*) AS mm__n', ...sql.guards.map((g, i) => `${d.countWhere(g.condition)} AS mm__g${i}`)];
  const res = await sql.source.query(`SELECT ${select.join(', ')} FROM ${sql.source.relation} GROUP BY ${[...raw, `(${complete})`].join(', ')}`);
  const n = res.columns[cols.length] as Float64Array;
  const guards = sql.guards.map((_, i) => (res.columns[cols.length + 1 + i] as Float64Array).reduce((a, b) => a + b, 0));
  guards.forEach((count, i) => {
    if (count > 0) throw new MixedModelsError(`${sql.guards[i].message} (${count} row${count === 1 ? '' : 's'})`);
  });
  const keep: number[] = [];
  let dropped = 0, nobs = 0;
  for (let r = 0; r < res.nrow; r++) {
    const allNull = cols.every((_, i) => {
      const v = res.columns[i][r];
      return v === null || (typeof v === 'number' && Number.isNaN(v));
    });
    if (allNull && cols.length > 0) dropped += n[r];
    else {
      keep.push(r);
      nobs += n[r];
    }
  }
  sql.source.stats.rowsScanned += nobs + dropped;
  const columns = new Map<string, Column>();
  cols.forEach((c, i) => {
    const v = res.columns[i];
    columns.set(c.name, v instanceof Float64Array ? { kind: 'numeric', values: Float64Array.from(keep, (r) => v[r]) } : { kind: 'categorical', values: keep.map((r) => v[r]) });
  });
  return { table: { names: [...names], nrow: keep.length, columns }, counts: Float64Array.from(keep, (r) => n[r]), nobs, dropped };
}
