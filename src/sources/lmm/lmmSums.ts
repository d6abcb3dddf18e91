/**
 * The blocks of A = [Z X y]' W [Z X y] (lmm/blocks.ts) computed where the data
 * live: one GROUP BY per grouping factor and one per pair of factors, whose
 * rows (sums of products of monomials per level and cell, momentQuery.ts)
 * are folded into exactly the blocks formBlocks would give:
 *
 *   A_jj[l]        = sum over factor j's rows of level l of  z z'
 *   A_Tj[., l]     = sum over those rows of [x; y] z'
 *   A_TT           = sum over all rows of [x; y][x; y]'      (the first factor's query, all levels)
 *   A_ij[a, b]     = sum over the rows with level a of i and b of j of z_i z_j'
 *
 * (every sum weighted by the prior weights, y minus the offset). The first
 * factor's query also counts the incomplete rows, the guards, the range of y
 * and, with weights, the unweighted sums the frame's moments need. Levels,
 * the design (with R's aliasing) and lme4's term order are decided from these
 * results, as the in-memory frame decides them from the rows.
 */
import { MixedModelsError } from '../../errors.js';
import type { ModelFrame, ReTerm } from '../../frame/types.js';
import { lme4Order } from '../../frame/reTerms.js';
import { deparse } from '../../formula/deparse.js';
import type { ContrastsOption } from '../../frame/contrasts.js';
import { termName, type BlockDiagonal, type FactorBlock, type LmmBlocks, type SparseBlock } from '../../lmm/index.js';
import { aliasedFromGram } from '../frame/aliasedGram.js';
import { leastSquaresOf } from '../../lmm/conditioning/responseShift.js';
import { notNumericResponseError, twoColumnResponseError } from '../../frame/response.js';
import { unexplainedShares } from '../../lmm/conditioning/precisionLoss.js';
import { linearSql } from '../frame/columnSql.js';
import { Cells, crossColumn, ONE_COLUMN, RESPONSE_COLUMN, type CrossColumn } from '../frame/cells.js';
import { designSpec, type ColumnSpec } from '../frame/designSpec.js';
import { levelCoder, type LevelCoder } from '../frame/levels.js';
import { momentRows, pairIndex, RESPONSE, type MomentRows, type MomentSpec } from '../frame/momentQuery.js';
import { cellVariables, groupFactors, listMonomials, termsOf, unique, type GroupFactor } from '../frame/modelTerms.js';
import type { SqlFrame } from '../frame/sqlFrame.js';
import { checkTermLevels, groupLevels, numericGroupingMessages, type GroupLevels } from '../frame/groupLevels.js';

export interface SumsOptions {
  contrasts?: ContrastsOption;
  reference?: Readonly<Record<string, string>>;
  /** GLMMs allow as many levels as observations (lme4's glmer checks). */
  allowNLevels?: boolean;
}

export interface LmmSums {
  frame: ModelFrame;
  factors: FactorBlock[];
  A: LmmBlocks;
  /** Everything needed to write the model in SQL again (residuals). */
  design: SumsDesign;
}

export interface SumsDesign {
  sql: SqlFrame;
  X: ColumnSpec[];
  /** Per factor block: its columns (terms side by side) and grouping factor. */
  blockColumns: ColumnSpec[][];
  blockGroups: GroupFactor[];
  coders: Map<string, LevelCoder>;
  groups: Map<string, GroupLevels>;
  /** Total rows of the relation. */
  total: number;
}

interface Query {
  group: GroupFactor;
  spec: MomentSpec;
  rows: MomentRows;
}

/** The guards, the complete-row count and the weights, as the in-memory frame reports them. */
function checkScreen(sql: SqlFrame, first: Query, n: number): void {
  const rows = first.rows;
  rows.guards.forEach((count, i) => {
    if (count > 0) throw new MixedModelsError(`${sql.guards[i].message} (${count} row${count === 1 ? '' : 's'})`);
  });
  if (n === 0) {
    const total = rows.dropped;
    const names = [...sql.variables.keys()].join(', ');
    throw new MixedModelsError(total === 0 ? 'the data have no rows' : `no rows left: each of the ${total} rows has a missing value in ${names}`);
  }
  const wmin = rows.extras.get('wmin');
  if (wmin !== undefined && least(wmin) <= 0) throw new MixedModelsError(`weights must be positive and finite (some rows have ${least(wmin)})`);
}

