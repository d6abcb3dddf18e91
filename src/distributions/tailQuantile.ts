/**
 * Quantiles by inverting a tail probability T(x) of a distribution on
 * (0, Infinity): the x > 0 with log T(x) = log p, for a lower tail (T
 * increasing) or an upper one (T decreasing), p at most about 1/2.
 *
 * Newton's method on g(s) = log T(e^s) - log p in s = log x,
 *
 *   s <- s - g(s) / g'(s),   g'(s) = d log T / d log x = x f(x) / T(x) (signed),
 *
 * is nearly linear where tails are: power laws (t and F tails, any lower
 * tail at 0) are straight lines in (log x, log T), exponential tails are
 * concave curves on which Newton's steps approach the root monotonically. The
 * step is applied multiplicatively, x <- x exp(-g / g'), so x keeps its relative
 * accuracy when it is huge (qt(1e-300, 1) = -3.2e299). A step is at most a factor
 * of e^8: from far below the root of an exponential tail the tangent overshoots
 * by orders of magnitude, and from beyond it each step returns by only a factor
 * of about e. Each evaluation narrows
 * a bracket [lo, hi] around the root, and a step that leaves it (or a g that is
 * not finite) is replaced by the bracket's geometric midpoint, or a factor of 16
 * towards the unknown side, so the iteration cannot diverge.
 *
 * The start is the best (smallest |g|) of a few approximations the caller
 * gives; iteration stops once a step changes x by under 1e-15, relatively,
 * after which the result is accurate to the accuracy of T itself.
 */

/** log T(x) and d log T / d log x at x > 0. */
export interface TailValue {
  logTail: number;
  slope: number;
}

const MAX_ITER = 200;
const TOLERANCE = 1e-15;
/** Largest Newton step in log x (a factor of e^8 ~ 3000). */
const MAX_STEP = 8;

/**
 * The x > 0 with T(x) = exp(logp), T given by `tail`; `increasing` says which
 * tail T is; `starts` are approximations (non-positive or non-finite ones are
 * skipped); NaN if none is usable.
 */
export function invertTail(tail: (x: number) => TailValue, logp: number, increasing: boolean, starts: readonly number[]): number {
  let x = NaN, value: TailValue = { logTail: NaN, slope: NaN }, best = Infinity;
  for (const s of starts) {
    if (!(s > 0 && s < Infinity)) continue;
    const v = tail(s);
    const err = Math.abs(v.logTail - logp);
    if (err < best || Number.isNaN(x)) [x, value, best] = [s, v, err];
  }
  if (Number.isNaN(x)) return NaN;
  let lo = 0, hi = Infinity;
  for (let iter = 0; iter < MAX_ITER; iter++) {
    const g = value.logTail - logp;
    if (g === 0) return x;
    if (increasing === g > 0) hi = Math.min(hi, x);
    else lo = Math.max(lo, x);
    const step = Math.max(-MAX_STEP, Math.min(MAX_STEP, -g / value.slope));
    let next = x * Math.exp(step);
    if (!(next > lo && next < hi)) next = hi === Infinity ? lo * 16 : lo === 0 ? hi / 16 : Math.sqrt(lo) * Math.sqrt(hi);
    else if (Math.abs(step) <= TOLERANCE) return next;
    if (next === x) return x;
    x = next;
    value = tail(x);
  }
  return x;
}
