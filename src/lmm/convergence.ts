import { fdDerivatives } from '../optim/gradient.js';
import { potrfUnblocked } from '../linalg/potrf.js';
import { trsvLowerTrans } from '../linalg/trsv.js';
import { SINGULAR_TOL } from './finish.js';
import type { ScaledProblem } from './scaledProblem.js';
import type { LmmOptSummary } from './types.js';

/**
 * lme4's checkConv for an LMM optimum: the gradient g and Hessian H of the
 * objective (lme4 takes both by finite differences, step 1e-4, deriv12; here the
 * analytic gradient and its differences where there is one), then
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

/** Relative step of the gradient's differences (GRADIENT_STEP max(1, |phi_e|)). */
const GRADIENT_STEP = 1e-5;

/**
 * Derivatives at phi over the interior components (may be empty). With the problem's
 * analytic gradient, g is that gradient and H its forward differences, symmetrised,
 *
 *   H_ij = (g_i(phi + h_j e_j) - g_i(phi)) / h_j,  H <- (H + H') / 2,
 *
 * (h_j = GRADIENT_STEP max(1, |phi_j|), backwards where that step would pass an upper
 * bound): 1 + n gradients instead of deriv12's 1 + 2n + 2n(n - 1) evaluations, g exact
 * and H within about h of the truth (deriv12's g and H are within about 1e-8); where
 * the gradient is unavailable (a vector-valued term with a zero on its diagonal),
 * deriv12's finite differences of the objective as lme4.
 */
export function convergenceDerivatives(prob: Pick<ScaledProblem, 'evaluate' | 'gradient' | 'lower' | 'upper'>, phi: Float64Array): Derivatives {
  const inner = Int32Array.from(
    Array.from(phi.keys()).filter((e) => !(prob.lower[e] === 0 && phi[e] < SINGULAR_TOL)),
  );
  const exact = inner.length > 0 && prob.gradient ? gradientDerivatives(prob.gradient, phi, inner, prob.upper) : null;
  if (exact !== null) return exact;
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

function gradientDerivatives(gradient: NonNullable<ScaledProblem['gradient']>, phi: Float64Array, inner: Int32Array, upper: Float64Array): Derivatives | null {
  const n = inner.length, g0 = new Float64Array(phi.length), g = new Float64Array(phi.length);
  if (!gradient(phi, g0)) return null;
  const H = new Float64Array(n * n), x = phi.slice();
  for (let j = 0; j < n; j++) {
    const e = inner[j];
    let h = GRADIENT_STEP * Math.max(1, Math.abs(phi[e]));
    if (phi[e] + h > upper[e]) h = -h;
    x[e] = phi[e] + h;
    const ok = gradient(x, g);
    x[e] = phi[e];
    if (!ok) return null;
    for (let i = 0; i < n; i++) H[i * n + j] = (g[inner[i]] - g0[inner[i]]) / h;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) H[i * n + j] = H[j * n + i] = 0.5 * (H[i * n + j] + H[j * n + i]);
  }
  return { components: inner, gradient: Float64Array.from(inner, (e) => g0[e]), hessian: H };
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
