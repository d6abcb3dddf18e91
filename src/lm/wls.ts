/**
 * Weighted least squares by QR: minimise sum_i w_i (z_i - x_i' b)^2 over b.
 *
 * Rows with w_i > 0 are scaled by sqrt(w_i) and kept (as R's lm.wfit and
 * glm.fit do); rows with w_i = 0 take no part in the QR and its rank.
 */
import { qrCoef, qrDecompose, qrQty, type QR } from '../linalg/qr.js';

export interface WlsFit {
  /** QR of the sqrt-weighted rows with positive weight. */
  readonly qr: QR;
  /** Coefficients in the original column order; 0 for aliased columns. */
  readonly coef: Float64Array;
  /** Q'(sqrt(w) z) (R's effects). */
  readonly effects: Float64Array;
  /** Number of rows with positive weight. */
  readonly nUsed: number;
}

/** X is n x p column-major; w null means unit weights. */
export function wlsFit(X: Float64Array, n: number, p: number, z: Float64Array, w: Float64Array | null, tol: number): WlsFit {
  const { Xw, zw, nUsed } = w === null ? { Xw: X, zw: z, nUsed: n } : weightRows(X, n, p, z, w);
  const qr = qrDecompose(Xw, nUsed, p, tol);
  const effects = qrQty(qr, zw);
  return { qr, coef: qrCoef(qr, zw, effects), effects, nUsed };
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
