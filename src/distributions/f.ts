/**
 * F distribution with (df1, df2) degrees of freedom: with a = df1/2, b = df2/2
 * and x = df1 f / (df1 f + df2) ~ Beta(a, b),
 *
 *   P(F <= f) = I_x(a, b),   P(F > f) = 1 - I_x(a, b) = I_{1-x}(b, a)
 *
 * (incompleteBeta.ts), x given through its odds df1 f / df2. Both tails have
 * slope +-K / tail in log f, K = x^a (1 - x)^b / B(a, b) (betaKernel.ts), which
 * Newton's method uses for the quantile (tailQuantile.ts), inverting the
 * smaller tail, started from the best of
 *   Fisher's z: log F ~ N(1/df2 - 1/df1, 2 (1/df1 + 1/df2)) (A&S 26.6.17 to first order),
 *   the lower tail's power law I_x(a, b) ~ r^a / (a B(a, b)), r = df1 f / df2, and
 *   the upper tail's power law 1 - I_x(a, b) ~ r^-b / (b B(a, b)).
 *
 * Infinite degrees of freedom are chi-square limits, as in R's pf and qf:
 * df2 = Infinity gives df1 F ~ chi^2(df1), df1 = Infinity gives df2 / F ~ chi^2(df2)
 * (both: F = 1). Unlike R's qf, which switches to these limits once a degree
 * of freedom exceeds 4e5 (so qf(0.95, 2, 1e6) is qchisq(0.95, 2) / 2, off by
 * about 1 / df2 relatively), qf solves the finite case exactly.
 */
import { betaPoint, logBetaKernel } from './special/betaKernel.js';
import { chisqQuantile, pchisq, pchisqUpper } from './chisq.js';
import { incompleteBeta } from './special/incompleteBeta.js';
import { lbeta } from './special/lbeta.js';
import { qnorm } from './normal.js';
import { invertTail, type TailValue } from './tailQuantile.js';

/** The beta point of f, from the odds df1 f / df2. */
function fPoint(f: number, df1: number, df2: number) {
  return betaPoint((df1 * f) / df2, Math.log(df1) + Math.log(f) - Math.log(df2));
}

/** Upper tail P(F > f). */
export function pfUpper(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f) || !(df1 > 0) || !(df2 > 0)) return NaN;
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  if (df2 === Infinity) return df1 === Infinity ? (f < 1 ? 1 : f > 1 ? 0 : 0.5) : pchisqUpper(f * df1, df1);
  if (df1 === Infinity) return pchisq(df2 / f, df2);
  return incompleteBeta(fPoint(f, df1, df2), df1 / 2, df2 / 2, true);
}

/** log of one tail and its slope in log f (module comment). */
function tail(f: number, df1: number, df2: number, upper: boolean): TailValue {
  const point = fPoint(f, df1, df2);
  const logK = logBetaKernel(point, df1 / 2, df2 / 2);
  const v = incompleteBeta(point, df1 / 2, df2 / 2, upper, logK);
  const k = Math.exp(logK);
  return { logTail: Math.log(v), slope: upper ? -k / v : k / v };
}

/** The starting approximations of the module comment for tail probability q. */
function starts(q: number, df1: number, df2: number, upper: boolean): number[] {
  const a = df1 / 2, b = df2 / 2, lb = lbeta(a, b), scale = df2 / df1;
  const z = upper ? -qnorm(q) : qnorm(q);
  const fisher = Math.exp(1 / df2 - 1 / df1 + z * Math.sqrt(2 * (1 / df1 + 1 / df2)));
  const power = upper
    ? scale * Math.exp(-(Math.log(q) + Math.log(b) + lb) / b)
    : scale * Math.exp((Math.log(q) + Math.log(a) + lb) / a);
  return [fisher, power];
}

/** Quantile: the f with P(F <= f) = p; NaN outside [0, 1], 0 and Infinity at 0 and 1. */
export function qf(p: number, df1: number, df2: number): number {
  if (!(p >= 0 && p <= 1) || !(df1 > 0) || !(df2 > 0)) return NaN;
  if (df2 === Infinity) return df1 === Infinity ? 1 : chisqQuantile(p, df1, false) / df1;
  if (df1 === Infinity) return df2 / chisqQuantile(p, df2, true);
  if (p === 0 || p === 1) return p === 0 ? 0 : Infinity;
  const upper = p > 0.5;
  const q = upper ? 1 - p : p;
  const guesses = starts(q, df1, df2, upper);
  if (guesses[1] === 0 || guesses[1] === Infinity) return guesses[1];
  return invertTail((f) => tail(f, df1, df2, upper), Math.log(q), !upper, guesses);
}
