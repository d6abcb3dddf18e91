/**
 * The variance parameters of a linear mixed model and their asymptotic
 * covariance, as Satterthwaite's method needs them (Kuznetsova, Brockhoff &
 * Christensen 2017, section 3.2).
 *
 * varpar = (theta, sigma): the relative covariance parameters and the residual
 * standard deviation. With beta profiled out but sigma not, the (RE)ML
 * deviance is
 *
 *   D(theta, sigma) = a(theta) + r(theta) / sigma^2 + nu log(2 pi sigma^2) - ldW
 *
 *   a = ldL2 (+ ldRX2 for REML),  r = pwrss,  nu = n (ML) or n - p (REML),
 *
 * which at sigma^2 = r / nu is the profiled criterion the fit minimised (so
 * D(varpar-hat) = fit.objective). Its Hessian H is
 *
 *   H[theta_i, theta_j] = a_ij + r_ij / sigma^2
 *   H[theta_i, sigma]   = -2 r_i / sigma^3
 *   H[sigma, sigma]     = 6 r / sigma^4 - 2 nu / sigma^2
 *
 * with the theta derivatives of a and r exact (lmm/criterionDerivatives.ts).
 * The asymptotic covariance of varpar-hat is A = 2 H^+ (the Moore-Penrose
 * inverse over eigenvalues above EIGEN_TOL, as lmerTest does, so a parameter on
 * its boundary still gives a usable A). lmerTest applies the tolerance to H in
 * (theta, sigma), whose scale follows the data's units (Days * 1e-12 makes
 * every theta eigenvalue 1e-22, and the df wrong); here it is applied in the
 * scale-free (phi, sigma / sigma-hat), phi = s theta (lmm/thetaScale.ts):
 * H~ = D^{-1} H D^{-1}, A = D^{-1} 2 H~^+ D^{-1}, D = diag(s, 1 / sigma-hat),
 * which is 2 H^{-1} exactly whenever H is positive definite. A scalar variance
 * held at its bound (its derivatives are 0) is left out of H^+ and of the messages.
 *
 * vcov(beta) = C(theta, sigma) = sigma^2 M(theta), M = (L_X L_X')^{-1}; its
 * Jacobian is dC/dtheta_i = sigma^2 dM/dtheta_i (exact), dC/dsigma = 2 sigma M.
 *
 * Only where a vector-valued term is singular (no Lambda^{-1}) are the theta
 * derivatives finite differences: F(theta) = (a, r, M) at theta, theta +- h e_i
 * and theta +- (h e_i + h e_j) (i < j), steps h_i = STEP max(1, |phi_i|) / s_i
 * in the scale-free phi = s theta (lmm/thetaScale.ts),
 *
 *   F_i  = (F(+i) - F(-i)) / 2h_i
 *   F_ii = (F(+i) - 2 F + F(-i)) / h_i^2
 *   F_ij = (F(+i+j) + F(-i-j) - F(+i) - F(-i) - F(+j) - F(-j) + 2 F) / 2 h_i h_j
 *
 * with one Richardson step over h and h/2, (4 D(h/2) - D(h)) / 3, leaving
 * O(h^4); 1 + 4 m (m + 1) evaluations for m = length(theta). The criterion is
 * smooth in theta over all of R^m, so steps may cross a bound of 0, as
 * numDeriv's do in lmerTest.
 */
import { MixedModelsError } from '../../errors.js';
import type { LinearMixedModel } from '../../api/fit.js';
import { trsmLeftLower } from '../../linalg/trsm.js';
import { criterionDerivatives, type CriterionDerivatives } from '../../lmm/criterionDerivatives.js';
import { lmmProblem, type LmmProblem } from '../../lmm/problem.js';
import { centring, congruent, knownCentring, type Centring } from '../../lmm/conditioning/centring.js';
import { centredTermsOf } from '../../lmm/conditioning/termCentring.js';
import type { ModelFrame } from '../../frame/types.js';
import { devianceParts } from '../../lmm/objective.js';
import { symmetricEigen } from './ddfEigen.js';