/**
 * A constant response is refused as in memory. Unless the first sums showed
 * variation for certain (`varies`), min(y) and max(y) decide: from the first
 * query's extras (offset or weights), from the shifted sums' query (which
 * carries them: its frame has an offset), or from one more query.
 */
async function checkVaries(sql: SqlFrame, first: Query, varies: boolean, responseName: string): Promise<void> {
  if (varies) return;
  const extras = first.rows.extras;
  const range = extras.has('ymin') ? extras : (await momentRows(sql, { keys: [], rows: [''], cols: null, extras: yRange(sql) }, 0)).extras;
  const ymin = least(range.get('ymin')!), ymax = -least(range.get('ymax')!.map((v) => -v));
  if (ymin === ymax) throw new MixedModelsError(`the response '${responseName}' is constant (every value is ${ymin}): a mixed model needs variation in the response`);
}

/** min(y) and max(y) over the complete rows, as query extras. */
function yRange(sql: SqlFrame): Map<string, { fn: 'min' | 'max'; sql: string }> {
  const y = sql.alias.get(deparse(sql.formula.response!))![0];
  return new Map([['ymin', { fn: 'min', sql: y }], ['ymax', { fn: 'max', sql: y }]]);
}

/**
 * Whether y varies for certain, from the first query's sums (no offset and
 * no weights: its response sums are those of y): D = S_yy - S_y^2 / n is 0
 * for a constant y up to rounding, at most a few n eps S_yy; D above
 * SPREAD S_yy is variation (16 n eps below SPREAD: n under 5e8 rows).
 * False when the sums cannot tell: then min(y) and max(y) decide (one more query).
 */
function variesForSure(first: Query, n: number): boolean {
  const { spec, rows } = first;
  const one = spec.rows.indexOf(''), y = spec.rows.indexOf(RESPONSE);
  if (one < 0 || y < 0 || 16 * n * Number.EPSILON >= SPREAD) return false;
  const sy = sumOf(rows.sums[pairIndex(spec, one, y)]), syy = sumOf(rows.sums[pairIndex(spec, y, y)]);
  return syy - (sy * sy) / n > SPREAD * syy;
}

/** Relative spread of the response's sum of squares above which it varies (variesForSure). */
const SPREAD = 1e-6;

function sumOf(x: Float64Array): number {
  let s = 0;
  for (let e = 0; e < x.length; e++) s += x[e];
  return s;
}

/**
 * The response's sums lose about log10(y'Wy / r'Wr) digits to cancellation
 * (r: the residuals of y's least-squares fit on X), every digit for a
 * response far from 0 relative to its spread (y + 1e10), and r^2 in the
 * factor loses about log10(1 / rho^2) more when a column of X is nearly a
 * combination of the others (a predictor far from 0: lmm/conditioning/precisionLoss.ts;
 * x = 1e4 + u: logLik off by 7e-5 without the shift, by 2e-8 to 1.1e-6 with it (DuckDB sums in a varying order); in
 * memory, where such columns are replaced (lmm/conditioning/centring.ts), 5e-11). Beyond LOST_DIGITS (LOST_X_DIGITS),
 * the sums are taken again of y~ = y - offset - X c, c the least-squares
 * coefficients from the first sums, formed row by row in the engine before
 * the sums (lmm/conditioning/responseShift.ts: beta = beta~ + c exactly); the residuals'
 * few lost digits no longer matter. Returns c and the offset SQL that
 * subtracts X c as well, or null when the sums keep enough digits (or X'WX is
 * singular). `xy`: [X y]'W[X y] from the first sums (A_TT, which the fit
 * reuses when there is no shift). Costs one more pass, only for such responses and designs.
 */
