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
 * of the kept columns; O(n p^2). A design with a block of many indicator
 * columns that provably has no aliased column is recognised first, in
 * O(n f^2) (linalg/oneHotLeastSquares.ts).
 */
export function findAliased(X: Float64Array, n: number, p: number, tol = 1e-7): boolean[] {
  const block = findOneHotBlock(X, n, p);
  if (block !== null && oneHotLeastSquares(X, n, p, block, new Float64Array(n), null, tol) !== null) return new Array<boolean>(p).fill(false);
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
