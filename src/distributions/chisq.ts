/**
 * Chi-square distribution with `df` degrees of freedom: X / 2 ~ Gamma(df / 2), so
 *
 *   P(X <= x) = P(df/2, x/2),   P(X > x) = Q(df/2, x/2)
 *
 * (incompleteGamma.ts), with d log P / d log x = a k / P and
 * d log Q / d log x = -a k / Q, a = df/2, k = (x/2)^a e^(-x/2) / Gamma(a + 1).
 * The quantile inverts the smaller tail by Newton's method (tailQuantile.ts)
 * from the best of
 *   Wilson & Hilferty's cube-root normal approximation (1931),
 *     x = df (1 - 2/(9 df) + z sqrt(2/(9 df)))^3,
 *   the lower tail's power law P ~ (x/2)^a / Gamma(a + 1), and
 *   the upper tail's exponential law Q ~ (x/2)^(a-1) e^(-x/2) / Gamma(a).
 */
import { incompleteGamma, logGammaKernel } from './special/incompleteGamma.js';
import { lgamma } from './special/lgamma.js';
import { qnorm } from './normal.js';
import { invertTail, type TailValue } from './tailQuantile.js';

/** Upper tail P(X > x). */
export function pchisqUpper(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  return incompleteGamma(df / 2, x / 2, true);
}

/** Lower tail P(X <= x). */
export function pchisq(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  return incompleteGamma(df / 2, x / 2, false);
}

/** log of one tail and its slope in log x (module comment). */
function tail(x: number, a: number, upper: boolean): TailValue {
  const logk = logGammaKernel(a, x / 2);
  const v = incompleteGamma(a, x / 2, upper, logk);
  const dv = a * Math.exp(logk);
  return { logTail: Math.log(v), slope: upper ? -dv / v : dv / v };
}

/** The starting approximations of the module comment for tail probability q. */
function starts(q: number, a: number, upper: boolean): number[] {
  const df = 2 * a, c = 2 / (9 * df);
  const z = upper ? -qnorm(q) : qnorm(q);
  const wh = df * (1 - c + z * Math.sqrt(c)) ** 3;
  if (!upper) return [wh, 2 * Math.exp((Math.log(q) + lgamma(a + 1)) / a)];
  let e = 2 * Math.max(1, -Math.log(q) - lgamma(a));
  for (let i = 0; i < 3; i++) e = 2 * Math.max(1, -Math.log(q) - lgamma(a) + (a - 1) * Math.log(e / 2));
  return [wh, e];
}

/**
 * The x with P(X > x) = p (upper) or P(X <= x) = p (lower), inverting
 * whichever tail is below 1/2 so that p's digits all count.
 */
export function chisqQuantile(p: number, df: number, upper: boolean): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return NaN;
  const a = df / 2;
  const solveUpper = upper ? p < 0.5 : p > 0.5;
  const q = solveUpper === upper ? p : 1 - p;
  if (q === 0) return solveUpper ? Infinity : 0;
  if (df === Infinity) return Infinity;
  const guesses = starts(q, a, solveUpper);
  if (!solveUpper && guesses[1] === 0) return 0;
  return invertTail((x) => tail(x, a, solveUpper), Math.log(q), !solveUpper, guesses);
}

/** Quantile: the x with P(X <= x) = p; NaN outside [0, 1], 0 and Infinity at 0 and 1. */
export function qchisq(p: number, df: number): number {
  return chisqQuantile(p, df, false);
}
