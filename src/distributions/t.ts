/**
 * Student's t distribution with `df` degrees of freedom (df = Infinity is the normal).
 *
 * Tails by the regularized incomplete beta function I_x(a, b):
 *   P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2) = 1 - I_{t^2/(df+t^2)}(1/2, df/2),
 * evaluating whichever argument is below 1/2 so no digits are lost to 1 - x.
 */
import betainc from '@stdlib/math-base-special-betainc';
import quantile from '@stdlib/stats-base-dists-t-quantile';
import { pnormTwoSided, qnorm } from './normal.js';

/** Two-sided p-value P(|T| >= |t|). */
export function ptTwoSided(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (df === Infinity) return pnormTwoSided(t);
  const t2 = t * t;
  if (t2 === Infinity) return 0;
  const x = df / (df + t2);
  return x < 0.5 ? betainc(x, df / 2, 0.5, true, false) : betainc(t2 / (df + t2), 0.5, df / 2, true, true);
}

/** Upper tail P(T > t). */
export function ptUpper(t: number, df: number): number {
  const half = 0.5 * ptTwoSided(t, df);
  return t >= 0 ? half : 1 - half;
}

/** Lower tail P(T <= t). */
export function pt(t: number, df: number): number {
  return ptUpper(-t, df);
}

/** Quantile: the t with P(T <= t) = p. */
export function qt(p: number, df: number): number {
  if (df === Infinity) return qnorm(p);
  return quantile(p, df);
}
