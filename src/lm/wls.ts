/**
 * Weighted least squares: minimise sum_i w_i (z_i - x_i' b)^2 over b.
 *
 * By QR with R's pivoting: rows with w_i > 0 are scaled by sqrt(w_i) and kept
 * (as R's lm.wfit and glm.fit do); rows with w_i = 0 take no part in the QR
 * and its rank. A design with a block of many indicator columns (a factor
 * with many levels) is solved by eliminating the block instead
 * (linalg/oneHotLeastSquares.ts), when that provably gives R's answer (no
 * column aliased); the block is found once per design matrix.
 */
import { findOneHotBlock, oneHotLeastSquares, type OneHotBlock } from '../linalg/oneHotLeastSquares.js';
import { qrAliased, qrCoef, qrDecompose, qrQty, qrUnscaledCov } from '../linalg/qr.js';

export interface WlsFit {
  /** Coefficients in the original column order; 0 for aliased columns. */
  readonly coef: Float64Array;
  readonly rank: number;
  /** Original column indices in R's pivoted order: the first `rank` are estimable. */
  readonly pivot: Int32Array;
  /** Number of rows with positive weight. */
  readonly nUsed: number;
  /** (R'R)^-1 = (X'WX)^-1 over the estimable columns, rank x rank column-major in pivot order. */
  unscaledCov(): Float64Array;
  /** Original indices of the aliased columns. */
  aliased(): number[];
}

const blocks = new WeakMap<Float64Array, OneHotBlock | null>();

function blockOf(X: Float64Array, n: number, p: number): OneHotBlock | null {
  let b = blocks.get(X);
  if (b === undefined) blocks.set(X, (b = findOneHotBlock(X, n, p)));
  return b;
}

/** X is n x p column-major; w null means unit weights. */
export function wlsFit(X: Float64Array, n: number, p: number, z: Float64Array, w: Float64Array | null, tol: number): WlsFit {
  const block = blockOf(X, n, p);
  const nUsed = w === null ? n : w.reduce((s, v) => s + (v > 0 ? 1 : 0), 0);
  const fast = block === null ? null : oneHotLeastSquares(X, n, p, block, z, w, tol);
  if (fast !== null) {
    return { coef: fast.coef, rank: p, pivot: Int32Array.from({ length: p }, (_, j) => j), nUsed, unscaledCov: fast.unscaledCov, aliased: () => [] };
  }
  const { Xw, zw, nUsed: m } = w === null ? { Xw: X, zw: z, nUsed: n } : weightRows(X, n, p, z, w);
  const qr = qrDecompose(Xw, m, p, tol);
  const coef = qrCoef(qr, zw, qrQty(qr, zw));
  return { coef, rank: qr.rank, pivot: qr.pivot, nUsed: m, unscaledCov: () => qrUnscaledCov(qr), aliased: () => qrAliased(qr) };
}

/** sqrt(w_i) x_i and sqrt(w_i) z_i for the rows with w_i > 0. */
function weightRows(X: Float64Array, n: number, p: number, z: Float64Array, w: Float64Array) {
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (w[i] > 0) rows.push(i);
  const m = rows.length;
  const sw = Float64Array.from(rows, (i) => Math.sqrt(w[i]));
  const Xw = new Float64Array(m * p);
  for (let j = 0; j < p; j++) {
    for (let r = 0; r < m; r++) Xw[j * m + r] = X[j * n + rows[r]] * sw[r];
  }
  const zw = Float64Array.from(rows, (i, r) => z[i] * sw[r]);
  return { Xw, zw, nUsed: m };
}
