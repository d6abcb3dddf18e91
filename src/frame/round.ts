/**
 * R's round(x, digits) (R >= 4.0.0), so that a formula term like
 * `round(x, 1)` takes the values R gives it.
 *
 * digits = 0 rounds to the nearest whole number, halves to even (IEC 60559,
 * as R's nearbyint). Otherwise, with the sign taken off, the two candidates
 * xd = floor(x 10^d) / 10^d and xu = ceiling(x 10^d) / 10^d (for d < 0:
 * times and over 10^-d) are compared in double precision and the nearer to x
 * is taken; on a tie, the one whose scaled integer floor(x 10^d) is odd goes
 * up (to the even last digit). When x already has more significant digits
 * than a double holds at that position (log10 x + d > 15) x is returned.
 * digits is rounded to a whole number first (R: floor(digits + 0.5)).
 */
import { roundHalfEven } from '../data/rnumber.js';

export { roundHalfEven };

const MAX_DIGITS = 308;
const DBL_DIG = 15;

/** R's round(x, digits). */
export function roundDigits(x: number, digits = 0): number {
  if (Number.isNaN(x) || Number.isNaN(digits)) return x + digits;
  if (!Number.isFinite(x) || digits > MAX_DIGITS + 15 || x === 0) return x;
  if (digits < -MAX_DIGITS) return 0;
  if (digits === 0) return roundHalfEven(x);
  const dig = Math.floor(digits + 0.5);
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  if (dig > 0 && Math.LOG10E * Math.LN2 * (0.5 + Math.floor(Math.log2(ax))) + dig > DBL_DIG) return x;
  let i10: number, xd: number, xu: number;
  if (dig > 0) {
    const p10 = 10 ** dig, x10 = p10 * ax;
    i10 = Math.floor(x10);
    xd = i10 / p10;
    xu = Math.ceil(x10) / p10;
  } else {
    const p10 = 10 ** -dig, x10 = ax / p10;
    i10 = Math.floor(x10);
    xd = i10 * p10;
    xu = Math.ceil(x10) * p10;
  }
  const du = xu - ax, dd = ax - xd;
  return sign * (du < dd || (du === dd && i10 % 2 === 1) ? xu : xd);
}
