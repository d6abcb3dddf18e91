/**
 * Changes to BOBYQA's state when an interpolation point moves (Powell 2004, 2009),
 * and the shift of the origin xbase.
 *
 * Replacing point y_t by x (w = w(x), v = e_t - H w, tau = l_t(x) = (H w)_t,
 * alpha = Omega_tt, sigma = alpha beta + tau^2):
 *
 *   H+ = H + [ alpha v v' - beta H e_t e_t' H + tau (H e_t v' + v e_t' H) ] / sigma.
 *
 * On the Omega block this stays in factored form: after Givens rotations of the
 * columns of Z that leave row t of Z as (zeta, 0, ..., 0), so that H e_t = zeta Z_1
 * and alpha = zeta^2, the update is Z_1 <- (tau Z_1 + zeta v) / sqrt(sigma) and the
 * other columns are unchanged. The bmat block takes the formula entry by entry.
 */
import {
  type BobyqaState, dotPoint, modelHessMul, omegaColumn,
} from './model.js';

/**
 * Updates bmat and zmat so that H is the inverse for the set with y_t replaced by
 * xopt + d (vlag, beta from `lagrangeAtStep` for that d). Returns false, leaving H
 * equal in exact arithmetic to the old one, when sigma <= 0 (rounding damage).
 */
export function updateInverse(
  s: BobyqaState, t: number, vlag: Float64Array, beta: number,
): boolean {
  const { n, m, nz, zmat, bmat } = s;
  rotateRowToFirstColumn(s, t);
  const zeta = nz > 0 ? zmat[t * nz] : 0;
  const alpha = zeta * zeta;
  const tau = vlag[t];
  const sigma = alpha * beta + tau * tau;
  if (!(sigma > 0)) return false;
  const he = new Float64Array(m + n);
  const v = new Float64Array(m + n);
  for (let k = 0; k < m; k++) {
    he[k] = nz > 0 ? zeta * zmat[k * nz] : 0;
    v[k] = (k === t ? 1 : 0) - vlag[k];
  }
  for (let i = 0; i < n; i++) {
    he[m + i] = bmat[t * n + i];
    v[m + i] = -vlag[m + i];
  }
  for (let r = 0; r < m + n; r++) {
    for (let i = 0; i < n; i++) {
      const c = m + i;
      bmat[r * n + i] +=
        (alpha * v[r] * v[c] - beta * he[r] * he[c] + tau * (he[r] * v[c] + v[r] * he[c])) / sigma;
    }
  }
  if (nz > 0) {
    const root = Math.sqrt(sigma);
    for (let k = 0; k < m; k++) zmat[k * nz] = (tau * zmat[k * nz] + zeta * v[k]) / root;
  }
  return true;
}

/** Givens rotations of the columns of Z (which leave Z Z' unchanged) making row t zero past column 0. */
function rotateRowToFirstColumn(s: BobyqaState, t: number): void {
  const { m, nz, zmat } = s;
  for (let j = 1; j < nz; j++) {
    const b = zmat[t * nz + j];
    if (b === 0) continue;
    const a = zmat[t * nz];
    const r = Math.hypot(a, b);
    const c = a / r;
    const sn = b / r;
    for (let k = 0; k < m; k++) {
      const zk0 = zmat[k * nz];
      const zkj = zmat[k * nz + j];
      zmat[k * nz] = c * zk0 + sn * zkj;
      zmat[k * nz + j] = c * zkj - sn * zk0;
    }
    zmat[t * nz + j] = 0;
  }
}

/**
 * Moves point t to xnew with value f, after `updateInverse` succeeded.
 * diff = f - Q(xnew) (Q the old model); the new model is Q + diff l_t, with l_t the
 * new Lagrange function of point t, which is the least-Frobenius-norm change that
 * makes the model interpolate f at xnew. If f is the new best value, point t
 * becomes kopt and gopt moves to it.
 */