/** Relative step of the finite differences in theta. */
export const STEP = 1e-3;
/** Eigenvalues of H at or below this are dropped from its inverse (lmerTest's tol). */
export const EIGEN_TOL = 1e-8;

export interface Varpar {
  /** (theta, sigma), length k = ntheta + 1. */
  varpar: Float64Array;
  k: number;
  /** Number of fixed effects. */
  p: number;
  /** Hessian of D at varpar, k x k. */
  hessian: Float64Array;
  /** A = 2 H^+, k x k: the asymptotic covariance of varpar-hat. */
  vcovVarpar: Float64Array;
  /** vcov(beta) at varpar, p x p. */
  vcovBeta: Float64Array;
  /** dC/dvarpar_i, k matrices of p x p. */
  jacobian: Float64Array[];
  /** Warnings about H (not positive definite). */
  messages: string[];
  /** Criterion evaluations made. */
  evaluations: number;
}

/** M(theta) = (L_X L_X')^{-1} from a filled L (p x p). */
function unscaledVcov(prob: LmmProblem): Float64Array {
  const { L } = prob, P = L.P, p = P - 1;
  const inv = new Float64Array(p * p);
  for (let c = 0; c < p; c++) inv[c * (p + 1)] = 1;
  trsmLeftLower(p, p, L.xx, 0, P, inv, 0, p);
  const M = new Float64Array(p * p);
  for (let s = 0; s < p; s++) {
    for (let r = 0; r <= s; r++) {
      let acc = 0;
      for (let x = s; x < p; x++) acc += inv[x + r * p] * inv[x + s * p];
      M[r + s * p] = acc;
      M[s + r * p] = acc;
    }
  }
  return M;
}

/** F(theta) = (a, r, M...) of the module comment. */
function thetaFunctions(prob: LmmProblem, theta: ArrayLike<number>): Float64Array {
  if (!Number.isFinite(prob.evaluate(theta))) {
    throw new MixedModelsError('the variance parameters cannot be differentiated here: the Cholesky factorisation failed near the estimates');
  }
  const parts = devianceParts(prob.L);
  const p = prob.frame.p;
  const out = new Float64Array(2 + p * p);
  out[0] = parts.ldL2 + (prob.REML ? parts.ldRX2 : 0);
  out[1] = parts.pwrss;
  out.set(unscaledVcov(prob), 2);
  return out;
}

/** D(theta, sigma) of the module comment for `varpar` = (theta, sigma). */
export function varparDeviance(prob: LmmProblem, varpar: ArrayLike<number>): number {
  const k = varpar.length, sigma = varpar[k - 1];
  const f = thetaFunctions(prob, Array.from(varpar).slice(0, k - 1));
  const n = prob.frame.nobs, nu = prob.REML ? n - prob.frame.p : n;
  return f[0] + f[1] / (sigma * sigma) + nu * Math.log(2 * Math.PI * sigma * sigma) - prob.A.ldW;
}

