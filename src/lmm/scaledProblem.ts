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
  const into = (phi: ArrayLike<number>, theta: Float64Array): Float64Array => {
    for (let e = 0; e < nt; e++) theta[e] = phi[e] / s[e];
    return theta;
  };
  const toTheta = (phi: ArrayLike<number>): Float64Array => into(phi, new Float64Array(nt));
  const toPhi = (theta: ArrayLike<number>): Float64Array => {
    const phi = new Float64Array(nt);
    for (let e = 0; e < nt; e++) phi[e] = theta[e] * s[e];
    return phi;
  };
  // The problem copies theta on every call (LmmProblem), so one buffer serves all of them.
  const theta = new Float64Array(nt);
  const gradient = prob.gradient;
  return {
    ntheta: nt,
    scale: s,
    theta0: prob.theta0.slice(),
    lower: prob.lower.slice(),
    upper: prob.upper.slice(),
    evaluate: (phi) => prob.evaluate(into(phi, theta)),
    gradient: gradient && ((phi, grad) => {
      if (!gradient(into(phi, theta), grad)) return false;
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
