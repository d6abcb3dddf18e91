/**
 * The prefactor of the incomplete beta function,
 *
 *   K(x; a, b) = x^a y^b / B(a, b),   y = 1 - x,
 *
 * on the log scale, for a point x of (0, 1) given as a BetaPoint (x, y and
 * their logs, each computed without the rounding of 1 - x; see betaPoint).
 * K is also x y times the Beta(a, b) density at x, so it gives the
 * derivative of I_x(a, b) in log odds: dI / d log(x / y) = K.
 *
 * For a, b >= 10 the three terms a log x + b log y, and log B(a, b), are huge
 * (order a log a) and nearly cancel; with s = a + b, x0 = a / s, y0 = b / s,
 * Stirling's formula with remainders delta (stirling.ts) gives instead
 *
 *   log K = a log1pmx(u) + b log1pmx(v) + (1/2) log(a b / s) - log(sqrt(2 pi))
 *           - delta(a) - delta(b) + delta(s),
 *   u = (x - x0) / x0,  v = (x0 - x) / y0,
 *
 * the linear terms a u + b v = 0 having been cancelled exactly (log1pmx.ts),
 * x - x0 taken as y0 - y when x > 1/2. This is the form of Temme's and
 * DiDonato & Morris's prefactor (ACM TOMS 18, 1992, section 2) and keeps
 * relative accuracy for Satterthwaite and residual degrees of freedom of 1e5 to 1e7.
 * Otherwise log K = a log x + b log y - log B(a, b) (lbeta.ts), where nothing large cancels.
 */
import { lbeta } from './lbeta.js';
import { log1pmx } from './log1pmx.js';
import { stirlingRemainder } from './stirling.js';

const LN_SQRT_2PI = 0.918938533204672741780329736406;

/** A point x of [0, 1] with y = 1 - x and both logs, each accurate on its own. */
export interface BetaPoint {
  x: number;
  y: number;
  logx: number;
  logy: number;
}

/**
 * The BetaPoint with odds x / y = r; logr = log r must be given too, so that
 * the logs stay finite when r under- or overflows (the t distribution's
 * df / t^2 at t = 1e300).
 */
export function betaPoint(r: number, logr: number): BetaPoint {
  if (r <= 1) {
    const l = Math.log1p(r);
    return { x: r / (1 + r), y: 1 / (1 + r), logx: logr - l, logy: -l };
  }
  const s = 1 / r;
  const l = Math.log1p(s);
  return { x: 1 / (1 + s), y: s / (1 + s), logx: -l, logy: -logr - l };
}

/** a log1pmx(u), from log(x / x0) - u when u is near -1 and x may have underflowed. */
function logRatioTerm(a: number, u: number, logx: number, x0: number): number {
  return u < -0.5 ? a * (logx - Math.log(x0) - u) : a * log1pmx(u);
}

/** log K(x; a, b) (module comment). */
export function logBetaKernel(point: BetaPoint, a: number, b: number): number {
  if (a < 10 || b < 10) return a * point.logx + b * point.logy - lbeta(a, b);
  const s = a + b, x0 = a / s, y0 = b / s;
  const d = point.x <= 0.5 ? point.x - x0 : y0 - point.y;
  const main = logRatioTerm(a, d / x0, point.logx, x0) + logRatioTerm(b, -d / y0, point.logy, y0);
  const corr = stirlingRemainder(a) + stirlingRemainder(b) - stirlingRemainder(s);
  return main + 0.5 * (Math.log(a) + Math.log(y0)) - LN_SQRT_2PI - corr;
}