/** Central differences of F at relative step `h` in phi (module comment); F0 = F(theta). */
function differences(F: (t: Float64Array) => Float64Array, theta: Float64Array, scale: Float64Array, F0: Float64Array, h: number) {
  const m = theta.length;
  const step = Float64Array.from(theta, (t, i) => (h * Math.max(1, Math.abs(t * scale[i]))) / scale[i]);
  const at = (i: number, si: number, j = -1, sj = 0): Float64Array => {
    const x = theta.slice();
    x[i] += si * step[i];
    if (j >= 0) x[j] += sj * step[j];
    return F(x);
  };
  const plus = Array.from({ length: m }, (_, i) => at(i, 1));
  const minus = Array.from({ length: m }, (_, i) => at(i, -1));
  const d1 = plus.map((fp, i) => fp.map((v, e) => (v - minus[i][e]) / (2 * step[i])));
  const d2 = new Float64Array(2 * m * m);
  for (let i = 0; i < m; i++) {
    for (let e = 0; e < 2; e++) d2[e * m * m + i * (m + 1)] = (plus[i][e] - 2 * F0[e] + minus[i][e]) / (step[i] * step[i]);
    for (let j = 0; j < i; j++) {
      const pp = at(i, 1, j, 1), mm = at(i, -1, j, -1);
      for (let e = 0; e < 2; e++) {
        d2[e * m * m + i + j * m] = d2[e * m * m + j + i * m] =
          (pp[e] + mm[e] - plus[i][e] - minus[i][e] - plus[j][e] - minus[j][e] + 2 * F0[e]) / (2 * step[i] * step[j]);
      }
    }
  }
  return { d1, d2 };
}

const richardson = (coarse: Float64Array, fine: Float64Array) => coarse.map((c, e) => (4 * fine[e] - c) / 3);

/** The derivatives of criterionDerivatives by extrapolated differences (module comment). */
function numericDerivatives(prob: LmmProblem, theta: ArrayLike<number>): CriterionDerivatives {
  const t = Float64Array.from(theta), m = t.length, p = prob.frame.p;
  const F = (x: Float64Array): Float64Array => thetaFunctions(prob, x);
  const value = F(t);
  const coarse = differences(F, t, prob.thetaScale, value, STEP);
  const fine = differences(F, t, prob.thetaScale, value, STEP / 2);
  const d1 = coarse.d1.map((c, i) => richardson(c, fine.d1[i]));
  const d2 = richardson(coarse.d2, fine.d2);
  return {
    a: value[0],
    r: value[1],
    da: Float64Array.from(d1, (d) => d[0]),
    dr: Float64Array.from(d1, (d) => d[1]),
    d2a: d2.slice(0, m * m),
    d2r: d2.slice(m * m),
    M: value.slice(2, 2 + p * p),
    dM: d1.map((d) => d.slice(2)),
    fixed: new Uint8Array(m),
  };
}

/** H (k x k) of the module comment from the theta derivatives of a and r. */
function hessianAt(der: CriterionDerivatives, sigma: number, nu: number): Float64Array {
  const m = der.da.length, k = m + 1, H = new Float64Array(k * k);
  const s2 = sigma * sigma, r = der.r;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) H[i + j * k] = der.d2a[i + j * m] + der.d2r[i + j * m] / s2;
    H[i + m * k] = H[m + i * k] = (-2 * der.dr[i]) / (s2 * sigma);
  }
  H[m + m * k] = (6 * r) / (s2 * s2) - (2 * nu) / s2;
  return H;
}

/**
 * 2 H^+ over the eigenvalues above EIGEN_TOL in the coordinates D (module comment;
 * `scale` = diag(D)), and warnings about the others; the `fixed` parameters are left out (zero rows of A).
 */
function covarianceFromHessian(K: number, Hfull: Float64Array, scale: Float64Array, fixed: Uint8Array): { A: Float64Array; messages: string[] } {
  const keep = Array.from({ length: K }, (_, i) => i).filter((i) => i >= fixed.length || !fixed[i]);
  const k = keep.length;
  const H = Float64Array.from({ length: k * k }, (_, e) => {
    const i = keep[e % k], j = keep[Math.floor(e / k)];
    return Hfull[i + j * K] / (scale[i] * scale[j]);
  });
  const { values, vectors } = symmetricEigen(k, H);
  const A = new Float64Array(K * K);
  values.forEach((lambda, e) => {
    if (!(lambda > EIGEN_TOL)) return;
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < k; i++) A[keep[i] + keep[j] * K] += (2 * vectors[i + e * k] * vectors[j + e * k]) / (lambda * scale[keep[i]] * scale[keep[j]]);
    }
  });
  const negative = values.filter((v) => v < -EIGEN_TOL).length;
  const zero = values.filter((v) => Math.abs(v) <= EIGEN_TOL).length;
  const messages: string[] = [];
  if (negative > 0) messages.push(`the Hessian of the deviance in the variance parameters has ${negative} negative eigenvalue(s): the model may not have converged; degrees of freedom are approximate`);
  else if (zero > 0) messages.push(`the Hessian of the deviance in the variance parameters has ${zero} eigenvalue(s) near zero: degrees of freedom are approximate`);
  return { A, messages };
}