function responseShift(sql: SqlFrame, xy: Float64Array, coders: Map<string, LevelCoder>, X: ColumnSpec[]): { c: Float64Array; offset: string } | null {
  const p = X.length, P = p + 1;
  const c = leastSquaresOf(xy, p);
  if (c === null) return null;
  let explained = 0;
  for (let t = 0; t < p; t++) explained += c[t] * xy[p + t * P];
  const yy = xy[p + p * P], rss = yy - explained;
  if (rss > LOST_DIGITS * yy && !(Math.min(...(unexplainedShares(xy, p) ?? [1])) < LOST_X_DIGITS)) return null;
  const fit = linearSql(sql, X, c, coders);
  return { c, offset: sql.offset === null ? fit : `(${sql.offset}) + ${fit}` };
}

/** Relative size of the residual sum of squares below which the response's sums are taken again (responseShift). */
const LOST_DIGITS = 1e-4;
/**
 * Least rho^2 of X's columns below which they are taken again: above it the
 * loss stays near 1e-8 of the criterion (x = 1e3 + u, rho^2 4e-8: 5e-9), so a
 * predictor like a year (rho^2 ~ 1e-5) costs no second pass.
 */
const LOST_X_DIGITS = 1e-8;

/** The smallest value (NaN if any is NaN, as Math.min), by a loop: a spread of many values is slow. */
function least(x: Float64Array): number {
  let m = Infinity;
  for (let e = 0; e < x.length; e++) {
    if (Number.isNaN(x[e])) return NaN;
    if (x[e] < m) m = x[e];
  }
  return m;
}

/** The factor-level queries: the first also screens (see the module comment). */
async function factorQueries(sql: SqlFrame, groups: GroupFactor[], monos: { X: string[]; Z: Map<string, string[]> }, cells: { X: string[]; Z: Map<string, string[]> }): Promise<Query[]> {
  const out: Query[] = [];
  let total = 0;
  for (const [i, g] of groups.entries()) {
    const first = i === 0;
    const keys = unique(g.vars, cells.X, first ? [...cells.Z.values()].flat() : cells.Z.get(g.label)!);
    const rows = unique([''], monos.X, [RESPONSE], first ? [...monos.Z.values()].flat() : monos.Z.get(g.label)!);
    const extras = new Map<string, { fn: 'min' | 'max' | 'sum'; sql: string }>();
    // The range of y only where the sums cannot tell a constant y (checkVaries): with an offset or weights.
    if (first && (sql.offset !== null || sql.weights !== null)) for (const [name, x] of yRange(sql)) extras.set(name, x);
    if (first && sql.weights !== null) extras.set('wmin', { fn: 'min', sql: sql.weights });
    const spec: MomentSpec = { keys, rows, cols: null, unweighted: first, dropped: first, extras };
    const res = await momentRows(sql, spec, total);
    if (first) {
      total = res.dropped + res.count.reduce((a, b) => a + b, 0);
      sql.source.stats.rowsScanned += total;
    }
    out.push({ group: g, spec, rows: res });
  }
  return out;
}

/** Levels of every categorical cell variable, from the first (all-cells) query. */
function cellCoders(sql: SqlFrame, q: Query, cells: readonly string[], reference: SumsOptions['reference']): Map<string, LevelCoder> {
  const coders = new Map<string, LevelCoder>();
  for (const label of cells) coders.set(label, coderFor(sql, q, label, reference));
  return coders;
}

function coderFor(sql: SqlFrame, q: Query, label: string, reference: SumsOptions['reference']): LevelCoder {
  const v = sql.variables.get(label)!;
  const k = q.spec.keys.indexOf(label);
  const column = v.kind === 'categorical' ? v.column : label;
  const ref = v.kind === 'categorical' && reference?.[column] !== undefined ? { level: reference[column], column } : undefined;
  return levelCoder(label, q.rows.keys[k] as Iterable<number | string | null>, ref);
}

