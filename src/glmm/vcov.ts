/**
 * The covariance of the fixed effects of a GLMM, as lme4's vcov.merMod
 * (use.hessian = TRUE for glmer): with H the Hessian of the criterion
 * (-2 log-likelihood, lme4's devfun) over (theta, beta),
 *
 *   vcov(beta) = 2 [H^-1]_beta,beta
 *
 * (the beta block of 2 H^-1; sigma does not enter: for families with a
 * dispersion the criterion already holds it, through the family's aic at
 * disp = deviance / n). Without H (nAGQ = 0), or when it is not positive
 * definite, lme4 takes sigma^2 (L_X L_X')^-1 from the final PIRLS factor
 * (pp$unsc(), whose weights hold no dispersion), sigma lme4's sigma
 * (finish.ts; 1 for binomial and Poisson).
 *
 * lme4 takes H from deriv12 (central differences, step 1e-4 in the raw units of
 * theta and beta). Where the criterion is evaluated as lme4 evaluates it (PIRLS
 * stopped at a relative change of 1e-7: glmer.ts, laplace 'lme4'), that step is
 * taken here too (`lme4Hessian`), because it is what lme4's standard errors
 * are: for Gamma(log) on sleepstudy the truncation of PIRLS moves the
 * criterion by about 2e-5, which over a step of 1e-4 shifts H by 5% and the
 * Days standard error from 0.002439 (the Hessian to 1e-6, any small step) to
 * lme4's 0.002523. Elsewhere H is the criterion's own second derivative, and
 * also where lme4's step is too small to measure it: when the rounding error
 * of the criterion (ROUNDING |f| over the step squared) exceeds LME4_STEP_NOISE
 * of a diagonal element of H. lme4's standard errors are then rounding noise
 * that no other evaluation order reproduces (Gamma(identity) on sleepstudy:
 * theta = 191, H_theta,theta = 0.003 from differences of 3e-11 in a criterion
 * of 1757: lme4 11.5 for the intercept, the Hessian itself 11.8).
 */
import { potrfUnblocked } from '../linalg/potrf.js';
import { trsmLeftLower } from '../linalg/trsm.js';
import { fdDerivatives, fdHessian } from '../optim/gradient.js';
import type { GlmmProblem } from './problem.js';

/** lme4's deriv12 step. */
export const LME4_DERIV_STEP = 1e-4;
/** Relative rounding error assumed for the criterion (a sum over the rows). */
const ROUNDING = 1e-13;
/** Largest share of a Hessian element that lme4's step may leave to rounding. */
const LME4_STEP_NOISE = 1e-3;

/** (L L')^-1 from a p x p lower Cholesky factor. */
export function inverseFromFactor(p: number, L: Float64Array): Float64Array {
  const inv = new Float64Array(p * p);
  for (let c = 0; c < p; c++) inv[c * (p + 1)] = 1;
  trsmLeftLower(p, p, L, 0, p, inv, 0, p);
  const v = new Float64Array(p * p);
  for (let s = 0; s < p; s++) {
    for (let r = 0; r < p; r++) {
      let acc = 0;
      for (let x = Math.max(r, s); x < p; x++) acc += inv[x + r * p] * inv[x + s * p];
      v[r + s * p] = acc;
    }
  }
  return v;
}

/**
 * (L_X L_X')^-1 at the current PIRLS state and the standard errors it gives
 * (ones where it fails): nAGQ = 0's vcov, lme4's fallback, and beta's units for the optimiser.
 */
export function pirlsVcov(prob: GlmmProblem, theta: Float64Array): { vcov: Float64Array | null; scale: Float64Array } {
  const L = prob.engine.fixedFactor(theta);
  const p = prob.p;
  if (L === null) return { vcov: null, scale: new Float64Array(p).fill(1) };
  const vcov = inverseFromFactor(p, L);
  return { vcov, scale: Float64Array.from({ length: p }, (_, j) => Math.sqrt(vcov[j * (p + 1)]) || 1) };
}

