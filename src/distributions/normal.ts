/**
 * Standard normal distribution: density, tails and quantile.
 *
 * Tails come from stdlib's erfc-based cdf, so `pnormUpper(z)` keeps full
 * relative accuracy far out (pnormUpper(37) = 5.7e-300), unlike 1 - pnorm(z).
 * The quantile polishes stdlib's estimate (relative error ~1e-7 at p = 1e-10,
 * -Infinity below p ~ 1e-17) by Newton steps on log Phi(x) = log p.
 */
import cdf from '@stdlib/stats-base-dists-normal-cdf';
import quantile from '@stdlib/stats-base-dists-normal-quantile';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Density phi(x). */
export function dnorm(x: number): number {
  return Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
}

/** Lower tail P(Z <= z). */
export function pnorm(z: number): number {
  return cdf(z, 0, 1);
}

/** Upper tail P(Z > z), accurate when it is tiny. */
export function pnormUpper(z: number): number {
  return cdf(-z, 0, 1);
}

/** Two-sided p-value P(|Z| >= |z|). */
export function pnormTwoSided(z: number): number {
  return 2 * pnormUpper(Math.abs(z));
}

/** Quantile: the x with P(Z <= x) = p. NaN outside [0, 1]. */
export function qnorm(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -lowerQuantile(1 - p);
  return lowerQuantile(p);
}

/** Solves log Phi(x) = log p for p <= 0.5. */
function lowerQuantile(p: number): number {
  let x = quantile(p, 0, 1);
  if (!Number.isFinite(x)) {
    const l = -2 * Math.log(p);
    x = -Math.sqrt(l - Math.log(l) - Math.log(2 * Math.PI));
  }
  const logp = Math.log(p);
  for (let iter = 0; iter < 50; iter++) {
    const phi = pnorm(x);
    const step = (Math.log(phi) - logp) * phi / dnorm(x);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.abs(x)) break;
  }
  return x;
}