/** X'X (unweighted when available), y's products and the design's aliasing, from the first query. */
function fixedDesign(sql: SqlFrame, q: Query, coders: Map<string, LevelCoder>, options: SumsOptions) {
  const levels = new Map([...coders].map(([k, c]) => [k, c.levels]));
  const full = designSpec(sql.formula.fixed, sql.variables, levels, options.contrasts);
  const cols = full.columns.map(crossColumn), p = cols.length;
  const G = symmetricSums(new Cells(q.rows, q.spec, coders), cols, true);
  const drop = aliasedFromGram(G, p);
  const keep = full.columns.map((_, j) => j).filter((j) => !drop[j]);
  return {
    X: keep.map((j) => full.columns[j]),
    assign: Int32Array.from(keep, (j) => full.assign[j]),
    aliased: full.columns.filter((_, j) => drop[j]).map((c) => c.name),
  };
}

/**
 * sum over the result rows of coef_a coef_b S[a, b] for a <= b (each product once, as
 * the query has it), mirrored onto the lower triangle: cols.length square.
 */
function symmetricSums(cells: Cells, cols: readonly CrossColumn[], unweighted = false): Float64Array {
  const k = cols.length, out = new Float64Array(k * k);
  for (let b = 0; b < k; b++) {
    const sums = cells.crossSums(cols.slice(0, b + 1), [cols[b]], { unweighted });
    for (let a = 0; a <= b; a++) out[a + b * k] = out[b + a * k] = sums[a];
  }
  return out;
}

/** Sums of all rows: A_TT (or `xx`, already formed from the same query) and the moments (unweighted X'X, X'1, per-term Z'Z). */
function globalSums(q: Query, coders: Map<string, LevelCoder>, X: CrossColumn[], terms: CrossColumn[][], xx?: Float64Array) {
  const cells = new Cells(q.rows, q.spec, coders);
  let ldW = 0;
  for (let r = 0; r < cells.nrow; r++) ldW += q.rows.logWeights[r];
  return {
    xx: xx ?? symmetricSums(cells, [...X, RESPONSE_COLUMN]),
    xtx: symmetricSums(cells, X, true),
    xsum: cells.crossSums(X, [ONE_COLUMN], { unweighted: true }),
    ztz: terms.map((z) => symmetricSums(cells, z, true)),
    response: symmetricSums(cells, [ONE_COLUMN, RESPONSE_COLUMN]),
    ldW,
  };
}

/** A_jj and A_Tj of one factor block from its query. */
function factorSums(q: Query, coders: Map<string, LevelCoder>, level: GroupLevels, Z: CrossColumn[], X: CrossColumn[]): { diag: BlockDiagonal; xz: Float64Array } {
  const k = Z.length, nl = level.levels.length, T = [...X, RESPONSE_COLUMN], P = T.length;
  const cells = new Cells(q.rows, q.spec, coders), at = level.indices(cells);
  const diag = cells.crossSums(Z, Z, { level: at, out: new Float64Array(nl * k * k) });
  // A_Tj's column for level l and Z column c is xz[(l k + c) P + t]: the P x k block of level l.
  const xz = cells.crossSums(T, Z, { level: at, out: new Float64Array(P * nl * k) });
  return { diag: { kind: 'blockdiag', nl, k, values: diag }, xz };
}

