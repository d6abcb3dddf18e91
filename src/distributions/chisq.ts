/**
 * Chi-square distribution with `df` degrees of freedom.
 *
 * Upper tail by the upper regularized incomplete gamma function:
 *   P(X > x) = Q(df/2, x/2).
 */
import gammainc from '@stdlib/math-base-special-gammainc';
import quantile from '@stdlib/stats-base-dists-chisquare-quantile';

/** Upper tail P(X > x). */
export function pchisqUpper(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return gammainc(x / 2, df / 2, true, true);
}

/** Quantile: the x with P(X <= x) = p. */
export function qchisq(p: number, df: number): number {
  return quantile(p, df);
}
