/**
 * BOBYQA's interpolation set, quadratic model and the inverse KKT matrix H
 * (Powell 2009, NA2009/06, sections 2 and 4; the updating formula is Powell 2004,
 * "Least Frobenius norm updating of quadratic models that satisfy interpolation
 * conditions").
 *
 * All points are stored relative to the origin `xbase` (absolute x = xbase + y).
 * With m interpolation points y_1..y_m (rows of `xpt`, m x n):
 *
 *   W = [ A   X' ]      A_kj = (y_k . y_j)^2 / 2      (m x m)
 *       [ X   0  ]      X    = [1 ... 1; y_1 ... y_m] ((n+1) x m)
 *
 *   H = W^-1 = [ Omega  Xi' ]
 *              [ Xi     Ups ]
 *
 * Column k of H holds the Lagrange function l_k of the minimum-Frobenius-norm
 * quadratic interpolation: l_k(x) = c_k + g_k . x + x' G_k x / 2 with
 * G_k = sum_j Omega_jk y_j y_j' and g_k = rows 1..n of Xi, column k.
 * Stored (row 0 of Xi and row/column 0 of Ups are never needed, because every
 * use works with differences w(x) - w(xopt) whose constant slot is 0):
 *
 *   zmat (m x nz, nz = m - n - 1):  Omega = Z Z'   (Omega is positive semidefinite)
 *   bmat ((m + n) x n):             rows 0..m-1: bmat[k][i] = Xi[i][k] (gradient of l_k)
 *                                   rows m..m+n-1: Ups (n x n, symmetric)
 *
 * The quadratic model Q(xopt + d) = fopt + gopt . d + d' G d / 2 has
 * G = hq + sum_k pq_k y_k y_k' (explicit plus implicit part), and `gopt` is its
 * gradient at xopt = y_kopt, the best point of the set. `sl`, `su` are the bounds
 * relative to xbase (possibly infinite).
 */

export interface BobyqaState {
  n: number;
  m: number;
  nz: number;
  xbase: Float64Array;
  xpt: Float64Array;
  fval: Float64Array;
  kopt: number;
  xopt: Float64Array;
  gopt: Float64Array;
  hq: Float64Array;
  pq: Float64Array;
  bmat: Float64Array;
  zmat: Float64Array;
  sl: Float64Array;
  su: Float64Array;
}

/** An empty state (all zeros) for n variables and m points. */
export function emptyState(n: number, m: number): BobyqaState {
  const nz = m - n - 1;
  return {
    n, m, nz,
    xbase: new Float64Array(n),
    xpt: new Float64Array(m * n),
    fval: new Float64Array(m),
    kopt: 0,
    xopt: new Float64Array(n),
    gopt: new Float64Array(n),
    hq: new Float64Array(n * n),
    pq: new Float64Array(m),
    bmat: new Float64Array((m + n) * n),
    zmat: new Float64Array(m * nz),
    sl: new Float64Array(n),
    su: new Float64Array(n),
  };
}

/** y_k . v */
export function dotPoint(s: BobyqaState, k: number, v: ArrayLike<number>): number {
  const { n, xpt } = s;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xpt[k * n + i] * v[i];
  return sum;
}

/** out = G v, G the model's second-derivative matrix. */
export function modelHessMul(s: BobyqaState, v: ArrayLike<number>, out: Float64Array): void {
  const { n, m, hq, pq, xpt } = s;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += hq[i * n + j] * v[j];
    out[i] = sum;
  }
  for (let k = 0; k < m; k++) {
    if (pq[k] === 0) continue;
    const t = pq[k] * dotPoint(s, k, v);
    for (let i = 0; i < n; i++) out[i] += t * xpt[k * n + i];
  }
}

/** G_jj, the model's curvature along coordinate j. */
export function modelCurvature(s: BobyqaState, j: number): number {
  const { n, m, hq, pq, xpt } = s;
  let c = hq[j * n + j];
  for (let k = 0; k < m; k++) c += pq[k] * xpt[k * n + j] ** 2;
  return c;
}

