import { potrf } from '../../linalg/potrf.js';
import { trsmLeftLower, trsmLeftLowerTrans } from '../../linalg/trsm.js';
import type { LmmBlocks } from '../blocks.js';
import type { ModelFrame } from '../../frame/types.js';

/**
 * The response of A, shifted by a fixed-effects fit: y~ = y - offset - X c
 * with c the weighted least-squares coefficients of y - offset on X.
 *
 * The model y = X beta + Z b + e is the model y~ = X (beta - c) + Z b + e: the
 * criterion is the same function of theta, and beta = beta~ + c exactly, for
 * any c. In floating point it is not: r^2 (the penalised residual sum of
 * squares) comes out of the Cholesky factor of A as y'Wy minus the part the
 * model explains, with a relative error of about eps y'Wy / r^2, and the
 * criterion carries (n - p) times that. For y + 1e12 (or any response far
 * from 0 relative to its spread) that is every digit. So the y parts of A (row
 * p of every A_Tj, row and column p of A_TT) are formed again from y~, row by
 * row, where the differences are taken before the sums; c comes from A's own
 * X'WX and X'Wy. Always, not only when digits are lost: then y and y + a
 * constant (or y in other units) give the same A up to rounding, and the
 * optimiser takes the same path (a threshold would switch paths, and in a
 * criterion with several minima, optima). Costs one pass over the rows for
 * the response column (about 1% of a fit on 10^6 rows).
 */

/** c of the module comment from A's X'WX and X'Wy, or null when X'WX is not positive definite (or p = 0). */
function leastSquares(A: LmmBlocks): Float64Array | null {
  return leastSquaresOf(A.xx, A.p);
}

/**
 * The weighted least-squares coefficients of y on X from [X y]'W[X y]
 * (column-major, (p + 1) square), or null when X'WX is not positive definite (or p = 0).
 */
export function leastSquaresOf(xy: Float64Array, p: number): Float64Array | null {
  const P = p + 1;
  if (p === 0) return null;
  const xx = new Float64Array(p * p), c = new Float64Array(p);
  for (let s = 0; s < p; s++) {
    c[s] = xy[p + s * P];
    for (let r = 0; r < p; r++) xx[r + s * p] = xy[r + s * P];
  }
  if (potrf(p, xx, 0, p) !== 0) return null;
  trsmLeftLower(p, 1, xx, 0, p, c, 0, p);
  trsmLeftLowerTrans(p, 1, xx, 0, p, c, 0, p);
  return c.every(Number.isFinite) ? c : null;
}

/** Shifts A's response in place (module comment); sets A.yShift. */
export function shiftResponse(frame: ModelFrame, A: LmmBlocks): void {
  const c = leastSquares(A);
  if (c === null) return;
  A.yShift = c;
  setResponseColumn(frame, A, frame.y);
}

/**
 * Forms the y parts of A from the response y (length nobs) as
 * y - offset - X yShift (yShift = 0 when A.yShift is null): the weighted response
 * wy = w y~ made in one pass (with y~'Wy~), then each sum X_t'wy and Z_j'wy in a pass of
 * its own, as formBlocks's scalarSums takes its sums. Each sum takes the rows in order, so
 * A is the one pass's to the bit. (lmm_crossed_1e6, cold, one call: 52-55 ms against 59 ms
 * when every row went through every sum at once, within the noise of single profiles.)
 */
export function setResponseColumn(frame: ModelFrame, A: LmmBlocks, y: ArrayLike<number>): void {
  const n = frame.nobs, p = A.p, P = p + 1, c = A.yShift;
  const { X, weights, offset } = frame;
  const wy = new Float64Array(n);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    let yi = offset ? y[i] - offset[i] : y[i];
    if (c !== null) for (let t = 0; t < p; t++) yi -= X[i + t * n] * c[t];
    const w = weights ? weights[i] * yi : yi;
    wy[i] = w;
    yy += w * yi;
  }
  const xx = A.xx;
  for (let t = 0; t < p; t++) {
    let s = 0;
    for (let i = 0, o = t * n; i < n; i++) s += X[o + i] * wy[i];
    xx[p + t * P] = s;
    xx[t + p * P] = s;
  }
  xx[p + p * P] = yy;
  A.factors.forEach((f, j) => {
    const xz = A.xz[j], refs = f.refs, z = f.z, k = f.k;
    for (let col = p; col < xz.length; col += P) xz[col] = 0;
    if (k === 1) {
      for (let i = 0; i < n; i++) xz[refs[i] * P + p] += z[i] * wy[i];
      return;
    }
    for (let i = 0; i < n; i++) {
      const col = refs[i] * k, w = wy[i];
      for (let a = 0; a < k; a++) xz[(col + a) * P + p] += z[i * k + a] * w;
    }
  });
}

/**
 * The same shift for blocks formed without rows (sums computed where the data
 * live, src/sources): the y parts of A moved by the algebra of y~ = y - X c,
 *   X'Wy~ = X'Wy - X'WX c,  Z'Wy~ = Z'Wy - Z'WX c,  y~'Wy~ = y'Wy - 2 c'X'Wy + c'X'WX c,
 * so that the optimiser takes the in-memory fit's path. The differences are
 * taken after the sums here, so unlike shiftResponse this does not recover the
 * digits a response far from 0 loses in y'Wy: where that loss is large, the
 * sums are computed again from y~ in the engine (sources/lmm/lmmSums.ts) and
 * come with yShift set.
 */
export function shiftResponseSums(A: LmmBlocks): void {
  const c = leastSquares(A);
  if (c === null) return;
  const p = A.p, P = p + 1, xx = A.xx;
  for (const xz of A.xz) {
    for (let row = 0; row < xz.length / P; row++) {
      let s = 0;
      for (let t = 0; t < p; t++) s += xz[row * P + t] * c[t];
      xz[row * P + p] -= s;
    }
  }
  let cXy = 0, cXXc = 0;
  for (let t = 0; t < p; t++) {
    cXy += c[t] * xx[p + t * P];
    for (let s = 0; s < p; s++) cXXc += c[t] * xx[t + s * P] * c[s];
  }
  for (let t = 0; t < p; t++) {
    let s = 0;
    for (let r = 0; r < p; r++) s += xx[t + r * P] * c[r];
    xx[p + t * P] -= s;
    xx[t + p * P] = xx[p + t * P];
  }
  xx[p + p * P] += cXXc - 2 * cXy;
  A.yShift = c;
}