/**
 * 2 H^-1 restricted to beta (H row-major over nt thetas then p betas, beta
 * measured in units of `scale`), in beta's own units; null if H is not positive definite.
 */
export function hessianVcov(H: Float64Array, nt: number, p: number, scale: ArrayLike<number>): Float64Array | null {
  const m = nt + p, h = new Float64Array(m * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) h[r + c * m] = 0.5 * (H[r * m + c] + H[c * m + r]);
  if (potrfUnblocked(m, h, 0, m) !== 0) return null;
  const inv = inverseFromFactor(m, h);
  const v = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) v[a + b * p] = 2 * inv[nt + a + (nt + b) * m] * scale[a] * scale[b];
  }
  return v;
}

/**
 * lme4's deriv12 Hessian of the criterion at (theta, beta): central
 * differences with the step LME4_DERIV_STEP in every raw coordinate, no bounds
 * (lme4 passes none; the criterion is even in a scalar term's theta).
 */
export function lme4Hessian(prob: GlmmProblem, nAGQ: number, theta: Float64Array, beta: Float64Array): Float64Array {
  const nt = prob.ntheta, th = new Float64Array(nt), b = new Float64Array(prob.p);
  // Offsets from the optimum, so that every step is exactly LME4_DERIV_STEP (fdDerivatives scales steps by max(1, |x|)).
  const f = (d: Float64Array) => {
    for (let e = 0; e < nt; e++) th[e] = theta[e] + d[e];
    for (let j = 0; j < b.length; j++) b[j] = beta[j] + d[nt + j];
    return prob.devfun(th, b, nAGQ);
  };
  return fdDerivatives(f, new Float64Array(nt + prob.p), LME4_DERIV_STEP).hessian;
}

/**
 * True when lme4's step measures every diagonal element of the Hessian, given
 * the criterion f at the optimum and the diagonal of an accurate Hessian in raw units.
 */
export function lme4StepMeasures(f: number, diagonal: ArrayLike<number>): boolean {
  const noise = (ROUNDING * Math.abs(f)) / (LME4_DERIV_STEP * LME4_DERIV_STEP);
  return Array.from(diagonal).every((h) => noise <= LME4_STEP_NOISE * Math.abs(h));
}

/** Step of convergedHessian, in the units of its coordinates. */
const CONVERGED_STEP = 1e-3;

/**
 * The Hessian of the converged criterion (PIRLS to its own tolerance, not
 * lme4's) at (theta, beta), row-major over the nt thetas then the p betas,
 * in coordinates measured in `units` (nt + p: units in which the criterion's
 * curvature is of order one, such as theta's curvature scale and beta's
 * standard errors): central differences of step CONVERGED_STEP, forwards on
 * theta's bound. Over that step the criterion's rounding (ROUNDING |f|)
 * shifts an element by about 1e-4 at |f| = 1000, against elements near 2;
 * the truncation error is of order step^2.
 */
export function convergedHessian(prob: GlmmProblem, nAGQ: number, theta: Float64Array, beta: Float64Array, units: ArrayLike<number>): Float64Array {
  const nt = prob.ntheta, p = prob.p, th = new Float64Array(nt), b = new Float64Array(p);
  const lp0 = prob.lp0;
  prob.lp0 = null;
  try {
    const f = (x: Float64Array) => {
      for (let e = 0; e < nt; e++) th[e] = theta[e] + units[e] * x[e];
      for (let j = 0; j < p; j++) b[j] = beta[j] + units[nt + j] * x[nt + j];
      return prob.devfun(th, b, nAGQ);
    };
    const lower = Float64Array.from({ length: nt + p }, (_, e) => (e < nt ? (prob.map.lower[e] - theta[e]) / units[e] : -Infinity));
    return fdHessian(f, new Float64Array(nt + p), CONVERGED_STEP, lower);
  } finally {
    prob.lp0 = lp0;
  }
}
