import { findOneHotBlock, oneHotLeastSquares } from '../linalg/oneHotLeastSquares.js';
import { norm, orthogonalise } from './orthogonalise.js';
import type { DesignMatrix } from './modelMatrix.js';

/**
 * Columns that are linear combinations of earlier kept columns, as R's `lm`
 * finds them (LINPACK dqrdc2 with tol = 1e-7): column j is aliased when the
 * part of it orthogonal to the kept columns before it has norm below
 * tol times its own norm (a zero column is always aliased).
 *
 * Gram-Schmidt (see `orthogonalise`) against the orthonormal basis
 * of the kept columns; O(n p^2). A design whose columns are all far from
 * aliased passes a screen on X'X first (clearlyFullRank); a design with a block of many indicator
 * columns that provably has no aliased column is recognised first, in
 * O(n f^2) (linalg/oneHotLeastSquares.ts).
 */
export function findAliased(X: Float64Array, n: number, p: number, tol = 1e-7): boolean[] {
  const block = findOneHotBlock(X, n, p);
  if (block !== null && oneHotLeastSquares(X, n, p, block, new Float64Array(n), null, tol) !== null) return new Array<boolean>(p).fill(false);
  if (tol <= GRAM_SCREEN * 1e-2 && p <= GRAM_MAX_P && clearlyFullRank(X, n, p)) return new Array<boolean>(p).fill(false);
  const basis: Float64Array[] = [];
  const aliased: boolean[] = [];
  for (let j = 0; j < p; j++) {
    const v = X.slice(j * n, (j + 1) * n);
    const original = norm(v);
    const rest = orthogonalise(v, basis);
    const isAliased = original === 0 || rest < tol * original;
    aliased.push(isAliased);
    if (!isAliased) {
      for (let i = 0; i < n; i++) v[i] /= rest;
      basis.push(v);
    }
  }
  return aliased;
}

/** The Gram screen's ratio, and the widest design it is tried on (its Gram matrix costs p(p+1)/2 passes). */
const GRAM_SCREEN = 1e-4;
const GRAM_MAX_P = 32;

/**
 * A screen before Gram-Schmidt (O(n p^2) with several passes per column and a
 * copy of X): true when every column's part orthogonal to the columns before it
 * has at least GRAM_SCREEN times its norm, read from the Cholesky factor R of
 * X'X (that ratio is R_jj / sqrt((X'X)_jj)). The rounding of X'X (at worst
 * n eps sqrt((X'X)_aa (X'X)_bb) per entry) and of its Cholesky move the squared
 * ratio by at most about p n eps; the squared ratio must exceed
 * max(GRAM_SCREEN^2, 100 p n eps), so a column that passes has a true ratio
 * near GRAM_SCREEN or more and is not aliased at any tol below GRAM_SCREEN / 100.
 * Anything else (a ratio below the screen, a zero or non-finite column) is
 * left to Gram-Schmidt. One pass per entry of X'X.
 */
export function clearlyFullRank(X: Float64Array, n: number, p: number): boolean {
  const R = new Float64Array(p * p), floor = Math.max(GRAM_SCREEN * GRAM_SCREEN, 100 * p * n * Number.EPSILON);
  for (let b = 0; b < p; b++) {
    for (let a = 0; a <= b; a++) {
      let s = 0;
      for (let i = 0, oa = a * n, ob = b * n; i < n; i++) s += X[oa + i] * X[ob + i];
      R[a + b * p] = s;
    }
  }
  // Upper Cholesky in place (X'X = R'R), column by column.
  for (let j = 0; j < p; j++) {
    const g = R[j + j * p];
    if (!(g > 0 && Number.isFinite(g))) return false;
    let r2 = g;
    for (let k = 0; k < j; k++) {
      let v = R[k + j * p];
      for (let m = 0; m < k; m++) v -= R[m + k * p] * R[m + j * p];
      v /= R[k + k * p];
      R[k + j * p] = v;
      r2 -= v * v;
    }
    if (!(r2 > floor * g)) return false;
    R[j + j * p] = Math.sqrt(r2);
  }
  return true;
}

/**
 * Why a dropped column that is not constant looks aliased: its values differ
 * from one another by less than `tol` times their size (x + 1e12 for x in
 * 0..9), so that in double precision it is a multiple of a constant column.
 * Null when the column is constant or genuinely aliased.
 */
export function nearConstantNote(values: Float64Array, name: string, tol = 1e-7): string | null {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const size = Math.max(Math.abs(lo), Math.abs(hi)), spread = hi - lo;
  if (!(spread > 0) || spread >= tol * size) return null;
  const g = (x: number) => x.toPrecision(3);
  return `${name} varies only in its last digits (values from ${lo.toPrecision(15)} to ${hi.toPrecision(15)}: a spread of ${g(spread)} around ${g((lo + hi) / 2)}), ` +
    `so in double precision it is a constant column; subtract a constant from it (e.g. ${name} - ${g((lo + hi) / 2)}) to estimate its effect`;
}

/** The design without its aliased columns, the names of those columns, and notes on those that are only nearly constant. */
export function dropAliased(design: DesignMatrix, tol = 1e-7): { design: DesignMatrix; aliased: string[]; notes: string[] } {
  const { n, p } = design;
  const drop = findAliased(design.values, n, p, tol);
  if (!drop.includes(true)) return { design, aliased: [], notes: [] };
  const keep = [...Array(p).keys()].filter((j) => !drop[j]);
  const values = new Float64Array(n * keep.length);
  keep.forEach((j, k) => values.set(design.values.subarray(j * n, (j + 1) * n), k * n));
  return {
    design: {
      n,
      p: keep.length,
      values,
      colnames: keep.map((j) => design.colnames[j]),
      assign: Int32Array.from(keep, (j) => design.assign[j]),
    },
    aliased: design.colnames.filter((_, j) => drop[j]),
    notes: design.colnames.flatMap((name, j) => {
      const note = drop[j] ? nearConstantNote(design.values.subarray(j * n, (j + 1) * n), name, tol) : null;
      return note === null ? [] : [note];
    }),
  };
}
