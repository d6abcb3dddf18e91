/**
 * The regularized incomplete gamma functions
 *
 *   P(a, x) = (1 / Gamma(a)) int_0^x s^(a-1) e^-s ds,   Q(a, x) = 1 - P(a, x),
 *
 * each with full relative accuracy however small, through the prefactor
 *
 *   k(a, x) = x^a e^-x / Gamma(a + 1)
 *
 * (gammaKernel; a k(a, x) / x is the Gamma(a) density, so dP / d log x = a k):
 *
 *   x < a + 1:  P = k sum_{n >= 0} x^n / ((a + 1)(a + 2)...(a + n))     (A&S 6.5.29),
 *   x >= a + 1: Q = a k / (x + 1 - a - 1(1 - a) / (x + 3 - a - 2(2 - a) / (x + 5 - a - ...)))
 *               (Legendre's continued fraction, A&S 6.5.31, by Lentz's method),
 *
 * the other tail as 1 minus the first (then at least about 0.3, except for
 * a below 1/2, where Q can be small below x = a + 1; chi-square's a = df / 2
 * is at least 1/4 for the degrees of freedom this library sees).
 *
 * For a >= 10, log k = a log x - x - log Gamma(a + 1) cancels badly; with
 * u = (x - a) / a and Stirling's formula (stirling.ts) it is
 *
 *   log k = a log1pmx(u) - (1/2) log(2 pi a) - delta(a),
 *
 * the form of R's dpois_raw (Loader 2000, "Fast and accurate computation of
 * binomial probabilities"). Both expansions need O(sqrt(a)) terms near x = a.
 */
import { lgamma } from './lgamma.js';
import { log1pmx } from './log1pmx.js';
import { stirlingRemainder } from './stirling.js';

const TINY = 1e-300;
const EPS = 4e-16;
const LN_2PI = 1.837877066409345483560659472811;

/** log k(a, x) = log(x^a e^-x / Gamma(a + 1)) for a, x > 0 (module comment). */
export function logGammaKernel(a: number, x: number): number {
  if (a < 10) return a * Math.log(x) - x - lgamma(a + 1);
  const u = (x - a) / a;
  const main = u < -0.5 ? a * (Math.log(x) - Math.log(a) - u) : a * log1pmx(u);
  return main - 0.5 * (LN_2PI + Math.log(a)) - stirlingRemainder(a);
}

function maxTerms(a: number): number {
  return 1000 + 20 * Math.ceil(Math.sqrt(a));
}

/** sum_n x^n / ((a + 1)...(a + n)) of the module comment, NaN if it does not settle. */
function gammaSeries(a: number, x: number): number {
  let term = 1, sum = 1;
  const limit = maxTerms(a);
  for (let n = 1; n <= limit; n++) {
    term *= x / (a + n);
    sum += term;
    if (term <= 1e-17 * sum) return sum;
  }
  return NaN;
}

/** 1 / (x + 1 - a - ...) of the module comment by Lentz's method, NaN if it does not settle. */
function gammaFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  const limit = maxTerms(a);
  for (let i = 1; i <= limit; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= EPS) return h;
  }
  return NaN;
}

/**
 * P(a, x) (upper = false) or Q(a, x) (upper = true) for a > 0 (module comment);
 * a = Infinity puts all mass at Infinity. logk, log k(a, x), may be passed by a
 * caller that needs it too (the quantile's Newton steps).
 */
export function incompleteGamma(a: number, x: number, upper: boolean, logk = logGammaKernel(a, x)): number {
  if (!(x > 0)) return upper ? 1 : 0;
  if (x === Infinity) return upper ? 0 : 1;
  if (a === Infinity) return upper ? 1 : 0;
  if (x < a + 1) {
    const p = Math.exp(logk) * gammaSeries(a, x);
    return upper ? 1 - p : p;
  }
  const q = Math.exp(logk + Math.log(a)) * gammaFraction(a, x);
  return upper ? q : 1 - q;
}
