import { toFactor } from '../data/factor.js';
import { MixedModelsError } from '../errors.js';
import type { Node, RandomTerm, TermList } from '../formula/ast.js';
import { deparse } from '../formula/deparse.js';
import type { ContrastsOption } from './contrasts.js';
import { designMatrix } from './modelMatrix.js';
import type { ReTerm } from './types.js';
import type { Value } from './value.js';

export interface ReTermsOptions {
  contrasts?: ContrastsOption;
  /**
   * glmer's checks: a grouping factor may have as many levels as there are
   * observations, and a term as many random effects. lmer's (the default)
   * require fewer.
   */
  allowNLevels?: boolean;
  /** The fixed-effects matrix (n x p, column-major): a k = 1 term whose z equals one of its columns shares it. */
  X?: Float64Array;
}

/**
 * lme4's `mkReTrms`: one ReTerm per random-effects term, in lme4's order.
 * `values` holds every variable's value on the n rows (keyed by deparsed label).
 *
 * The grouping factor is the interaction of the `group` variables (numeric ones
 * taken as factors): levels `a:b` with the first factor varying slowest, unused
 * combinations dropped. The term's columns are R's model matrix of the bar's
 * left-hand side (`(Intercept)`, `Days`; `fA`, `fB` for `0 + f`).
 */
export function reTerms(random: readonly RandomTerm[], values: ReadonlyMap<string, Value>, n: number, options: ReTermsOptions = {}): ReTerm[] {
  const terms = shareEqualZ(random.map((r) => reTerm(r, values, n, options)), xColumns(options.X, n));
  for (const t of terms) checkLevels(t, n, options.allowNLevels ?? false);
  return lme4Order(terms.map((t) => t.levels.length)).map((i) => terms[i]);
}

/**
 * lme4's term order: when the numbers of levels `nl` are not already
 * non-increasing, `rev(order(nl))` (decreasing; tied terms end up in reverse
 * formula order); otherwise formula order.
 */
export function lme4Order(nl: readonly number[]): number[] {
  const index = nl.map((_, i) => i);
  if (!nl.some((l, i) => i > 0 && l > nl[i - 1])) return index;
  return index.sort((a, b) => nl[a] - nl[b] || a - b).reverse();
}

function reTerm(r: RandomTerm, values: ReadonlyMap<string, Value>, n: number, options: ReTermsOptions): ReTerm {
  const { refs, levels } = groupingFactor(r.group, values, n);
  // (1 | g) takes X's column of ones where X has one, rather than a new one that shareEqualZ would find
  // equal to it and drop (8 MB a term at 1e6 rows, garbage until a collection).
  const ones = interceptOnly(r.lhs) ? onesColumn(options.X, n) : null;
  if (ones !== null) return { group: r.groupLabel, levels, refs, cnames: ['(Intercept)'], k: 1, z: ones };
  const design = designMatrix(r.lhs, values, n, options.contrasts);
  const k = design.p;
  // z is row-major n x k, the design column-major: the same array when k = 1.
  const z = k === 1 ? design.values : new Float64Array(n * k);
  if (k > 1) for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) z[i * k + j] = design.values[j * n + i];
  return { group: r.groupLabel, levels, refs, cnames: design.colnames, k, z };
}

/** Whether a bar's left-hand side is the intercept alone: `(1 | g)`. */
function interceptOnly(lhs: TermList): boolean {
  return lhs.intercept && lhs.terms.length === 0 && lhs.offsets.length === 0;
}

/** A column of X (n rows, column-major) whose every entry is 1, or null. */
function onesColumn(X: Float64Array | undefined, n: number): Float64Array | null {
  for (const column of xColumns(X, n)) {
    let all = true;
    for (let i = 0; i < n && all; i++) all = column[i] === 1;
    if (all) return column;
  }
  return null;
}

/** The columns of the n-row column-major X (none without X). */
function xColumns(X: Float64Array | undefined, n: number): Float64Array[] {
  if (X === undefined || n === 0) return [];
  return Array.from({ length: X.length / n }, (_, j) => X.subarray(j * n, (j + 1) * n));
}

/**
 * Terms whose z holds the same numbers as a column of X, or as an earlier
 * term's z, share that array (`y ~ 1 + (1 | a) + (1 | b)`: the intercept's
 * column of ones, not one per term); z is never written.
 */
function shareEqualZ(terms: ReTerm[], columns: Float64Array[]): ReTerm[] {
  const kept = [...columns];
  return terms.map((t) => {
    const same = kept.find((z) => sameNumbers(z, t.z));
    if (same !== undefined) return { ...t, z: same };
    kept.push(t.z);
    return t;
  });
}

