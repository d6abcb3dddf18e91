/**
 * log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b) for a, b > 0,
 * arranged as R's lbeta so that nothing large cancels. With p = min(a, b),
 * q = max(a, b) and delta the Stirling remainder (stirling.ts):
 *
 *   p >= 10:          -log(q)/2 + log(sqrt(2 pi)) + delta(p) + delta(q) - delta(p + q)
 *                     + (p - 1/2) log(p / (p + q)) + q log1p(-p / (p + q));
 *   p < 10 <= q:      log Gamma(p) + delta(q) - delta(p + q) + p - p log(p + q)
 *                     + (q - 1/2) log1p(-p / (p + q));
 *   q < 10:           log(Gamma(p) Gamma(q) / Gamma(p + q)).
 */
import { gammaFn } from './gamma.js';
import { lgamma } from './lgamma.js';
import { stirlingRemainder } from './stirling.js';

const LN_SQRT_2PI = 0.918938533204672741780329736406;

/** log B(a, b) for a, b > 0 (module comment). */
export function lbeta(a: number, b: number): number {
  const p = Math.min(a, b), q = Math.max(a, b);
  if (!(p > 0)) return p === 0 ? Infinity : NaN;
  if (q === Infinity) return -Infinity;
  const s = p + q;
  if (p >= 10) {
    const corr = stirlingRemainder(p) + stirlingRemainder(q) - stirlingRemainder(s);
    return -0.5 * Math.log(q) + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(p / s) + q * Math.log1p(-p / s);
  }
  if (q >= 10) {
    const corr = stirlingRemainder(q) - stirlingRemainder(s);
    return lgamma(p) + corr + p - p * Math.log(s) + (q - 0.5) * Math.log1p(-p / s);
  }
  return Math.log(gammaFn(p) * (gammaFn(q) / gammaFn(s)));
}