/** A_ij (i > j): one query grouped by both factors' levels; rows of the same level pair (different cells) are added up. */
async function pairSums(sql: SqlFrame, coders: Map<string, LevelCoder>, bi: Block, bj: Block, total: number): Promise<SparseBlock> {
  const keys = unique(bi.group.vars, bj.group.vars, bi.cells, bj.cells);
  const spec: MomentSpec = { keys, rows: unique(bi.Z.map((z) => z.monomial)), cols: unique(bj.Z.map((z) => z.monomial)) };
  const rows = await momentRows(sql, spec, total);
  const ki = bi.Z.length, kj = bj.Z.length, size = ki * kj, n = rows.nrow;
  const nlRow = bi.level.levels.length, nlCol = bj.level.levels.length;
  const cells = new Cells(rows, spec, coders), rowLevel = bi.level.indices(cells), colLevel = bj.level.indices(cells);
  const key = new Float64Array(n);
  for (let r = 0; r < n; r++) key[r] = colLevel[r] * nlRow + rowLevel[r];
  // Each result row its own block (level r), then rows of the same level pair are added below.
  const block = cells.crossSums(bi.Z, bj.Z, { level: Int32Array.from({ length: n }, (_, r) => r), out: new Float64Array(n * size) });
  const order = Int32Array.from({ length: n }, (_, r) => r).sort((a, b) => key[a] - key[b]);
  let nnz = 0;
  for (let t = 0; t < n; t++) if (t === 0 || key[order[t]] !== key[order[t - 1]]) nnz++;
  const colptr = new Int32Array(nlCol + 1), rowidx = new Int32Array(nnz), values = new Float64Array(nnz * size);
  for (let t = 0, e = -1; t < n; t++) {
    const r = order[t], k = key[r];
    if (t === 0 || k !== key[order[t - 1]]) {
      e++;
      const b = Math.floor(k / nlRow);
      colptr[b + 1]++;
      rowidx[e] = k - b * nlRow;
    }
    for (let v = 0; v < size; v++) values[e * size + v] += block[r * size + v];
  }
  for (let b = 0; b < nlCol; b++) colptr[b + 1] += colptr[b];
  return { kind: 'sparse', nlRow, nlCol, kRow: ki, kCol: kj, colptr, rowidx, values };
}

interface Block {
  group: GroupFactor;
  level: GroupLevels;
  Z: CrossColumn[];
  specs: ColumnSpec[];
  cells: string[];
  query: Query;
  terms: { index: number; term: ReTerm }[];
}

/** The response of an LMM is one numeric column, as in memory (frame/response.ts): said before any query (lmerSource.ts; a GLMM's start reads its sums too). */
export function checkLmmResponse(sql: SqlFrame): void {
  const label = deparse(sql.formula.response!), v = sql.variables.get(label);
  if (v?.kind === 'matrix') throw twoColumnResponseError(label);
  if (v?.kind === 'categorical') throw notNumericResponseError(label);
}

