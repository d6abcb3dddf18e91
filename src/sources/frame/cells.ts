/**
 * Reading a moment query's rows (momentQuery.ts): the level code of each key
 * variable in a row, and the sum of products of two monomials there; with
 * column specs (designSpec.ts) that is the cross-product of two model-matrix
 * columns over the row's cell:
 *
 *   sum over the cell's rows of w x_a x_b = coef_a(cell) coef_b(cell) S[mono_a, mono_b].
 *
 * The fold over result rows (lmm/lmmSums.ts) asks for whole columns at once:
 * every key variable's codes (one lookup per row, kept), every model column's
 * coefficients (the product of its codings' weights at the row's levels; none
 * for a column without codings), and the per-row sums of one product of
 * monomials, so that the loops over rows only multiply and add.
 */
import { MixedModelsError } from '../../errors.js';
import { monomialKey, type ColumnSpec, type FactorCoding } from './designSpec.js';
import type { LevelCoder } from './levels.js';
import { pairIndex, RESPONSE, type MomentRows, type MomentSpec } from './momentQuery.js';

/**
 * A model column (or y - offset) for cross-products: its monomial and the factor
 * codings whose weights at the cell's levels multiply into its cell coefficient
 * (none: coefficient 1).
 */
export interface CrossColumn {
  monomial: string;
  factors: readonly FactorCoding[];
}

export function crossColumn(c: ColumnSpec): CrossColumn {
  return { monomial: monomialKey(c.monomial), factors: c.factors };
}

export const RESPONSE_COLUMN: CrossColumn = { monomial: RESPONSE, factors: [] };

/** The constant column (the monomial 1 with coefficient 1). */
export const ONE_COLUMN: CrossColumn = { monomial: '', factors: [] };

export class Cells {
  private readonly rowIndex: Map<string, number>;
  private readonly colIndex: Map<string, number>;
  private readonly keyIndex: Map<string, number>;
  private readonly codeColumns = new Map<string, Int32Array>();
  private readonly coefficientColumns = new Map<CrossColumn, Float64Array>();

  constructor(readonly rows: MomentRows, readonly spec: MomentSpec, readonly coders: ReadonlyMap<string, LevelCoder>) {
    this.rowIndex = new Map(spec.rows.map((m, i) => [m, i]));
    this.colIndex = new Map((spec.cols ?? spec.rows).map((m, i) => [m, i]));
    this.keyIndex = new Map(spec.keys.map((k, i) => [k, i]));
  }

  get nrow(): number {
    return this.rows.nrow;
  }

  /** The level code of a key variable in every result row (computed once). */
  codes(variable: string): Int32Array {
    let out = this.codeColumns.get(variable);
    if (out !== undefined) return out;
    const k = this.keyIndex.get(variable);
    if (k === undefined) throw new MixedModelsError(`internal error: '${variable}' is not a key of this query`);
    const coder = this.coders.get(variable)!, keys = this.rows.keys[k];
    out = new Int32Array(this.nrow);
    for (let r = 0; r < out.length; r++) out[r] = coder.code(keys[r] as number | string | null);
    this.codeColumns.set(variable, out);
    return out;
  }

  /**
   * The coefficient of a column in every result row (computed once per column),
   * or null when it is 1 in every row (a column without factor codings).
   */
  coefficients(col: CrossColumn): Float64Array | null {
    if (col.factors.length === 0) return null;
    let out = this.coefficientColumns.get(col);
    if (out !== undefined) return out;
    out = new Float64Array(this.nrow).fill(1);
    for (const f of col.factors) scaleByWeights(out, f.weights, this.codes(f.variable));
    this.coefficientColumns.set(col, out);
    return out;
  }