/** Omega e_t, that is column t of Omega = Z Z'. */
export function omegaColumn(s: BobyqaState, t: number, out: Float64Array): void {
  const { m, nz, zmat } = s;
  for (let k = 0; k < m; k++) {
    let sum = 0;
    for (let j = 0; j < nz; j++) sum += zmat[k * nz + j] * zmat[t * nz + j];
    out[k] = sum;
  }
}

/** Omega_kk */
export function omegaDiag(s: BobyqaState, k: number): number {
  const { nz, zmat } = s;
  let sum = 0;
  for (let j = 0; j < nz; j++) sum += zmat[k * nz + j] ** 2;
  return sum;
}

/** Values of the Lagrange functions at xopt + d and the denominator term beta. */
export interface LagrangeAtStep {
  /** vlag[k] = l_k(xopt + d) for k < m; vlag[m + i] = component i of the lower block of H w. */
  vlag: Float64Array;
  beta: number;
}

/**
 * H w(x) and beta for x = xopt + d, where w(x) = [ (y_k . x)^2 / 2 ; 1 ; x ].
 * Since H w(xopt) = e_kopt, H w(x) = e_kopt + H (w(x) - w(xopt)), and the
 * difference wh has a zero constant slot: wh_k = (y_k . d)(y_k . (xopt + d/2)).
 * beta = ||x||^4/2 + ||xopt||^4/2 - (x . xopt)^2 - wh' H wh, with the first three
 * terms written as dx^2 + |d|^2 (|xopt|^2 + 2 dx + |d|^2/2), dx = d . xopt, which
 * avoids cancellation when xopt is far from the origin.
 */
export function lagrangeAtStep(s: BobyqaState, d: Float64Array): LagrangeAtStep {
  const { n, m, nz, xpt, xopt, bmat, zmat } = s;
  const wh = new Float64Array(m);
  const bd = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let yd = 0;
    let yx = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      const y = xpt[k * n + i];
      yd += y * d[i];
      yx += y * (xopt[i] + 0.5 * d[i]);
      b += bmat[k * n + i] * d[i];
    }
    wh[k] = yd * yx;
    bd[k] = b;
  }
  const zw = new Float64Array(nz);
  for (let k = 0; k < m; k++) {
    for (let j = 0; j < nz; j++) zw[j] += zmat[k * nz + j] * wh[k];
  }
  const vlag = new Float64Array(m + n);
  let whHwh = 0;
  for (let k = 0; k < m; k++) {
    let om = 0;
    for (let j = 0; j < nz; j++) om += zmat[k * nz + j] * zw[j];
    vlag[k] = om + bd[k];
    whHwh += 2 * wh[k] * bd[k];
  }
  for (let j = 0; j < nz; j++) whHwh += zw[j] * zw[j];
  vlag[s.kopt] += 1;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let k = 0; k < m; k++) v += bmat[k * n + i] * wh[k];
    let ud = 0;
    for (let j = 0; j < n; j++) ud += bmat[(m + i) * n + j] * d[j];
    vlag[m + i] = v + ud;
    whHwh += d[i] * ud;
  }
  let dx = 0;
  let dsq = 0;
  let xsq = 0;
  for (let i = 0; i < n; i++) {
    dx += d[i] * xopt[i];
    dsq += d[i] * d[i];
    xsq += xopt[i] * xopt[i];
  }
  const beta = dx * dx + dsq * (xsq + 2 * dx + 0.5 * dsq) - whHwh;
  return { vlag, beta };
}

/**
 * The absolute point xbase + y, clipped to [xl, xu]; a coordinate with y_i equal
 * to a relative bound is set to that bound exactly, so bounds are hit exactly.
 */
export function toAbsolute(
  s: BobyqaState, y: ArrayLike<number>, xl: Float64Array, xu: Float64Array, out: Float64Array,
): void {
  for (let i = 0; i < s.n; i++) {
    if (y[i] === s.sl[i]) out[i] = xl[i];
    else if (y[i] === s.su[i]) out[i] = xu[i];
    else out[i] = Math.min(Math.max(s.xbase[i] + y[i], xl[i]), xu[i]);
  }
}
