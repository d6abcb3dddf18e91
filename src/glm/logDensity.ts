/**
 * Log densities used by the families' AIC (R's dbinom, dpois, dgamma with log = TRUE),
 * written with log-gamma: log C(n, x) = lgamma(n+1) - lgamma(x+1) - lgamma(n-x+1).
 *
 * The Gamma density is Loader's saddle-point form (C. Loader 2000, "Fast and
 * accurate computation of binomial probabilities", as R's dgamma evaluates it),
 * for shape a >= 1 with k = a - 1, lambda = x / scale:
 *
 *   log f(x) = -log(2 pi k) / 2 - stirlerr(k) - bd0(k, lambda) - log(scale),
 *   stirlerr(k) = log k! - log(sqrt(2 pi k) (k / e)^k),
 *   bd0(k, lambda) = k log(k / lambda) + lambda - k (by its series near k = lambda),
 *
 * (k = 0: -lambda - log(scale)); for a < 1 the same with k = a plus log(a / x).
 * The textbook form (a - 1) log x - x / scale - lgamma(a) - a log(scale) cancels
 * terms of size a log a (off by 7e-14 per row at a = 1904, 2e-9 at a = 1e6):
 * with the large shapes of a small dispersion the Gamma AIC over 144 rows was
 * off by 2e-10, enough to turn lme4's optimiser path elsewhere (glmm/lme4Path.ts).
 */
import { lgamma as gammaln } from '../distributions/special/lgamma.js';

/** R's test for a non-integer count: |x - round(x)| > 1e-7 max(1, |x|). */
function nonInteger(x: number): boolean {
  return Math.abs(x - Math.round(x)) > 1e-7 * Math.max(1, Math.abs(x));
}

/** Whole arguments up to this size have their log-gamma kept by integerLgamma. */
const KEPT_LGAMMA = 1 << 16;

/**
 * log Gamma, its values at whole arguments up to KEPT_LGAMMA kept as they are first
 * computed: the same numbers as lgamma's, once per argument over a sum of many rows
 * (binomial log-likelihoods of small counts take three per row).
 */
export function integerLgamma(): (x: number) => number {
  let kept = new Float64Array(64).fill(NaN);
  return (x) => {
    if (!(Number.isInteger(x) && x >= 0 && x <= KEPT_LGAMMA)) return gammaln(x);
    if (x >= kept.length) {
      const grown = new Float64Array(Math.min(KEPT_LGAMMA + 1, 2 * x)).fill(NaN);
      grown.set(kept);
      kept = grown;
    }
    const v = kept[x];
    return v === v ? v : (kept[x] = gammaln(x));
  };
}

/**
 * log P(X = x), X ~ Binomial(size, p); x and size are whole numbers. `lg`: log Gamma
 * (e.g. integerLgamma's, for many rows).
 */
export function dbinomLog(x: number, size: number, p: number, lg: (x: number) => number = gammaln): number {
  if (x < 0 || x > size || nonInteger(x)) return -Infinity;
  if (p === 0) return x === 0 ? 0 : -Infinity;
  if (p === 1) return x === size ? 0 : -Infinity;
  const lchoose = lg(size + 1) - lg(x + 1) - lg(size - x + 1);
  const succ = x === 0 ? 0 : x * Math.log(p);
  const fail = x === size ? 0 : (size - x) * Math.log1p(-p);
  return lchoose + succ + fail;
}

/** log P(X = x), X ~ Poisson(lambda); -Infinity for a non-integer x, as R. */
export function dpoisLog(x: number, lambda: number): number {
  if (x < 0 || nonInteger(x)) return -Infinity;
  const k = Math.round(x);
  if (lambda === 0) return k === 0 ? 0 : -Infinity;
  return (k === 0 ? 0 : k * Math.log(lambda)) - lambda - gammaln(k + 1);
}

const LN_SQRT_2PI = 0.918938533204672741780329736406;

/** stirlerr(k) for k >= 0 (the 1/12k series beyond 15, else from log-gamma). */
function stirlerr(k: number): number {
  if (k <= 15) return k === 0 ? 0 : gammaln(k + 1) - (k + 0.5) * Math.log(k) + k - LN_SQRT_2PI;
  const kk = k * k;
  const s0 = 1 / 12, s1 = 1 / 360, s2 = 1 / 1260, s3 = 1 / 1680, s4 = 1 / 1188;
  if (k > 500) return (s0 - s1 / kk) / k;
  if (k > 80) return (s0 - (s1 - s2 / kk) / kk) / k;
  if (k > 35) return (s0 - (s1 - (s2 - s3 / kk) / kk) / kk) / k;
  return (s0 - (s1 - (s2 - (s3 - s4 / kk) / kk) / kk) / kk) / k;
}

/** bd0(x, np) = x log(x / np) + np - x >= 0, by the series in v = (x - np) / (x + np) when x is near np. */
function bd0(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np);
    let s = (x - np) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const next = s + ej / (2 * j + 1);
      if (next === s) return next;
      s = next;
    }
    return s;
  }
  return x * Math.log(x / np) + np - x;
}

/** log of the Poisson "density" lambda^k e^-lambda / k! for real k >= 0 (saddle-point form). */
function dpoisRawLog(k: number, lambda: number): number {
  if (k === 0) return -lambda;
  return -0.5 * Math.log(2 * Math.PI * k) - stirlerr(k) - bd0(k, lambda);
}

/** log density of Gamma(shape, scale) at x > 0. */
export function dgammaLog(x: number, shape: number, scale: number): number {
  if (x < 0) return -Infinity;
  if (x === 0) return shape < 1 ? Infinity : shape > 1 ? -Infinity : -Math.log(scale);
  if (shape < 1) return dpoisRawLog(shape, x / scale) + Math.log(shape / x);
  return dpoisRawLog(shape - 1, x / scale) - Math.log(scale);
}
