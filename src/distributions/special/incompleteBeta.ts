/**
 * The regularized incomplete beta function
 *
 *   I_x(a, b) = (1 / B(a, b)) int_0^x s^(a-1) (1 - s)^(b-1) ds,
 *
 * and its complement 1 - I_x(a, b) = I_y(b, a), y = 1 - x, each with full
 * relative accuracy however small.
 *
 * Below the mean, x < (a + 1) / (a + b + 2), the continued fraction
 * (Abramowitz & Stegun 26.5.8; Numerical Recipes 6.4)
 *
 *   I_x(a, b) = (K / a) / (1 + d_1 / (1 + d_2 / (1 + ...))),
 *   d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)),
 *   d_{2m}   = m (b - m) x / ((a + 2m - 1)(a + 2m)),
 *
 * converges quickly, K = x^a y^b / B(a, b) the prefactor (betaKernel.ts),
 * evaluated by the modified Lentz method (Thompson & Barnett 1986). Above it
 * the same fraction gives I_y(b, a) and the symmetry I_x(a, b) = 1 - I_y(b, a)
 * the other tail; the tail computed directly is then the smaller one (the
 * other is at least about 0.3), so neither loses digits to cancellation.
 * The fraction needs O(sqrt(max(a, b))) terms near the mean.
 *
 * V = 1 / (1 + d_1 / (1 + ...)) as a function of x is ill-conditioned when x is
 * near 1 (it varies like 1 / y): the odd terms are d_{2k+1} ~ -1 + O(1/a) + O(y),
 * so with t's df = 1e5 at t = 2 the rounding of x alone cost 7e-12. For x > 1/2
 * the fraction is therefore evaluated from y, in its even contraction
 * (Lorentzen & Waadeland, Continued Fractions, 1992, section 2.4.2):
 *
 *   V = (1 + d_2 + R) / (e_0 + d_2 + R),
 *   R = alpha_1 / (beta_1 + alpha_2 / (beta_2 + ...)),
 *   alpha_k = -d_{2k} d_{2k+1},   beta_k = e_k + d_{2k+2},
 *   e_k = 1 + d_{2k+1} = (a (2k + 1 - b) + k (3k + 2 - b) + (a + k)(a + b + k) y)
 *                        / ((a + 2k)(a + 2k + 1)),
 *
 * where e_k, the only place x's rounding would cancel, is exact in y. Near the
 * mean with a and b both large (1e7) the fraction still cancels (relative error
 * about 1e-12 at a = b = 5e6); Temme's uniform expansion would be needed there.
 */
import { type BetaPoint, logBetaKernel } from './betaKernel.js';

const TINY = 1e-300;
const EPS = 4e-16;

function maxTerms(a: number, b: number): number {
  return 1000 + 20 * Math.ceil(Math.sqrt(Math.max(a, b)));
}

/** V = 1 / (1 + d_1 / (1 + d_2 / ...)) of the module comment from x (for x <= 1/2), NaN if it does not settle. */
function fractionInX(x: number, a: number, b: number): number {
  const s = a + b, limit = maxTerms(a, b);
  let c = 1;
  let d = 1 / nonZero(1 - (s * x) / (a + 1));
  let h = d;
  for (let m = 1; m <= limit; m++) {
    const m2 = 2 * m;
    const even = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 / nonZero(1 + even * d);
    c = nonZero(1 + even / c);
    h *= d * c;
    const odd = (-(a + m) * (s + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 / nonZero(1 + odd * d);
    c = nonZero(1 + odd / c);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= EPS) return h;
  }
  return NaN;
}

/** d_{2m} (module comment). */
function evenTerm(m: number, a: number, b: number, x: number): number {
  return (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
}

/** 1 + d_{2k+1}, from y without cancellation (module comment). */
function oddPlusOne(k: number, a: number, b: number, y: number): number {
  const den = (a + 2 * k) * (a + 2 * k + 1);
  return (a * (2 * k + 1 - b) + k * (3 * k + 2 - b) + (a + k) * (a + b + k) * y) / den;
}

/**
 * V from y (for x > 1/2), through the even contraction (module comment), NaN
 * if it does not settle.
 */
function fractionInY(x: number, y: number, a: number, b: number): number {
  const limit = maxTerms(a, b);
  let f = TINY, c = TINY, d = 0;
  for (let k = 1; k <= limit; k++) {
    const alpha = -evenTerm(k, a, b, x) * (oddPlusOne(k, a, b, y) - 1);
    const beta = oddPlusOne(k, a, b, y) + evenTerm(k + 1, a, b, x);
    d = 1 / nonZero(beta + alpha * d);
    c = nonZero(beta + alpha / c);
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) <= EPS) {
      const d2 = evenTerm(1, a, b, x);
      return (1 + d2 + f) / (oddPlusOne(0, a, b, y) + d2 + f);
    }
  }
  return NaN;
}

/** Lentz's guard against a zero denominator. */
function nonZero(v: number): number {
  return Math.abs(v) < TINY ? TINY : v;
}

/** V of the module comment, from whichever of x and y = 1 - x is the accurate one. */
function fraction(x: number, y: number, a: number, b: number): number {
  return x <= 0.5 ? fractionInX(x, a, b) : fractionInY(x, y, a, b);
}

/**
 * I_x(a, b) (upper = false) or 1 - I_x(a, b) (upper = true) at the point
 * (module comment), for a, b > 0; logK, log K(x; a, b), may be passed by a
 * caller that needs it too (the quantiles' Newton steps).
 */
export function incompleteBeta(point: BetaPoint, a: number, b: number, upper: boolean, logK = logBetaKernel(point, a, b)): number {
  if (point.logx === -Infinity) return upper ? 1 : 0;
  if (point.logy === -Infinity) return upper ? 0 : 1;
  if (point.x < (a + 1) / (a + b + 2)) {
    const w = Math.exp(logK - Math.log(a)) * fraction(point.x, point.y, a, b);
    return upper ? 1 - w : w;
  }
  const w = Math.exp(logK - Math.log(b)) * fraction(point.y, point.x, b, a);
  return upper ? w : 1 - w;
}
