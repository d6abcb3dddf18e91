/**
 * The remainder of Stirling's formula for log Gamma,
 *
 *   delta(x) = log Gamma(x) - [log(sqrt(2 pi)) + (x - 1/2) log x - x],   x >= 10,
 *
 * as a 5-term Chebyshev series in t = 2 (10 / x)^2 - 1 (SLATEC's d9lgmc
 * coefficients, which R's lgammacor uses):
 *
 *   delta(x) = (1 / x) sum_k' c_k T_k(t),
 *
 * and 1 / (12 x) beyond x = 94906265.6 (R's xbig), where the series' next term
 * is below rounding. delta is what log Gamma, log Beta and the incomplete beta
 * and gamma prefactors use to avoid subtracting large, nearly equal numbers.
 */
import { chebyshev } from './chebyshev.js';

const ALGMCS = [
  0.1666389480451863247205729650822, -0.1384948176067563840732986059135e-4, 0.9810825646924729426157171547487e-8,
  -0.1809129475572494194263306266719e-10, 0.6221098041892605227126015543416e-13,
];
/** Beyond this the series is 1 / 12x (R's xbig). */
const XBIG = 94906265.62425156;

/** delta(x) for x >= 10 (module comment). */
export function stirlingRemainder(x: number): number {
  if (x >= XBIG) return 1 / (x * 12);
  const t = 10 / x;
  return chebyshev(t * t * 2 - 1, ALGMCS) / x;
}
