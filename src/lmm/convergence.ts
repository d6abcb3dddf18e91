import { fdDerivatives } from '../optim/gradient.js';
import { potrfUnblocked } from '../linalg/potrf.js';
import { trsvLowerTrans } from '../linalg/trsv.js';
import { SINGULAR_TOL } from './finish.js';
import type { ScaledProblem } from './scaledProblem.js';
import type { LmmOptSummary } from './types.js';

/**
 * lme4's checkConv for an LMM optimum: finite-difference gradient g and
 * Hessian H of the objective (step 1e-4, lme4's deriv12), then
 * - the scaled gradient H^{-1/2} g (solve(chol(H), g)): a message when
 *   max_i min(|scaled_i|, |g_i|) > 0.002 (lme4's check.conv.grad tolerance);
 * - a message when H is not positive definite.
 * Components on their lower bound (a variance estimated as 0) are left out:
 * there the objective may rise away from the boundary and the gradient need not vanish.
 * All of it over phi, the scale-free coordinates (thetaScale.ts), so that the
 * step and the tolerance mean the same whatever the units of the data.
 */
export const GRADIENT_TOL = 0.002;

export type Derivatives = NonNullable<LmmOptSummary['derivatives']>;

/** Derivatives at phi over the interior components (may be empty). */
export function convergenceDerivatives(prob: Pick<ScaledProblem, 'evaluate' | 'lower' | 'upper'>, phi: Float64Array): Derivatives {
  const inner = Int32Array.from(
    Array.from(phi.keys()).filter((e) => !(prob.lower[e] === 0 && phi[e] < SINGULAR_TOL)),
  );
  const full = phi.slice();
  const f = (x: Float64Array): number => {
    for (let i = 0; i < inner.length; i++) full[inner[i]] = x[i];
    return prob.evaluate(full);
  };
  const x = Float64Array.from(inner, (e) => phi[e]);
  const lo = Float64Array.from(inner, (e) => prob.lower[e]);
  const hi = Float64Array.from(inner, (e) => prob.upper[e]);
  if (inner.length === 0) return { components: inner, gradient: new Float64Array(0), hessian: new Float64Array(0) };
  const d = fdDerivatives(f, x, 1e-4, lo, hi);
  return { components: inner, gradient: d.gradient, hessian: d.hessian };
}

/** lme4-style warnings from the derivatives (empty when all is well). */
export function convergenceMessages(d: Derivatives): string[] {
  const n = d.components.length;
  if (n === 0) return [];
  if (!d.gradient.every(Number.isFinite) || !d.hessian.every(Number.isFinite)) {
    return ['Problem with the convergence check: the gradient or Hessian has infinite or missing values'];
  }
  const h = d.hessian.slice();
  if (potrfUnblocked(n, h, 0, n) !== 0) {
    return ['Model failed to converge: the Hessian of the objective is not positive definite (degenerate Hessian)'];
  }
  // chol(H) = R (upper) with R = L'; solve(R, g) = L'^{-1} g.
  const sc = d.gradient.slice();
  trsvLowerTrans(n, h, 0, n, sc, 0);
  let worst = 0, at = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.min(Math.abs(sc[i]), Math.abs(d.gradient[i]));
    if (v > worst) {
      worst = v;
      at = i;
    }
  }
  if (worst <= GRADIENT_TOL) return [];
  return [`Model failed to converge with max|grad| = ${worst.toPrecision(6)} (tol = ${GRADIENT_TOL}, component ${d.components[at] + 1})`];
}
