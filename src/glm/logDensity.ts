/**
 * Log densities used by the families' AIC (R's dbinom, dpois, dgamma with log = TRUE),
 * written with log-gamma: log C(n, x) = lgamma(n+1) - lgamma(x+1) - lgamma(n-x+1).
 */
import gammaln from '@stdlib/math-base-special-gammaln';

/** R's test for a non-integer count: |x - round(x)| > 1e-7 max(1, |x|). */
function nonInteger(x: number): boolean {
  return Math.abs(x - Math.round(x)) > 1e-7 * Math.max(1, Math.abs(x));
}

/** log P(X = x), X ~ Binomial(size, p); x and size are whole numbers. */
export function dbinomLog(x: number, size: number, p: number): number {
  if (x < 0 || x > size || nonInteger(x)) return -Infinity;
  if (p === 0) return x === 0 ? 0 : -Infinity;
  if (p === 1) return x === size ? 0 : -Infinity;
  const lchoose = gammaln(size + 1) - gammaln(x + 1) - gammaln(size - x + 1);
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

/** log density of Gamma(shape, scale) at x > 0. */
export function dgammaLog(x: number, shape: number, scale: number): number {
  if (x < 0) return -Infinity;
  return (shape - 1) * Math.log(x) - x / scale - gammaln(shape) - shape * Math.log(scale);
}