/** Whether a and b hold the same numbers (NaN equal to NaN; designs hold +0, never -0). */
function sameNumbers(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/**
 * The interaction of the group variables, unused level combinations dropped:
 * each row's key is its mixed-radix level combination (first factor slowest),
 * the used keys in ascending order become the levels.
 */
function groupingFactor(group: readonly Node[], values: ReadonlyMap<string, Value>, n: number): { refs: Int32Array; levels: string[] } {
  const factors = group.map((node) => asFactor(node, values));
  // The variable's own codes (n of them, never written after they are made; refs are not written either).
  if (factors.length === 1 && everyLevelUsed(factors[0], n)) return { refs: factors[0].codes, levels: factors[0].levels.slice() };
  const keys = new Float64Array(n);
  for (const f of factors) {
    const nl = f.levels.length;
    for (let i = 0; i < n; i++) keys[i] = keys[i] * nl + f.codes[i];
  }
  const { used, refs } = denseKeys(keys) ?? sortedKeys(keys);
  // One factor (the common case): its own labels, without labelOf's parts (1e5 levels: 60 ms).
  const one = factors.length === 1 ? factors[0].levels : null;
  return { refs, levels: Array.from(used, (key) => (one !== null ? one[key] : labelOf(key, factors))) };
}

/**
 * True when the factor's n codes use every level and none is missing: its codes and levels
 * are then the grouping factor's as they stand (what denseKeys would find, without its passes).
 */
function everyLevelUsed(f: { codes: Int32Array; levels: string[] }, n: number): boolean {
  if (f.codes.length !== n) return false;
  const nl = f.levels.length, seen = new Uint8Array(nl);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const c = f.codes[i];
    if (!(c >= 0 && c < nl)) return false;
    if (seen[c] === 0) {
      seen[c] = 1;
      count++;
    }
  }
  return count === nl;
}

/** Ascending distinct keys and each row's index among them, by a lookup table when the keys span a small range. */
function denseKeys(keys: Float64Array): { used: number[]; refs: Int32Array } | null {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] < min) min = keys[i];
    if (keys[i] > max) max = keys[i];
  }
  if (keys.length === 0) return { used: [], refs: new Int32Array(0) };
  if (!(max - min < 2 * keys.length + 1024)) return null;
  const slot = new Int32Array(max - min + 1);
  for (let i = 0; i < keys.length; i++) slot[keys[i] - min] = 1;
  const used: number[] = [];
  for (let k = 0; k < slot.length; k++) if (slot[k] === 1) slot[k] = used.push(k + min) - 1;
  const refs = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) refs[i] = slot[keys[i] - min];
  return { used, refs };
}

function sortedKeys(keys: Float64Array): { used: number[]; refs: Int32Array } {
  const used = [...new Set(keys)].sort((a, b) => a - b);
  const index = new Map(used.map((key, l) => [key, l]));
  return { used, refs: Int32Array.from(keys, (key) => index.get(key)!) };
}

function labelOf(key: number, factors: readonly { levels: string[] }[]): string {
  const parts: string[] = [];
  for (let f = factors.length - 1; f >= 0; f--) {
    const nl = factors[f].levels.length;
    parts.unshift(factors[f].levels[key % nl]);
    key = Math.floor(key / nl);
  }
  return parts.join(':');
}

function asFactor(node: Node, values: ReadonlyMap<string, Value>): { codes: Int32Array; levels: string[] } {
  const label = deparse(node);
  const value = values.get(label);
  if (value === undefined) throw new MixedModelsError(`internal error: no value for grouping variable '${label}'`);
  if (value.kind === 'categorical') return value;
  if (value.kind === 'numeric') return toFactor({ kind: 'numeric', values: value.values }, label);
  throw new MixedModelsError(`grouping factor '${label}' must be a single column, not a matrix`);
}

/** lme4's checkNlevels and checkZdims, as errors. */
function checkLevels(t: ReTerm, n: number, allowN: boolean): void {
  const nl = t.levels.length;
  if (nl < 2) {
    throw new MixedModelsError(`grouping factors must have > 1 sampled level: '${t.group}' has ${nl} in the rows used`);
  }
  if (allowN ? nl > n : nl >= n) {
    throw new MixedModelsError(
      `number of levels of each grouping factor must be < number of observations: '${t.group}' has ${nl} levels for ${n} observations`,
    );
  }
  const q = nl * t.k;
  if (allowN ? n < q : n <= q) {
    throw new MixedModelsError(
      `number of observations (=${n}) ${allowN ? '<' : '<='} number of random effects (=${q}) for term (${t.cnames.join(' + ')} | ${t.group}); ` +
        'the random-effects parameters and the residual variance (or scale parameter) are probably unidentifiable',
    );
  }
}
