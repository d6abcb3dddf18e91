/**
 * The L1-penalised ML criterion of a linear mixed model at fixed covariance
 * parameters theta (Schelldorfer, Buehlmann and van de Geer 2011, lmmlasso),
 * with sigma profiled out and beta minimised exactly.
 *
 * With L the blocked Cholesky factor at theta (lmm/updateL.ts), its last block
 * [L_X 0; l' r] gives, for any beta, the penalised residual sum of squares
 *
 *   r2(beta) = r^2 + |L_X' beta - l|^2,
 *
 * and the ML deviance with sigma^2 = r2(beta) / n (lmm/objective.ts)
 *
 *   -2 logLik(theta, beta) = ldL2 - ldW + n (1 + log(2 pi r2(beta) / n)).
 *
 * The criterion is -logLik + lambda sum_j w_j |beta_j|. For fixed theta it is
 * minimised over beta by majorisation: log(s) <= log(s_k) + (s - s_k) / s_k,
 * so each step is the lasso on the quadratic n |L_X' beta - l|^2 / (2 s_k)
 * (quadraticLasso.ts), s_k = r2 at the current beta; the criterion decreases
 * at every step and the fixed point is its minimum over beta (KKT:
 * n [L_X (L_X' beta - l)]_j / r2(beta) = -lambda w_j sign(beta_j) for the
 * nonzero, |.| <= lambda w_j for the zero coefficients).
 */
import type { LmmProblem } from '../lmm/problem.js';
import { ldL2 } from '../lmm/objective.js';
import { quadraticLasso } from './quadraticLasso.js';

export interface CriterionValue {
  /** -logLik + lambda sum w |beta| (Infinity where L fails). */
  objective: number;
  /** The ML log-likelihood at (theta, beta). */
  logLik: number;
  /** sigma^2 = r2(beta) / n. */
  sigma2: number;
}

const MM_TOL = 1e-12;
const MM_MAXIT = 500;

/**
 * l of the module comment for the user's response. The blocks hold the
 * response shifted by a least-squares fit, y - X c (lmm/conditioning/responseShift.ts), so
 * the factor's last row is l~ = l - L_X' c: l = l~ + L_X' c, so that beta
 * (and its penalty) is in the user's units. Call after prob.evaluate(theta).
 */
export function unshiftedL(prob: LmmProblem): Float64Array {
  const { L, A } = prob;
  const P = L.P, p = P - 1, c = A.yShift;
  return Float64Array.from({ length: p }, (_, k) => {
    let s = L.xx[p + k * P];
    if (c !== null) for (let a = k; a < p; a++) s += L.xx[a + k * P] * c[a];
    return s;
  });
}

/**
 * The criterion at theta, minimised over beta (warm-started from `beta`,
 * which receives the minimiser). `l1[j]` = lambda w_j (Infinity holds beta_j at 0).
 */
export function lmmCriterion(prob: LmmProblem, theta: ArrayLike<number>, l1: Float64Array, beta: Float64Array): CriterionValue {
  if (!Number.isFinite(prob.evaluate(theta))) return { objective: Infinity, logLik: -Infinity, sigma2: NaN };
  const { L, A, frame } = prob;
  const n = frame.nobs, P = L.P, p = P - 1;
  const M = new Float64Array(p * p), v = new Float64Array(p), l = unshiftedL(prob);
  for (let a = 0; a < p; a++) {
    for (let c = 0; c <= a; c++) {
      let s = 0;
      for (let k = 0; k <= c; k++) s += L.xx[a + k * P] * L.xx[c + k * P];
      M[a + c * p] = M[c + a * p] = s;
    }
    let s = 0;
    for (let k = 0; k <= a; k++) s += L.xx[a + k * P] * l[k];
    v[a] = s;
  }
  const r = L.xx[p + p * P];
  const r2 = (b: Float64Array) => {
    let s = r * r;
    for (let k = 0; k < p; k++) {
      let e = -l[k];
      for (let a = k; a < p; a++) e += L.xx[a + k * P] * b[a];
      s += e * e;
    }
    return s;
  };
  const Q = new Float64Array(p * p), c = new Float64Array(p), scaled = new Float64Array(p);
  let s = r2(beta);
  for (let it = 0; it < MM_MAXIT; it++) {
    const f = n / s;
    for (let k = 0; k < p * p; k++) Q[k] = f * M[k];
    for (let k = 0; k < p; k++) c[k] = f * v[k];
    const before = beta.slice();
    quadraticLasso(p, Q, c, l1, beta);
    s = r2(beta);
    let moved = 0;
    for (let k = 0; k < p; k++) moved = Math.max(moved, Q[k * (p + 1)] * (beta[k] - before[k]) ** 2);
    if (moved < MM_TOL * MM_TOL) break;
  }
  for (let k = 0; k < p; k++) scaled[k] = l1[k] === Infinity ? 0 : l1[k] * Math.abs(beta[k]);
  const dev = ldL2(L) - A.ldW + n * (1 + Math.log((2 * Math.PI * s) / n));
  const logLik = -dev / 2;
  return { objective: -logLik + scaled.reduce((a, b) => a + b, 0), logLik, sigma2: s / n };
}
