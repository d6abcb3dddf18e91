/**
 * F distribution with (df1, df2) degrees of freedom.
 *
 * Upper tail by the regularized incomplete beta function:
 *   P(F > f) = I_{df2/(df2 + df1 f)}(df2/2, df1/2) = 1 - I_{df1 f/(df2 + df1 f)}(df1/2, df2/2),
 * evaluating whichever argument is below 1/2.
 */
import betainc from '@stdlib/math-base-special-betainc';
import quantile from '@stdlib/stats-base-dists-f-quantile';

/** Upper tail P(F > f). */
export function pfUpper(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f) || !(df1 > 0) || !(df2 > 0)) return NaN;
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  const s = df2 + df1 * f;
  const x = df2 / s;
  return x < 0.5 ? betainc(x, df2 / 2, df1 / 2, true, false) : betainc((df1 * f) / s, df1 / 2, df2 / 2, true, true);
}

/** Quantile: the f with P(F <= f) = p. */
export function qf(p: number, df1: number, df2: number): number {
  return quantile(p, df1, df2);
}
