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
 * coefficients (row by row, one per column), and the per-row sums of one
 * product of monomials, so that the loops over rows only multiply and add.
 */
import { MixedModelsError } from '../../errors.js';
import { cellCoefficient, monomialKey, type ColumnSpec } from './designSpec.js';
import type { LevelCoder } from './levels.js';
import { pairIndex, RESPONSE, type MomentRows, type MomentSpec } from './momentQuery.js';

/** A model column (or y - offset) for cross-products: its monomial and its cell coefficient. */
export interface CrossColumn {
  monomial: string;
  coefficient(codeOf: (variable: string) => number): number;
}

export function crossColumn(c: ColumnSpec): CrossColumn {
  return { monomial: monomialKey(c.monomial), coefficient: (codeOf) => cellCoefficient(c, codeOf) };
}

export const RESPONSE_COLUMN: CrossColumn = { monomial: RESPONSE, coefficient: () => 1 };

/** The constant column (the monomial 1 with coefficient 1). */
export const ONE_COLUMN: CrossColumn = { monomial: '', coefficient: () => 1 };

export class Cells {
  private readonly rowIndex: Map<string, number>;
  private readonly colIndex: Map<string, number>;
  private readonly keyIndex: Map<string, number>;
  private readonly codeColumns = new Map<string, Int32Array>();
  private readonly coefficientColumns = new Map<CrossColumn, Float64Array>();
  private r = 0;
  readonly codeOf = (variable: string): number => this.codes(variable)[this.r];

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

  /** The coefficient of a column in every result row (computed once per column). */
  coefficients(col: CrossColumn): Float64Array {
    let out = this.coefficientColumns.get(col);
    if (out !== undefined) return out;
    out = new Float64Array(this.nrow);
    for (let r = 0; r < out.length; r++) {
      this.r = r;
      out[r] = col.coefficient(this.codeOf);
    }
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
   */
  crossSums(left: readonly CrossColumn[], right: readonly CrossColumn[], options: { unweighted?: boolean; level?: Int32Array; out?: Float64Array } = {}): Float64Array {
    const nl = left.length, nr = right.length, size = nl * nr, n = this.nrow, level = options.level;
    const out = options.out ?? new Float64Array(size);
    for (let b = 0; b < nr; b++) {
      const cb = this.coefficients(right[b]);
      for (let a = 0; a < nl; a++) {
        const ca = this.coefficients(left[a]), s = this.products(left[a].monomial, right[b].monomial, options.unweighted), e = a + b * nl;
        // A zero coefficient contributes 0 whatever the sum (as the cell has no such column).
        if (level === undefined) {
          let acc = 0;
          for (let r = 0; r < n; r++) {
            const c = ca[r] * cb[r];
            if (c !== 0) acc += c * s[r];
          }
          out[e] += acc;
        } else {
          for (let r = 0; r < n; r++) {
            const c = ca[r] * cb[r];
            if (c !== 0) out[level[r] * size + e] += c * s[r];
          }
        }
      }
    }
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
