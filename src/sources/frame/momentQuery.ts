/**
 * Sums of products of monomials per cell, in one GROUP BY:
 *
 *   for each distinct combination of the key variables (grouping levels and
 *   categorical cells) on the complete rows:
 *     n     = number of rows,
 *     S[a,b] = sum w m_a m_b   over the row monomials a and column monomials b
 *
 * (w the prior weights, 1 without). A monomial is a product of numeric
 * variables (designSpec.ts), or the response minus the offset (RESPONSE).
 * With `dropped`, incomplete rows are not filtered out but grouped apart
 * (by the keys and whether the row is complete), their keys returned NULL,
 * so that the same scan counts them; the guards' counts and a few totals
 * (`extras`) ride along.
 *
 * The query has one level, every variable's expression written where it is
 * used (sqlFrame.inline), and no CASE inside the sums. ClickHouse aggregates
 * a Distributed table on its shards only when the aggregate reads the table
 * itself (over a subquery all rows travel to the initiator). PostgreSQL
 * estimates a boolean grouping column at two values and hashes the groups in
 * parallel workers; a key written over every variable (CASE WHEN complete
 * THEN key END) it expects to have as many values as rows, and sorts them.
 */
import { MixedModelsError } from '../../errors.js';
import { deparse } from '../../formula/deparse.js';
import type { ResultColumns } from '../source.js';
import type { SqlFrame } from './sqlFrame.js';

/** The monomial key of y - offset. */
export const RESPONSE = '\u0000y';

export interface MomentSpec {
  /** Categorical variables (labels) to group by. */
  keys: readonly string[];
  rows: readonly string[];
  /** Column monomials; null for the symmetric product rows x rows (upper triangle). */
  cols: readonly string[] | null;
  /** Also the sums without the weights (when there are weights). */
  unweighted?: boolean;
  /** Count incomplete rows in the same scan (see the module comment). */
  dropped?: boolean;
  /** Extra aggregates over complete rows, by name: min, max or sum of SQL over the frame's aliases. */
  extras?: ReadonlyMap<string, { fn: 'min' | 'max' | 'sum'; sql: string }>;
}

export interface MomentRows {
  nrow: number;
  /** Per key variable: its value per result row (text or number). */
  keys: (Float64Array | (string | null)[])[];
  count: Float64Array;
  /** Per product (pairIndex): the weighted sums per result row. */
  sums: Float64Array[];
  unweighted: Float64Array[] | null;
  /** Sum of log weights per result row (zeros without weights). */
  logWeights: Float64Array;
  /** Extras per result row. */
  extras: Map<string, Float64Array>;
  /** Incomplete rows (with `dropped`). */
  dropped: number;
  /** Guard counts over all rows (with `dropped`). */
  guards: Float64Array;
}

/** Index of the product (a, b): a row x b column, or a <= b for symmetric products. */
export function pairIndex(spec: MomentSpec, a: number, b: number): number {
  if (spec.cols !== null) return a * spec.cols.length + b;
  const [r, c] = a <= b ? [a, b] : [b, a];
  return (c * (c + 1)) / 2 + r;
}

function pairs(spec: MomentSpec): [string, string][] {
  const out: [string, string][] = [];
  if (spec.cols !== null) {
    for (const a of spec.rows) for (const b of spec.cols) out.push([a, b]);
  } else {
    for (let c = 0; c < spec.rows.length; c++) for (let r = 0; r <= c; r++) out.push([spec.rows[r], spec.rows[c]]);
  }
  return out;
}

/** SQL of a monomial over the frame's aliases; '1' for the constant. */
export function monomialSql(frame: SqlFrame, key: string): string {
  if (key === '') return '1';
  return key.split('\u0001').map((f) => factorSql(frame, f)).join(' * ');
}

