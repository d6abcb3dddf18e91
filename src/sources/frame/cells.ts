/**
 * Reading a moment query's rows (momentQuery.ts): the level code of each key
 * variable in a row, and the sum of products of two monomials there; with
 * column specs (designSpec.ts) that is the cross-product of two model-matrix
 * columns over the row's cell:
 *
 *   sum over the cell's rows of w x_a x_b = coef_a(cell) coef_b(cell) S[mono_a, mono_b].
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

export class Cells {
  private readonly rowIndex: Map<string, number>;
  private readonly colIndex: Map<string, number>;
  private readonly keyIndex: Map<string, number>;
  private r = 0;
  readonly codeOf = (variable: string): number => {
    const k = this.keyIndex.get(variable);
    if (k === undefined) throw new MixedModelsError(`internal error: '${variable}' is not a key of this query`);
    return this.coders.get(variable)!.code(this.rows.keys[k][this.r] as number | string | null);
  };

  constructor(readonly rows: MomentRows, readonly spec: MomentSpec, readonly coders: ReadonlyMap<string, LevelCoder>) {
    this.rowIndex = new Map(spec.rows.map((m, i) => [m, i]));
    this.colIndex = new Map((spec.cols ?? spec.rows).map((m, i) => [m, i]));
    this.keyIndex = new Map(spec.keys.map((k, i) => [k, i]));
  }

  get nrow(): number {
    return this.rows.nrow;
  }

  /** Moves to result row r. */
  at(r: number): this {
    this.r = r;
    return this;
  }

  /** S[a, b] in the current row (weighted, or unweighted when asked and available). */
  sum(a: string, b: string, unweighted = false): number {
    let i = this.rowIndex.get(a), j = this.colIndex.get(b);
    if (i === undefined || j === undefined) {
      if (this.spec.cols !== null) throw new MixedModelsError(`internal error: no product ${a} x ${b}`);
      [i, j] = [this.rowIndex.get(b), this.colIndex.get(a)];
      if (i === undefined || j === undefined) throw new MixedModelsError(`internal error: no product ${a} x ${b}`);
    }
    const sums = unweighted && this.rows.unweighted !== null ? this.rows.unweighted : this.rows.sums;
    return sums[pairIndex(this.spec, i, j)][this.r];
  }

  /** The cross-product of two columns over the current row's cell. */
  cross(a: CrossColumn, b: CrossColumn, unweighted = false): number {
    const ca = a.coefficient(this.codeOf);
    if (ca === 0) return 0;
    const cb = b.coefficient(this.codeOf);
    return cb === 0 ? 0 : ca * cb * this.sum(a.monomial, b.monomial, unweighted);
  }

  /** The level of a grouping factor in the current row, from its variables' codes (mixed radix, first slowest). */
  groupKey(vars: readonly string[]): number {
    let key = 0;
    for (const v of vars) key = key * this.coders.get(v)!.levels.length + this.codeOf(v);
    return key;
  }
}
