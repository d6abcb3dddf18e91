import type { LmmProblem } from './problem.js';

/**
 * The deviance problem as the optimisers see it: over phi = s theta, the
 * scale-free coordinates of thetaScale.ts (theta_e = phi_e / s_e). Bounds keep
 * their meaning (0 stays 0, s > 0). `theta0` is lme4's start (1 on the
 * diagonal, 0 below) taken in phi, so that it is the same start whatever the
 * units of the random-effects columns.
 */
export interface ScaledProblem {
  ntheta: number;
  scale: Float64Array;
  theta0: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  evaluate(phi: ArrayLike<number>): number;
  /** d f / d phi into `grad` (see LmmProblem.gradient); absent when the problem has none. */
  gradient?(phi: ArrayLike<number>, grad: Float64Array): boolean;
  toTheta(phi: ArrayLike<number>): Float64Array;
  toPhi(theta: ArrayLike<number>): Float64Array;
}

export function scaledProblem(prob: LmmProblem): ScaledProblem {
  const s = prob.thetaScale, nt = s.length;
  const toTheta = (phi: ArrayLike<number>): Float64Array => Float64Array.from({ length: nt }, (_, e) => phi[e] / s[e]);
  const toPhi = (theta: ArrayLike<number>): Float64Array => Float64Array.from({ length: nt }, (_, e) => theta[e] * s[e]);
  const gradient = prob.gradient;
  return {
    ntheta: nt,
    scale: s,
    theta0: prob.theta0.slice(),
    lower: prob.lower.slice(),
    upper: prob.upper.slice(),
    evaluate: (phi) => prob.evaluate(toTheta(phi)),
    gradient: gradient && ((phi, grad) => {
      if (!gradient(toTheta(phi), grad)) return false;
      for (let e = 0; e < nt; e++) grad[e] /= s[e];
      return true;
    }),
    toTheta,
    toPhi,
  };
}

/** lme4's start theta0 taken in phi, as theta: theta0 / s. */
export function defaultStart(prob: LmmProblem): Float64Array {
  return Float64Array.from(prob.theta0, (t, e) => t / prob.thetaScale[e]);
}