export function replacePoint(
  s: BobyqaState, t: number, xnew: Float64Array, f: number, diff: number,
): void {
  const { n, m, xpt, hq, pq, bmat, gopt, xopt } = s;
  const d = xnew.map((x, i) => x - xopt[i]);
  const fopt = s.fval[s.kopt];
  const pqt = pq[t];
  if (pqt !== 0) {
    for (let i = 0; i < n; i++) {
      const yi = xpt[t * n + i];
      for (let j = 0; j < n; j++) hq[i * n + j] += pqt * yi * xpt[t * n + j];
    }
  }
  pq[t] = 0;
  const om = new Float64Array(m);
  omegaColumn(s, t, om);
  for (let k = 0; k < m; k++) pq[k] += diff * om[k];
  for (let i = 0; i < n; i++) xpt[t * n + i] = xnew[i];
  s.fval[t] = f;
  for (let i = 0; i < n; i++) gopt[i] += diff * bmat[t * n + i];
  for (let k = 0; k < m; k++) {
    const c = diff * om[k] * dotPoint(s, k, xopt);
    if (c === 0) continue;
    for (let i = 0; i < n; i++) gopt[i] += c * xpt[k * n + i];
  }
  if (f < fopt) {
    s.kopt = t;
    const gd = new Float64Array(n);
    modelHessMul(s, d, gd);
    for (let i = 0; i < n; i++) {
      gopt[i] += gd[i];
      xopt[i] = xpt[t * n + i];
    }
  }
}

/**
 * Moves the origin xbase to the current xopt (xopt becomes 0), keeping model and H
 * exact. Shifting every point by s = xopt changes W to M W M' for a known M, so
 * H+ = M^-T H M^-1. With u_k = y_k . s - |s|^2/2 and V_k = u_k (s/2 - y_k) (rows
 * of V, m x n) and B the first m rows of bmat, that gives Omega+ = Omega,
 * B+ = B - Omega V and Ups+ = Ups - B'V - V'B + V' Omega V. The explicit Hessian
 * absorbs the shift of the implicit part: hq += w s' + s w', w = sum_k pq_k (y_k - s/2).
 */
export function shiftBase(s: BobyqaState): void {
  const { n, m, nz, xpt, bmat, zmat, xopt } = s;
  const sft = Float64Array.from(xopt);
  let ssq = 0;
  for (let i = 0; i < n; i++) ssq += sft[i] * sft[i];
  const V = new Float64Array(m * n);
  for (let k = 0; k < m; k++) {
    const u = dotPoint(s, k, sft) - 0.5 * ssq;
    for (let i = 0; i < n; i++) V[k * n + i] = u * (0.5 * sft[i] - xpt[k * n + i]);
  }
  const ZtV = new Float64Array(nz * n);
  for (let k = 0; k < m; k++) {
    for (let j = 0; j < nz; j++) {
      const z = zmat[k * nz + j];
      for (let i = 0; i < n; i++) ZtV[j * n + i] += z * V[k * n + i];
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < m; k++) {
        sum += bmat[k * n + i] * V[k * n + j] + V[k * n + i] * bmat[k * n + j];
      }
      for (let l = 0; l < nz; l++) sum -= ZtV[l * n + i] * ZtV[l * n + j];
      bmat[(m + i) * n + j] -= sum;
    }
  }
  for (let k = 0; k < m; k++) {
    for (let i = 0; i < n; i++) {
      let om = 0;
      for (let j = 0; j < nz; j++) om += zmat[k * nz + j] * ZtV[j * n + i];
      bmat[k * n + i] -= om;
    }
  }
  shiftHessian(s, sft);
  for (let k = 0; k < m; k++) {
    for (let i = 0; i < n; i++) xpt[k * n + i] -= sft[i];
  }
  for (let i = 0; i < n; i++) {
    s.xbase[i] += sft[i];
    s.sl[i] -= sft[i];
    s.su[i] -= sft[i];
    xopt[i] = 0;
    xpt[s.kopt * n + i] = 0;
  }
}

function shiftHessian(s: BobyqaState, sft: Float64Array): void {
  const { n, m, xpt, hq, pq } = s;
  const w = new Float64Array(n);
  for (let k = 0; k < m; k++) {
    if (pq[k] === 0) continue;
    for (let i = 0; i < n; i++) w[i] += pq[k] * (xpt[k * n + i] - 0.5 * sft[i]);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) hq[i * n + j] += w[i] * sft[j] + sft[i] * w[j];
  }
}
