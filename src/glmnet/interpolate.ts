/**
 * Coefficients at any lambda from a path, as glmnet's `lambda.interp` and
 * `predict(fit, s = ...)`: linear interpolation in lambda between the two
 * path points around s, s clamped to the path's range (so a lambda beyond a
 * path that stopped early takes its last point). With lambda_l > s > lambda_r,
 *
 *   b(s) = f b_l + (1 - f) b_r,   f = (s - lambda_r) / (lambda_l - lambda_r).
 */
import type { PathPoint } from './path.js';

export interface Interpolation {
  left: number;
  right: number;
  /** Weight of the left point. */
  frac: number;
}

/** Where s falls on the (decreasing) lambdas of `points`. */
export function interpolation(points: readonly PathPoint[], s: number): Interpolation {
  const k = points.length;
  if (k === 1) return { left: 0, right: 0, frac: 1 };
  const first = points[0].lambda, last = points[k - 1].lambda;
  if (s >= first) return { left: 0, right: 0, frac: 1 };
  if (s <= last) return { left: k - 1, right: k - 1, frac: 1 };
  let l = 0;
  while (points[l + 1].lambda > s) l++;
  const ll = points[l].lambda, lr = points[l + 1].lambda;
  if (lr === s) return { left: l + 1, right: l + 1, frac: 1 };
  if (Math.abs(ll - lr) < Number.EPSILON * Math.abs(first - last)) return { left: l, right: l + 1, frac: 1 };
  return { left: l, right: l + 1, frac: (s - lr) / (ll - lr) };
}

/** Intercept and the full coefficient vector (length p) at s. */
export function coefficientsAt(points: readonly PathPoint[], p: number, s: number): { intercept: number; beta: Float64Array } {
  const { left, right, frac } = interpolation(points, s);
  const beta = new Float64Array(p);
  const L = points[left], R = points[right];
  L.index.forEach((j, k) => (beta[j] += frac * L.value[k]));
  if (frac !== 1) R.index.forEach((j, k) => (beta[j] += (1 - frac) * R.value[k]));
  return { intercept: frac * L.intercept + (1 - frac) * R.intercept, beta };
}
