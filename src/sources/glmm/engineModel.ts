/**
 * A GLMM with one scalar random-effects term, set up for PIRLS in the engine:
 * the model's sums are taken as for an LMM (lmmSums: levels, design with R's
 * aliasing, lme4's checks, the frame's moments), then each row is written as
 * SQL once (rowsSql): the group's key, the fixed-effects columns x_j, the
 * term's column z, the response as PIRLS sees it (y a proportion and pw the
 * trials for cbind(s, f); y and pw = 1 otherwise), the offset, and the
 * saturated term s of the deviance; startEta is the GLM's starting eta
 * (glmm/glmer.ts stage1: the family's initMu).
 */
import { MixedModelsError } from '../../errors.js';
import { deparse } from '../../formula/deparse.js';
import { columnSql } from '../frame/columnSql.js';
import type { SqlFrame } from '../frame/sqlFrame.js';
import type { LmmSums } from '../lmm/lmmSums.js';

export interface EngineModel {
  sql: SqlFrame;
  family: 'binomial' | 'poisson';
  p: number;
  /** Number of groups (levels). */
  levels: number;
  /** The key of each level as the engine returned it, and the key column's type. */
  keys: readonly string[] | Float64Array;
  keyType: string;
  levelOf(key: number | string | null): number;
  /** SELECT mm__key, mm__x0.., mm__z, mm__y, mm__pw, mm__o, mm__s over the complete rows. */
  rowsSql: string;
  /** The starting eta over rowsSql's columns. */
  startEta: string;
  /** Rows of the relation (scanned by every pass). */
  total: number;
}

/** y and pw as PIRLS sees them, over the frame's aliases. */
function response(sql: SqlFrame): { y: string; pw: string; cbind: boolean } {
  const label = deparse(sql.formula.response!);
  const v = sql.variables.get(label)!;
  const a = sql.alias.get(label)!;
  if (v.kind === 'matrix') {
    if (a.length !== 2) throw new MixedModelsError(`a matrix response must have two columns, successes and failures; '${label}' has ${a.length}`);
    const n = `(${a[0]} + ${a[1]})`;
    return { y: `CASE WHEN ${n} > 0 THEN ${a[0]} / ${n} ELSE 0 END`, pw: n, cbind: true };
  }
  if (v.kind !== 'numeric') throw new MixedModelsError(`internal error: the in-engine fit needs a numeric response, not '${label}'`);
  return { y: a[0], pw: '1', cbind: false };
}

export function engineModel(sums: LmmSums, family: 'binomial' | 'poisson'): EngineModel {
  const { sql, X, blockColumns, blockGroups, coders, groups, total } = sums.design;
  const d = sql.source.dialect;
  const g = blockGroups[0], level = groups.get(g.label)!, coder = coders.get(g.vars[0])!;
  const v = sql.variables.get(g.vars[0])!;
  const column = v.kind === 'categorical' ? v.column : g.vars[0];
  const info = sql.columns.get(column);
  if (info === undefined) throw new MixedModelsError(`internal error: no column for the group '${g.label}'`);
  const keyValues = level.levels.map((_, l) => coder.keys[level.codes(l)[0]]);
  const keys = typeof keyValues[0] === 'number' ? Float64Array.from(keyValues as number[]) : (keyValues as string[]);
  const index = new Map<number | string, number>(keyValues.map((k, l) => [k, l]));
  const { y, pw, cbind } = response(sql);
  const ln = (x: string) => d.ln(x);
  const s = family === 'binomial'
    ? `CASE WHEN mm__y > 0 AND mm__y < 1 THEN mm__y * ${ln('mm__y')} + (1 - mm__y) * ${ln('1 - mm__y')} ELSE 0 END`
    : `CASE WHEN mm__y > 0 THEN mm__y * ${ln('mm__y')} - mm__y ELSE 0 END`;
  const xs = X.map((c, j) => `${columnSql(sql, c, coders)} AS mm__x${j}`);
  const z = columnSql(sql, blockColumns[0][0], coders);
  const keySelect = v.kind === 'categorical' && v.numeric ? d.double(d.ident(column)) : d.ident(column);
  const base = `SELECT ${keySelect} AS mm__key, ${xs.join(', ')}${xs.length ? ', ' : ''}${z} AS mm__z, ${y} AS mm__y, ${pw} AS mm__pw, ${sql.offset ?? '0'} AS mm__o ` +
    `FROM (${sql.select([d.ident(column)])}${d.fence}) AS d WHERE ${sql.complete}`;
  const rowsSql = `SELECT *, ${s} AS mm__s FROM (${base}${d.fence}) AS b`;
  const m = cbind ? 'mm__pw' : '1';
  const startEta = family === 'binomial'
    ? ln(`((${m}) * mm__y + 0.5) / ((${m}) + 1) / (1 - ((${m}) * mm__y + 0.5) / ((${m}) + 1))`)
    : ln('mm__y + 0.1');
  return {
    sql,
    family,
    p: X.length,
    levels: level.levels.length,
    keys,
    keyType: keySelect === d.ident(column) ? info.sqlType : d.doubleType,
    levelOf: (key) => index.get(key as number | string) ?? -1,
    rowsSql,
    startEta,
    total,
  };
}
