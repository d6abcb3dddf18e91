/**
 * Student's t distribution with `df` degrees of freedom (df = Infinity is the normal).
 *
 * Tails by the regularized incomplete beta function I_x(a, b) (incompleteBeta.ts):
 *
 *   P(|T| > |t|) = I_x(df/2, 1/2),   x = df / (df + t^2),
 *
 * x given through its odds df / t^2 so that neither x nor 1 - x loses digits.
 * The upper tail U(t) = P(T > t) = I_x(df/2, 1/2) / 2 for t > 0 has
 * d log U / d log t = -K / U, K = x^(df/2) (1 - x)^(1/2) / B(df/2, 1/2)
 * (betaKernel.ts), which Newton's method uses for the quantile (tailQuantile.ts),
 * started from the better of
 *   the Cornish-Fisher expansion about the normal quantile z (A&S 26.7.5),
 *     t = z + g1(z)/df + g2(z)/df^2 + g3(z)/df^3 + g4(z)/df^4, and
 *   the power-law tail U(t) ~ df^(df/2 - 1) t^-df / B(df/2, 1/2) (Hill 1970, Comm. ACM 13, 617).
 */
import { betaPoint, logBetaKernel } from './special/betaKernel.js';
import { incompleteBeta } from './special/incompleteBeta.js';
import { lbeta } from './special/lbeta.js';
import { pnormTwoSided, qnorm } from './normal.js';
import { invertTail, type TailValue } from './tailQuantile.js';

/** The beta point x = df / (df + t^2), from the odds df / t^2. */
function tPoint(t: number, df: number) {
  return betaPoint(df / (t * t), Math.log(df) - 2 * Math.log(Math.abs(t)));
}

/** Two-sided p-value P(|T| >= |t|). */
export function ptTwoSided(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (df === Infinity) return pnormTwoSided(t);
  if (Math.abs(t) === Infinity) return 0;
  return incompleteBeta(tPoint(t, df), df / 2, 0.5, false);
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

/** log U(t) and its slope in log t, for t > 0 (module comment). */
function upperTail(t: number, df: number): TailValue {
  const point = tPoint(t, df);
  const logK = logBetaKernel(point, df / 2, 0.5);
  const u = 0.5 * incompleteBeta(point, df / 2, 0.5, false, logK);
  return { logTail: Math.log(u), slope: -Math.exp(logK) / u };
}

/** The Cornish-Fisher start for the upper-tail probability q (module comment). */
function cornishFisher(q: number, df: number): number {
  const z = -qnorm(q), z2 = z * z;
  const g1 = (z2 + 1) * z / 4;
  const g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  const g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  const g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/** The power-law start for the upper-tail probability q (module comment). */
function powerTail(q: number, df: number): number {
  return Math.exp(((df / 2 - 1) * Math.log(df) - lbeta(df / 2, 0.5) - Math.log(q)) / df);
}

/** Quantile: the t with P(T <= t) = p; NaN outside [0, 1], -+Infinity at 0 and 1. */
export function qt(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return NaN;
  if (df === Infinity) return qnorm(p);
  if (p === 0 || p === 1) return p === 0 ? -Infinity : Infinity;
  if (p === 0.5) return 0;
  const q = Math.min(p, 1 - p);
  const power = powerTail(q, df);
  const t = power === Infinity ? Infinity : invertTail((x) => upperTail(x, df), Math.log(q), false, [cornishFisher(q, df), power]);
  return p < 0.5 ? -t : t;
}
