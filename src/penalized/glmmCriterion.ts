/**
 * The L1-penalised Laplace criterion of a generalized linear mixed model at
 * fixed covariance parameters theta (in the spirit of glmmLasso, Groll and
 * Tutz 2014, but on glmer's Laplace likelihood itself):
 *
 *   -logLik_Laplace(theta, beta) + lambda sum_j w_j |beta_j|,
 *
 * -2 logLik_Laplace = glmm/problem.ts devfun(theta, beta, 1) (PIRLS for the
 * conditional modes at fixed beta, fully converged). Minimised over beta by
 * proximal Newton steps: with g the gradient of -logLik (analytic where the
 * Newton stage of glmer has one: a scalar term or two crossed scalar terms,
 * canonical link; else central differences) and H = L_X L_X' from the PIRLS
 * system (the information of beta with the modes profiled out), the step
 * solves the lasso on g'd + d'H d / 2 (quadraticLasso.ts) and is halved until
 * the criterion decreases by a quarter of the predicted amount. Stops when
 * the step is below 1e-9 in the norm of H.
 */
import { CrossedGradient, hasCrossedGradient } from '../glmm/laplace/crossedGradient.js';
import { LaplaceGradient, hasLaplaceGradient } from '../glmm/laplace/laplaceGradient.js';
import { BlockedPirls } from '../glmm/pirls/pirlsBlocked.js';
import { ScalarPirls } from '../glmm/pirls/pirlsScalar.js';
import type { GlmmProblem } from '../glmm/problem.js';
import type { CriterionValue } from './lmmCriterion.js';
import { quadraticLasso } from './quadraticLasso.js';

interface Derivative {
  gradient(theta: ArrayLike<number>, out: Float64Array): boolean;
}

/** The analytic gradient of devfun over (theta, beta), when the model has one. */
export function laplaceDerivative(prob: GlmmProblem): Derivative | null {
  const e = prob.engine;
  if (e instanceof ScalarPirls && hasLaplaceGradient(e)) return new LaplaceGradient(e);
  if (e instanceof BlockedPirls && hasCrossedGradient(e)) return new CrossedGradient(e);
  return null;
}

const STEP_TOL = 1e-9;
const MAX_NEWTON = 100;
const MAX_HALVINGS = 40;

function penalty(l1: Float64Array, beta: Float64Array): number {
  let s = 0;
  for (let j = 0; j < beta.length; j++) if (beta[j] !== 0) s += l1[j] * Math.abs(beta[j]);
  return s;
}

/** -logLik at (theta, beta); the engine is left at beta. */
function halfDeviance(prob: GlmmProblem, theta: ArrayLike<number>, beta: Float64Array): number {
  return prob.devfun(theta, beta, 1) / 2;
}

/** Gradient of -logLik in beta at the engine's state (theta, beta). */
function gradientAt(prob: GlmmProblem, d: Derivative | null, theta: ArrayLike<number>, beta: Float64Array, H: Float64Array): Float64Array | null {
  const p = prob.p, nt = prob.ntheta;
  if (d !== null) {
    const out = new Float64Array(nt + p);
    if (d.gradient(theta, out)) return out.map((v) => v / 2).subarray(nt);
  }
  const g = new Float64Array(p), b = beta.slice();
  for (let j = 0; j < p; j++) {
    const h = 1e-4 / Math.sqrt(Math.max(H[j * (p + 1)], 1e-12));
    b[j] = beta[j] + h;
    const up = halfDeviance(prob, theta, b);
    b[j] = beta[j] - h;
    const down = halfDeviance(prob, theta, b);
    b[j] = beta[j];
    if (!Number.isFinite(up) || !Number.isFinite(down)) return null;
    g[j] = (up - down) / (2 * h);
  }
  halfDeviance(prob, theta, beta);
  return g;
}

/** H = L_X L_X' at the engine's current state. */
function information(prob: GlmmProblem, theta: ArrayLike<number>): Float64Array | null {
  const L = prob.engine.fixedFactor(theta);
  if (L === null) return null;
  const p = prob.p, H = new Float64Array(p * p);
  for (let r = 0; r < p; r++) {
    for (let c = 0; c <= r; c++) {
      let v = 0;
      for (let k = 0; k <= c; k++) v += L[r + k * p] * L[c + k * p];
      H[r + c * p] = H[c + r * p] = v;
    }
  }
  return H;
}

/**
 * The criterion at theta, minimised over beta (warm-started from `beta`,
 * which receives the minimiser). `l1[j]` = lambda w_j (Infinity holds beta_j at 0).
 */
export function glmmCriterion(prob: GlmmProblem, d: Derivative | null, theta: ArrayLike<number>, l1: Float64Array, beta: Float64Array): CriterionValue {
  const p = prob.p;
  for (let j = 0; j < p; j++) if (l1[j] === Infinity) beta[j] = 0;
  let f = halfDeviance(prob, theta, beta);
  if (!Number.isFinite(f)) return { objective: Infinity, logLik: -Infinity, sigma2: 1 };
  for (let it = 0; it < MAX_NEWTON; it++) {
    const H = information(prob, theta);
    const g = H && gradientAt(prob, d, theta, beta, H);
    if (H === null || g === null) break;
    const c = new Float64Array(p);
    for (let r = 0; r < p; r++) {
      let s = -g[r];
      for (let k = 0; k < p; k++) s += H[r + k * p] * beta[k];
      c[r] = s;
    }
    const target = beta.slice();
    quadraticLasso(p, H, c, l1, target);
    const step = target.map((t, j) => t - beta[j]);
    let size = 0, predicted = penalty(l1, target) - penalty(l1, beta);
    for (let j = 0; j < p; j++) {
      size = Math.max(size, H[j * (p + 1)] * step[j] * step[j]);
      predicted += g[j] * step[j];
    }
    if (size < STEP_TOL * STEP_TOL || !(predicted < 0)) break;
    const obj0 = f + penalty(l1, beta);
    let t = 1, accepted = false;
    const trial = new Float64Array(p);
    for (let h = 0; h < MAX_HALVINGS; h++, t /= 2) {
      for (let j = 0; j < p; j++) trial[j] = beta[j] + t * step[j];
      const ft = halfDeviance(prob, theta, trial);
      if (Number.isFinite(ft) && ft + penalty(l1, trial) <= obj0 + 0.25 * t * predicted) {
        beta.set(trial);
        f = ft;
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      f = halfDeviance(prob, theta, beta);
      break;
    }
  }
  return { objective: f + penalty(l1, beta), logLik: -f, sigma2: 1 };
}