  /** S[a, b] in every result row (weighted, or unweighted when asked and available). */
  products(a: string, b: string, unweighted = false): Float64Array {
    let i = this.rowIndex.get(a), j = this.colIndex.get(b);
    if (i === undefined || j === undefined) {
      if (this.spec.cols !== null) throw new MixedModelsError(`internal error: no product ${a} x ${b}`);
      [i, j] = [this.rowIndex.get(b), this.colIndex.get(a)];
      if (i === undefined || j === undefined) throw new MixedModelsError(`internal error: no product ${a} x ${b}`);
    }
    const sums = unweighted && this.rows.unweighted !== null ? this.rows.unweighted : this.rows.sums;
    return sums[pairIndex(this.spec, i, j)];
  }

  /**
   * sum over result rows of coef_a coef_b S[a, b] for every pair (a in `left`, b in
   * `right`), added into out[a + b * left.length]; with `level` (per row), each row
   * adds into its level's block, out[level * left.length * right.length + a + b * left.length].
   * A zero coefficient contributes 0 whatever the sum (the cell has no such column).
   */
  crossSums(left: readonly CrossColumn[], right: readonly CrossColumn[], options: { unweighted?: boolean; level?: Int32Array; out?: Float64Array } = {}): Float64Array {
    const nl = left.length, nr = right.length, size = nl * nr, n = this.nrow, level = options.level;
    const out = options.out ?? new Float64Array(size);
    for (let b = 0; b < nr; b++) {
      const cb = this.coefficients(right[b]);
      for (let a = 0; a < nl; a++) {
        const c = this.pairCoefficients(this.coefficients(left[a]), cb);
        const s = this.products(left[a].monomial, right[b].monomial, options.unweighted), e = a + b * nl;
        if (level === undefined) out[e] += c === null ? sum(s, n) : weightedSum(c, s, n);
        else if (c === null) addByLevel(s, n, level, out, size, e);
        else addWeightedByLevel(c, s, n, level, out, size, e);
      }
    }
    return out;
  }

  /** coef_a coef_b per row (null: 1 in every row). */
  private pairCoefficients(ca: Float64Array | null, cb: Float64Array | null): Float64Array | null {
    if (ca === null || cb === null) return ca ?? cb;
    const out = new Float64Array(this.nrow);
    for (let r = 0; r < out.length; r++) out[r] = ca[r] * cb[r];
    return out;
  }

  /** The level of a grouping factor in every result row, from its variables' codes (mixed radix, first slowest). */
  groupKeys(vars: readonly string[]): Float64Array {
    const out = new Float64Array(this.nrow);
    for (const v of vars) {
      const codes = this.codes(v), radix = this.coders.get(v)!.levels.length;
      for (let r = 0; r < out.length; r++) out[r] = out[r] * radix + codes[r];
    }
    return out;
  }
}

// The loops over result rows, each alone in a small function that only ever sees typed
// arrays: it is compiled once, early, and stays compiled (the same loops inline in
// crossSums ran interpreted for most of a 20,000-group fold, re-optimised after each
// change of branch or column kind).

function scaleByWeights(out: Float64Array, weights: Float64Array, codes: Int32Array): void {
  for (let r = 0; r < out.length; r++) out[r] *= weights[codes[r]];
}

function sum(s: Float64Array, n: number): number {
  let acc = 0;
  for (let r = 0; r < n; r++) acc += s[r];
  return acc;
}

function weightedSum(c: Float64Array, s: Float64Array, n: number): number {
  let acc = 0;
  for (let r = 0; r < n; r++) if (c[r] !== 0) acc += c[r] * s[r];
  return acc;
}

function addByLevel(s: Float64Array, n: number, level: Int32Array, out: Float64Array, size: number, e: number): void {
  for (let r = 0; r < n; r++) out[level[r] * size + e] += s[r];
}

function addWeightedByLevel(c: Float64Array, s: Float64Array, n: number, level: Int32Array, out: Float64Array, size: number, e: number): void {
  for (let r = 0; r < n; r++) if (c[r] !== 0) out[level[r] * size + e] += c[r] * s[r];
}
