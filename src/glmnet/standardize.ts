/**
 * glmnet's standardisation of the columns (elnet's standardize / lstandardize,
 * with the weights w normalised to sum 1):
 *
 *   with an intercept:    xm_j = sum w x_j,  xs_j = sqrt(sum w (x_j - xm_j)^2);
 *   without an intercept: xm_j = 0,          xs_j = sqrt(sum w x_j^2 - (sum w x_j)^2);
 *   standardize = FALSE:  xs_j = 1.
 *
 * The solver works on x~_j = (x_j - xm_j) / xs_j. Columns that are constant
 * (glmnet's chkvars: every value equal, a sparse column with no nonzero) take
 * no part (`usable` 0; their coefficient is 0).
 *
 * Centering is explicit for columns stored with every row (numeric columns:
 * their values are replaced by x - xm in the working copy, `shift` = xm) and
 * implicit for sparse ones (indicators keep their zeros; `centre` = xm enters
 * the solver's formulas), so a one-hot column stays sparse while a numeric
 * column with a large mean loses no digits.
 */
import type { CscMatrix } from './sparseDesign.js';

export interface Standardized {
  /** The working copy of x: stored-dense columns centred (with an intercept). */
  x: CscMatrix;
  /** Implicit centre per column (sparse columns with an intercept), else 0. */
  centre: Float64Array;
  /** Explicit centre subtracted from the stored values, else 0. */
  shift: Float64Array;
  /** Scale per column (1 without standardisation). */
  scale: Float64Array;
  /** 1 when the column varies. */
  usable: Uint8Array;
}

/** Normalised weights w / sum w. */
export function normalizeWeights(w: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i];
  return w.map((v) => v / s);
}

export function standardize(x: CscMatrix, w: Float64Array, intercept: boolean, scaleColumns: boolean): Standardized {
  const { n, p, colPtr, rowIdx } = x;
  const values = Float64Array.from(x.values);
  const centre = new Float64Array(p), shift = new Float64Array(p), scale = new Float64Array(p).fill(1), usable = new Uint8Array(p);
  for (let j = 0; j < p; j++) {
    const a = colPtr[j], b = colPtr[j + 1];
    usable[j] = varies(values, a, b, n) ? 1 : 0;
    if (!usable[j]) continue;
    let m = 0, sq = 0;
    for (let k = a; k < b; k++) {
      const v = values[k], wi = w[rowIdx[k]];
      m += wi * v;
      sq += wi * v * v;
    }
    const dense = b - a === n;
    let variance: number;
    if (dense) {
      let ss = 0;
      for (let k = a; k < b; k++) ss += w[rowIdx[k]] * (values[k] - m) ** 2;
      variance = ss;
    } else variance = sq - m * m;
    if (intercept) {
      if (dense) {
        for (let k = a; k < b; k++) values[k] -= m;
        shift[j] = m;
      } else centre[j] = m;
    }
    if (!(variance > 0)) usable[j] = 0;
    else if (scaleColumns) scale[j] = Math.sqrt(variance);
  }
  return { x: { n, p, colPtr, rowIdx, values }, centre, shift, scale, usable };
}

/** Whether a stored column takes two different values over the n rows (implicit zeros included). */
function varies(values: Float64Array, a: number, b: number, n: number): boolean {
  if (b - a < n) {
    for (let k = a; k < b; k++) if (values[k] !== 0) return true;
    return false;
  }
  for (let k = a + 1; k < b; k++) if (values[k] !== values[a]) return true;
  return false;
}