function factorSql(frame: SqlFrame, f: string): string {
  if (f === RESPONSE) return responseSql(frame);
  const hash = f.lastIndexOf('#');
  const direct = frame.alias.get(f);
  if (direct !== undefined) return direct[0];
  if (hash > 0) {
    const cols = frame.alias.get(f.slice(0, hash));
    if (cols !== undefined) return cols[Number(f.slice(hash + 1))];
  }
  throw new MixedModelsError(`internal error: no SQL for '${f}'`);
}

/** y - offset over the aliases (the LMM's response). */
export function responseSql(frame: SqlFrame): string {
  const y = frame.formula.response === null ? undefined : frame.alias.get(deparse(frame.formula.response));
  if (!y) throw new MixedModelsError('the formula has no response');
  return frame.offset === null ? y[0] : `(${y[0]} - (${frame.offset}))`;
}

function product(frame: SqlFrame, a: string, b: string, weighted: boolean): string {
  const parts = [a, b].filter((k) => k !== '').map((k) => `(${monomialSql(frame, k)})`);
  if (weighted && frame.weights !== null) parts.unshift(frame.weights);
  return parts.length === 0 ? '1' : parts.join(' * ');
}

/**
 * Whether the sum of a product is the count of its result row, and so not asked for: the
 * constant's square without weights (sum(1) beside count(*) cost ClickHouse about 10% of the
 * scan). Not when incomplete rows are counted in the same scan without keys (then the sums
 * run over the complete rows only and count(*) over all).
 */
function countedPairs(frame: SqlFrame, spec: MomentSpec): (a: string, b: string, weighted: boolean) => boolean {
  const countAll = spec.dropped === true && spec.keys.length === 0;
  return (a, b, weighted) => !countAll && product(frame, a, b, weighted) === '1';
}

/**
 * The query's SQL; `lean` (a screen with `dropped`, when frame.finiteScreen):
 * every row, grouped by the keys alone, without the complete-row flag and the
 * guards' counts, which the results then vouch for (all finite).
 */
function momentSql(frame: SqlFrame, spec: MomentSpec, lean = false): string {
  const d = frame.source.dialect;
  const keys = spec.keys.map((k) => {
    const a = frame.alias.get(k);
    if (!a) throw new MixedModelsError(`internal error: no key '${k}'`);
    return frame.inline(a[0]);
  });
  if (lean) spec = { ...spec, dropped: false };
  const dropped = spec.dropped === true;
  const complete = frame.inline(frame.complete);
  const agg = (fn: string, x: string) => `${fn}(${dropped && keys.length === 0 ? `CASE WHEN ${complete} THEN ${frame.inline(x)} END` : frame.inline(x)})`;
  const aggs = [`count(*) AS mm__n`];
  const counted = countedPairs(frame, spec);
  pairs(spec).forEach(([a, b], i) => {
    if (!counted(a, b, true)) aggs.push(`${agg('sum', product(frame, a, b, true))} AS mm__s${i}`);
  });
  if (spec.unweighted && frame.weights !== null) {
    pairs(spec).forEach(([a, b], i) => {
      if (!counted(a, b, false)) aggs.push(`${agg('sum', product(frame, a, b, false))} AS mm__u${i}`);
    });
  }
  if (frame.weights !== null) aggs.push(`${agg('sum', d.ln(frame.weights))} AS mm__lw`);
  [...(spec.extras?.values() ?? [])].forEach((x, i) => aggs.push(`${agg(x.fn, x.sql)} AS mm__e${i}`));
  if (dropped) frame.guards.forEach((g, i) => aggs.push(`${d.countWhere(g.condition)} AS mm__g${i}`));
  const out = keys.map((k, i) => `${dropped ? `CASE WHEN ${complete} THEN ${k} END` : k} AS mm__k${i}`);
  const groups = dropped && keys.length > 0 ? [...keys, `(${complete})`] : keys;
  const where = dropped || lean ? '' : ` WHERE ${complete}`;
  const groupBy = groups.length === 0 ? '' : ` GROUP BY ${groups.join(', ')}`;
  return `SELECT ${[...out, ...aggs].join(', ')} FROM ${frame.source.relation}${where}${groupBy}`;
}

