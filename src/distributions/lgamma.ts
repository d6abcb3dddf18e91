/**
 * log Gamma(x) computed as R's lgammafn for x > 10, so that quantities built
 * on it (ptukey's weights) agree with R's to the last bit:
 *
 *   lgamma(x) = log(sqrt(2 pi)) + (x - 1/2) log x - x + lgammacor(x),
 *   lgammacor(x) = (1 / x) sum_k c_k T_k(2 (10 / x)^2 - 1),
 *
 * the Stirling remainder as a 5-term Chebyshev series (SLATEC's d9lgmc
 * coefficients, as R uses them), evaluated by Clenshaw's recurrence.
 * Smaller x uses stdlib's gammaln (within a few ulps of R's).
 */
import gammaln from '@stdlib/math-base-special-gammaln';

const LN_SQRT_2PI = 0.918938533204672741780329736406;
const ALGMCS = [
  0.1666389480451863247205729650822, -0.1384948176067563840732986059135e-4, 0.9810825646924729426157171547487e-8,
  -0.1809129475572494194263306266719e-10, 0.6221098041892605227126015543416e-13,
];
/** Beyond this the series is 1 / 12x (R's xbig). */
const XBIG = 94906265.62425156;

/** Clenshaw's sum of a_k T_k(x) with the first coefficient halved (R's chebyshev_eval). */
function chebyshev(x: number, a: readonly number[]): number {
  const twox = 2 * x;
  let b0 = 0, b1 = 0, b2 = 0;
  for (let i = a.length - 1; i >= 0; i--) {
    b2 = b1;
    b1 = b0;
    b0 = twox * b1 - b2 + a[i];
  }
  return (b0 - b2) * 0.5;
}

function lgammacor(x: number): number {
  if (x >= XBIG) return 1 / (x * 12);
  const t = 10 / x;
  return chebyshev(t * t * 2 - 1, ALGMCS) / x;
}

/** log Gamma(x) for x > 0 (module comment). */
export function lgamma(x: number): number {
  if (!(x > 10)) return gammaln(x);
  if (x > 1e17) return x * (Math.log(x) - 1);
  if (x > 4934720) return LN_SQRT_2PI + (x - 0.5) * Math.log(x) - x;
  return LN_SQRT_2PI + (x - 0.5) * Math.log(x) - x + lgammacor(x);
}