/** The Varpar summary of a problem at (theta, sigma); `reuse`: the problem's last evaluation, if at theta, stands (criterionDerivatives). */
export function varparAt(prob: LmmProblem, theta: ArrayLike<number>, sigma: number, reuse = false): Varpar {
  const p = prob.frame.p, m = theta.length, k = m + 1;
  const n = prob.frame.nobs, nu = prob.REML ? n - p : n;
  const before = prob.evaluations();
  // criterionDerivatives leaves L and Lambda at theta; the numeric ones evaluate around it, so re-evaluate after those only.
  const exact = criterionDerivatives(prob, theta, reuse);
  const der = exact ?? numericDerivatives(prob, theta);
  const hessian = hessianAt(der, sigma, nu);
  const { A, messages } = covarianceFromHessian(k, hessian, Float64Array.from([...prob.thetaScale, 1 / sigma]), der.fixed);
  const M = der.M;
  const s2 = sigma * sigma;
  const jacobian = [...der.dM.map((d) => d.map((v) => s2 * v)), M.map((v) => 2 * sigma * v)];
  if (exact === null) prob.evaluate(theta);
  return {
    varpar: Float64Array.from([...Array.from(theta), sigma]),
    k,
    p,
    hessian,
    vcovVarpar: A,
    vcovBeta: M.map((v) => s2 * v),
    jacobian,
    messages,
    evaluations: prob.evaluations() - before,
  };
}

const cache = new WeakMap<object, Varpar>();

/**
 * The Varpar summary of a fitted LMM at its estimates, computed once per fit;
 * `problem`: the one the fit optimised (lmm/lmer.ts fitLmmProblem), instead of forming the blocks again.
 */
export function varpar(model: LinearMixedModel, problem?: LmmProblem): Varpar {
  const hit = cache.get(model.fit);
  if (hit !== undefined) return hit;
  const REML = model.fit.REML, given = (frame: ModelFrame) => (problem !== undefined && problem.REML === REML && problem.frame === frame ? problem : null);
  // A fit made with random slopes centred (lmm/conditioning/termCentring.ts): the df do not depend on that parameterisation.
  const terms = centredTermsOf(model.fit);
  const frame = terms?.frame ?? model.frame, theta = terms?.theta ?? model.fit.theta;
  // A fit made on centred columns (lmm/conditioning/centring.ts): the derivatives there, mapped to the user's columns.
  let prob: LmmProblem | null = null;
  let c = knownCentring(frame);
  if (c === undefined) {
    prob = given(frame) ?? lmmProblem(frame, { REML });
    c = centring(frame, prob.A.xx);
  }
  if (c !== null) prob = given(c.frame) ?? lmmProblem(c.frame, { REML });
  prob ??= given(frame) ?? lmmProblem(frame, { REML });
  // The fit's own problem was left at its estimates by finishLmm: its factor there is reused.
  const at = varparAt(prob, theta, model.fit.sigma, prob === problem);
  const out = c === null ? at : userColumns(at, c);
  cache.set(model.fit, out);
  return out;
}

/** A Varpar of centred columns with beta's covariance and its derivatives of the user's columns. */
function userColumns(v: Varpar, c: Centring): Varpar {
  return { ...v, vcovBeta: congruent(c, v.vcovBeta, v.p), jacobian: v.jacobian.map((J) => congruent(c, J, v.p)) };
}
