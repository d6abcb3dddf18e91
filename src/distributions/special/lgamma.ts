/**
 * log Gamma(x) for x > 0, computed as R's lgammafn, so that quantities built on
 * it (ptukey's weights, GLM log-likelihoods) agree with R's to the last bit:
 *
 *   x < 1e-306:    -log x (Gamma(x) ~ 1 / x; Gamma itself would overflow),
 *   x <= 10:       log Gamma(x) from the Chebyshev series (gamma.ts),
 *   x > 10:        log(sqrt(2 pi)) + (x - 1/2) log x - x + delta(x),
 *                  delta the Stirling remainder (stirling.ts), dropped beyond
 *                  x = 4934720 where it is below rounding, and
 *                  x (log x - 1) beyond 1e17.
 *
 * lgamma(0) = Infinity; NaN for x < 0 or NaN (this library needs x > 0 only).
 */
import { gammaFn } from './gamma.js';
import { stirlingRemainder } from './stirling.js';

const LN_SQRT_2PI = 0.918938533204672741780329736406;

/** log Gamma(x) for x > 0 (module comment). */
export function lgamma(x: number): number {
  if (x === 0) return Infinity;
  if (!(x > 0)) return NaN;
  if (x < 1e-306) return -Math.log(x);
  if (x <= 10) return Math.log(gammaFn(x));
  if (x > 1e17) return x * (Math.log(x) - 1);
  if (x > 4934720) return LN_SQRT_2PI + (x - 0.5) * Math.log(x) - x;
  return LN_SQRT_2PI + (x - 0.5) * Math.log(x) - x + stirlingRemainder(x);
}