export async function lmmSums(sql: SqlFrame, options: SumsOptions = {}): Promise<LmmSums> {
  const groups = groupFactors(sql);
  const fixedCells = cellVariables(sql.formula.fixed, sql.variables);
  const termCells = new Map(groups.map((g) => [g.label, unique(...termsOf(sql, g.label).map((t) => cellVariables(t.lhs, sql.variables)))]));
  const monos = {
    X: listMonomials(sql.formula.fixed, sql.variables),
    Z: new Map(groups.map((g) => [g.label, unique(...termsOf(sql, g.label).map((t) => listMonomials(t.lhs, sql.variables)))])),
  };
  let queries = await factorQueries(sql, groups, monos, { X: fixedCells, Z: termCells });
  const n = queries[0].rows.count.reduce((a, b) => a + b, 0);
  const total = n + queries[0].rows.dropped;
  const responseName = deparse(sql.formula.response!);
  checkScreen(sql, queries[0], n);
  const varies = !queries[0].rows.extras.has('ymin') && variesForSure(queries[0], n);
  const coders = cellCoders(sql, queries[0], unique(fixedCells, ...termCells.values()), options.reference);
  const fixed = fixedDesign(sql, queries[0], coders, options);
  const X = fixed.X.map(crossColumn), p = X.length;
  if (n <= p) throw new MixedModelsError(`${n} observations are too few for ${p} fixed effects`);
  const xy = symmetricSums(new Cells(queries[0].rows, queries[0].spec, coders), [...X, RESPONSE_COLUMN]);
  const shift = responseShift(sql, xy, coders, fixed.X);
  if (shift !== null) queries = await factorQueries({ ...sql, offset: shift.offset }, groups, monos, { X: fixedCells, Z: termCells });
  await checkVaries(sql, queries[0], varies, responseName);
  const first = queries[0];
  const levelsMap = new Map([...coders].map(([k, c]) => [k, c.levels]));
  const groupLevel = new Map(queries.map((q) => [q.group.label, groupLevels(sql, q.group, q.rows, q.spec, coders, options.reference)]));
  const terms = sql.formula.random.map((r) => {
    const spec = designSpec(r.lhs, sql.variables, levelsMap, options.contrasts);
    const lv = groupLevel.get(r.groupLabel)!;
    const term: ReTerm = { group: r.groupLabel, levels: lv.levels, refs: new Int32Array(0), cnames: spec.columns.map((c) => c.name), k: spec.columns.length, z: new Float64Array(0) };
    return { term, spec: spec.columns };
  });
  const order = lme4Order(terms.map((t) => t.term.levels.length));
  const reTerms = order.map((i) => terms[i].term);
  for (const t of reTerms) checkTermLevels(t, n, options.allowNLevels ?? false);
  const blocks: Block[] = [];
  order.forEach((i, index) => {
    const { term, spec } = terms[i];
    let b = blocks.find((x) => x.group.label === term.group);
    if (b === undefined) {
      const q = queries.find((x) => x.group.label === term.group)!;
      blocks.push((b = { group: q.group, level: groupLevel.get(term.group)!, Z: [], specs: [], cells: termCells.get(term.group)!, query: q, terms: [] }));
    }
    b.terms.push({ index, term });
    b.specs.push(...spec);
    b.Z.push(...spec.map(crossColumn));
  });
  const factors: FactorBlock[] = blocks.map((b) => {
    let offset = 0;
    const slots = b.terms.map(({ index, term }) => {
      const slot = { term: index, offset, k: term.k, cnames: term.cnames, name: termName(term) };
      offset += term.k;
      return slot;
    });
    return { group: b.group.label, levels: b.level.levels, nl: b.level.levels.length, k: offset, refs: new Int32Array(0), z: new Float64Array(0), terms: slots };
  });
  const byTerm = order.map((i) => terms[i].spec.map(crossColumn));
  const global = globalSums(first, coders, X, byTerm, shift === null ? xy : undefined);
  const parts = blocks.map((b) => factorSums(b.query, coders, b.level, b.Z, X));
  const off: SparseBlock[][] = [];
  for (let i = 0; i < blocks.length; i++) {
    off.push([]);
    for (let j = 0; j < i; j++) off[i].push(await pairSums(sql, coders, blocks[i], blocks[j], total));
  }
  const A: LmmBlocks = { factors, nobs: n, p, diag: parts.map((x) => x.diag), off, xz: parts.map((x) => x.xz), xx: global.xx, ldW: global.ldW, yShift: shift?.c ?? null };
  const messages: string[] = [];
  if (first.rows.dropped > 0) messages.push(`dropped ${first.rows.dropped} row${first.rows.dropped === 1 ? '' : 's'} with missing values`);
  if (fixed.aliased.length > 0) messages.push(`dropped aliased columns: ${fixed.aliased.join(', ')}`);
  messages.push(...numericGroupingMessages(sql, reTerms));
  const frame: ModelFrame = {
    formula: sql.formula,
    nobs: n,
    rows: new Int32Array(0),
    nDropped: first.rows.dropped,
    responseName,
    y: new Float64Array(0),
    trials: null,
    responseLevels: null,
    weights: null,
    offset: null,
    X: new Float64Array(0),
    p,
    colnames: fixed.X.map((c) => c.name),
    assign: fixed.assign,
    aliased: fixed.aliased,
    reTerms,
    messages,
    moments: { xtx: global.xtx, xsum: global.xsum, ztz: global.ztz, response: { sw: global.response[0], swy: global.response[2], swyy: global.response[3] } },
  };
  return {
    frame,
    factors,
    A,
    design: { sql, X: fixed.X, blockColumns: blocks.map((b) => b.specs), blockGroups: blocks.map((b) => b.group), coders, groups: groupLevel, total },
  };
}
