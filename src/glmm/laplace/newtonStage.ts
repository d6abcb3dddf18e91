/**
 * Stage 2 on the exact Laplace criterion when its analytic gradient is
 * available (one scalar term: laplaceGradient.ts; scalar terms on distinct
 * factors: crossedGradient.ts; canonical links): (theta, beta) by Newton's
 * method (newton.ts), every PIRLS run warm-started (from the first-order
 * prediction of its modes where the gradient gives one). With one scalar term
 * the Hessian is exact (laplaceGradient.ts) at every step: Newton's method
 * proper, in under half the evaluations of BFGS with a difference Hessian at
 * the end (ctr_1e5: 12 against 28; glmm_binary_1e6: 5 against 13). The
 * Hessian it ends with (the exact one, or forward differences of the gradient
 * at the optimum for crossed terms) serves vcov, in place of the criterion's
 * second differences.
 *
 * Every theta here is the sd of a scalar term and the criterion is even in
 * each (u_t -> -u_t), so theta runs unconstrained and |theta| is reported.
 */
import type { OptSummary } from '../../optim/optsummary.js';
import { CrossedGradient, hasCrossedGradient } from './crossedGradient.js';
import { hasLaplaceGradient, LaplaceGradient } from './laplaceGradient.js';
import { newtonMinimize } from './newton.js';
import { BlockedPirls } from '../pirls/pirlsBlocked.js';
import { ScalarPirls } from '../pirls/pirlsScalar.js';
import type { GlmmProblem } from '../problem.js';

export interface NewtonStage {
  summary: OptSummary;
  theta: Float64Array;
  beta: Float64Array;
  fx: number;
  /** Over (theta, beta) in their own units; Hessian row-major. */
  gradient: Float64Array;
  hessian: Float64Array;
  /** Units of beta in the derivatives (ones: beta's own). */
  betaScale: Float64Array;
}

/** Decrement (deviance units) at which Newton stops. */
const NEWTON_TOL = 1e-9;

interface LaplaceDerivative {
  gradient(theta: ArrayLike<number>, out: Float64Array): boolean;
  /** The exact Hessian at the point of the last gradient (one scalar term). */
  hessian?(theta: ArrayLike<number>, out: Float64Array): boolean;
  predictModes?(theta: ArrayLike<number>, beta: ArrayLike<number>): void;
}

function derivative(prob: GlmmProblem): LaplaceDerivative | null {
  const e = prob.engine;
  if (e instanceof ScalarPirls) return hasLaplaceGradient(e) ? new LaplaceGradient(e) : null;
  if (e instanceof BlockedPirls) return hasCrossedGradient(e) ? new CrossedGradient(e) : null;
  return null;
}

/**
 * PIRLS tolerance (deviance units) of the joint run at theta0 that starts the Newton stage.
 * With the exact Hessian (one scalar term) none: the run stops after its first step from the
 * family's starting means, and Newton, quadratic in beta, starts there (ctr_1e5 and
 * glmm_binary_1e6: 2 joint passes instead of 6 and 5, the same 12 and 5 Newton evaluations;
 * small sets such as cbpp at most one evaluation more); else 1e-4, as the end point of BFGS
 * depends on its start.
 */
export function newtonStartTol(prob: GlmmProblem): number {
  return prob.engine instanceof ScalarPirls && hasLaplaceGradient(prob.engine) ? Infinity : 1e-4;
}

/** True when the Newton stage applies to the problem's Laplace criterion. */
export function hasNewtonStage(prob: GlmmProblem): boolean {
  const e = prob.engine;
  return (e instanceof ScalarPirls && hasLaplaceGradient(e)) || (e instanceof BlockedPirls && hasCrossedGradient(e));
}

export function newtonStage(prob: GlmmProblem, theta: Float64Array, beta: Float64Array, maxEval: number): NewtonStage {
  const started = performance.now();
  const d = derivative(prob);
  if (d === null) throw new Error('newtonStage: no analytic gradient for this model');
  const nt = prob.ntheta, p = prob.p, n = nt + p;
  const th = new Float64Array(nt), bt = new Float64Array(p);
  // The modes at the lowest criterion so far (one scalar term): restored at the end, so that the
  // runs at the estimates that follow (glmer.ts, finish.ts) start from them, not from the last difference step.
  const scalar = prob.engine instanceof ScalarPirls ? prob.engine : null;
  const best = { f: Infinity, x: new Float64Array(n), theta: NaN, u: scalar === null ? null : new Float64Array(scalar.q) };
  const fg = (x: Float64Array, g: Float64Array | null): number => {
    th.set(x.subarray(0, nt));
    bt.set(x.subarray(nt));
    d.predictModes?.(th, bt);
    const f = prob.devfun(th, bt, 1);
    if (Number.isFinite(f) && g !== null && !d.gradient(th, g)) return Infinity;
    if (scalar !== null && f < best.f) {
      best.f = f;
      best.x.set(x);
      best.theta = th[0];
      best.u!.set(scalar.u);
    }
    return f;
  };
  const x0 = new Float64Array(n);
  x0.set(theta);
  x0.set(beta, nt);
  const maxMove = Float64Array.from(x0, (v) => Math.max(1, Math.abs(v)));
  // The start's beta block: 2 R_X'R_X (R_X from PIRLS's joint factor at x0),
  // the deviance's information in beta with u at its modes.
  const startBlock = {
    from: nt,
    hessian(): Float64Array | null {
      const L = prob.engine.fixedFactor(th);
      if (L === null) return null;
      const B = new Float64Array(p * p);
      for (let r = 0; r < p; r++) {
        for (let c = 0; c <= r; c++) {
          let v = 0;
          for (let k = 0; k <= c; k++) v += L[r + k * p] * L[c + k * p];
          B[r * p + c] = B[c * p + r] = 2 * v;
        }
      }
      return B;
    },
  };
  // The exact Hessian, where there is one, at the point of the last call of fg (th is that point's theta).
  const hessian = d.hessian === undefined ? undefined : (H: Float64Array) => d.hessian!(th, H);
  const logScale = Array.from({ length: nt }, (_, e) => e);
  const res = newtonMinimize(fg, x0, { maxEval, tol: NEWTON_TOL, maxMove, startBlock, hessian, logScale });
  if (scalar !== null && best.f === res.fx && best.x.every((v, j) => v === res.x[j])) scalar.restoreModes(best.theta, best.u!);
  // Back to theta >= 0: the derivatives' sign flips with each negative theta.
  const sign = Float64Array.from(res.x, (v, e) => (e < nt && v < 0 ? -1 : 1));
  for (let r = 0; r < n; r++) {
    res.gradient[r] *= sign[r];
    for (let c = 0; c < n; c++) res.hessian[r * n + c] *= sign[r] * sign[c];
  }
  const summary: OptSummary = {
    optimizer: 'newton',
    initial: Array.from(x0),
    final: Array.from(res.x),
    fmin: res.fx,
    evaluations: res.evaluations,
    seconds: (performance.now() - started) / 1000,
    converged: res.converged,
    messages: [res.message],
  };
  return {
    summary,
    theta: Float64Array.from(res.x.subarray(0, nt), Math.abs),
    beta: res.x.slice(nt),
    fx: res.fx,
    gradient: res.gradient,
    hessian: res.hessian,
    betaScale: new Float64Array(p).fill(1),
  };
}
