/**
 * Standard normal distribution: density phi(x) = exp(-x^2 / 2) / sqrt(2 pi),
 * tails and quantile.
 *
 * Tails come from Cody's approximations (normalCdf.ts), so `pnormUpper(z)`
 * = Phi(-z) keeps full relative accuracy far out (pnormUpper(37) = 5.7e-300),
 * unlike 1 - pnorm(z). The quantile is Wichura's AS 241 (normalQuantile.ts).
 */
import { normalCdf } from './normalCdf.js';
import { normalQuantile } from './normalQuantile.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Density phi(x). */
export function dnorm(x: number): number {
  return Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
}

/** Lower tail P(Z <= z). */
export function pnorm(z: number): number {
  return normalCdf(z);
}

/** Upper tail P(Z > z), accurate when it is tiny. */
export function pnormUpper(z: number): number {
  return normalCdf(-z);
}

/** Two-sided p-value P(|Z| >= |z|). */
export function pnormTwoSided(z: number): number {
  return 2 * pnormUpper(Math.abs(z));
}

/** Quantile: the x with P(Z <= x) = p. NaN outside [0, 1]. */
export function qnorm(p: number): number {
  return normalQuantile(p);
}