/**
 * Runs the query; rows with all keys NULL (the incomplete rows, with `dropped`) are taken out and counted.
 *
 * A screen (`dropped`) over a frame whose rows can be incomplete or guarded only
 * through non-finite values (frame.finiteScreen) runs lean first: when every
 * key, count and sum comes back finite, no row had a missing or infinite
 * value (a NaN or an infinity in any variable makes every sum it enters
 * non-finite, and a missing key a NULL or NaN key), so the lean rows are the
 * complete rows' and nothing was dropped or guarded. Otherwise the full screen runs.
 */
export async function momentRows(frame: SqlFrame, spec: MomentSpec, scans: number): Promise<MomentRows> {
  if (spec.dropped === true && frame.finiteScreen) {
    const lean = await frame.source.query(momentSql(frame, spec, true), { scans });
    if (allFinite(lean)) return readRows(frame, { ...spec, dropped: false }, lean);
  }
  return readRows(frame, spec, await frame.source.query(momentSql(frame, spec), { scans }));
}

/** Every value of every column finite (numbers) or present (text). */
function allFinite(res: ResultColumns): boolean {
  return res.columns.every((c) => (c instanceof Float64Array ? c.every((v) => Number.isFinite(v)) : c.every((v) => v !== null)));
}

function readRows(frame: SqlFrame, spec: MomentSpec, res: ResultColumns): MomentRows {
  const nk = spec.keys.length, np = pairs(spec).length, nx = spec.extras?.size ?? 0;
  const col = (name: string) => res.columns[res.names.indexOf(name)] as Float64Array;
  const count = col('mm__n');
  const keep: number[] = [];
  let dropped = 0;
  const guards = new Float64Array(frame.guards.length);
  if (spec.dropped) {
    frame.guards.forEach((_, i) => {
      const g = col(`mm__g${i}`);
      for (let r = 0; r < res.nrow; r++) guards[i] += g[r];
    });
  }
  const keyColumns = res.columns.slice(0, nk);
  const missing = (v: number | string | null): boolean => v === null || Number.isNaN(v as number);
  for (let r = 0; r < res.nrow; r++) {
    const isDropped = spec.dropped === true && nk > 0 && keyColumns.every((c) => missing(c[r]));
    if (isDropped) dropped += count[r];
    else keep.push(r);
  }
  // Without dropped rows the result's columns are used as they are.
  const all = keep.length === res.nrow;
  const pick = (a: Float64Array): Float64Array => {
    if (all) return a;
    const out = new Float64Array(keep.length);
    for (let e = 0; e < out.length; e++) out[e] = a[keep[e]];
    return out;
  };
  const pickAny = (a: Float64Array | (string | null)[]) => (a instanceof Float64Array ? pick(a) : all ? a : keep.map((r) => a[r]));
  const counted = countedPairs(frame, spec);
  const products = pairs(spec);
  const sumOf = (prefix: string, weighted: boolean) => (i: number) => counted(products[i][0], products[i][1], weighted) ? pick(count).slice() : pick(col(`${prefix}${i}`));
  const weighted = Array.from({ length: np }, (_, i) => sumOf('mm__s', true)(i));
  const hasU = spec.unweighted && frame.weights !== null;
  return {
    nrow: keep.length,
    keys: Array.from({ length: nk }, (_, i) => pickAny(res.columns[i])),
    count: pick(count),
    sums: weighted,
    unweighted: hasU ? Array.from({ length: np }, (_, i) => sumOf('mm__u', false)(i)) : null,
    logWeights: frame.weights !== null ? pick(col('mm__lw')) : new Float64Array(keep.length),
    extras: new Map([...(spec.extras?.keys() ?? [])].slice(0, nx).map((name, i) => [name, pick(col(`mm__e${i}`))])),
    dropped,
    guards,
  };
}
