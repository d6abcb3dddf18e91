/**
 * The digamma and trigamma functions psi(x) = d/dx log Gamma(x) and
 * psi'(x), for x > 0 (R's digamma, trigamma), as needed by the negative
 * binomial's score and information in theta (glm/thetaMl.ts).
 *
 * Below x = 10 the recurrences psi(x) = psi(x + 1) - 1/x and
 * psi'(x) = psi'(x + 1) + 1/x^2 move the argument up; from there the
 * asymptotic (Stirling) series with Bernoulli numbers B_2k:
 *   psi(x)  = log x - 1/(2x) - sum_k B_2k / (2k x^2k)
 *   psi'(x) = 1/x + 1/(2x^2) + sum_k B_2k / x^(2k+1)
 * truncated after k = 7, whose next term is below 1e-17 at x >= 10.
 */

const SHIFT = 10;
/** B_2k / (2k), k = 1..7. */
const DIGAMMA_COEF = [1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12];
/** B_2k, k = 1..7. */
const TRIGAMMA_COEF = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6];

/** psi(x) for x > 0; NaN otherwise. */
export function digamma(x: number): number {
  if (!(x > 0)) return NaN;
  if (x === Infinity) return Infinity;
  let shift = 0;
  while (x < SHIFT) {
    shift += 1 / x;
    x += 1;
  }
  const r = 1 / (x * x);
  let series = 0;
  for (let k = DIGAMMA_COEF.length - 1; k >= 0; k--) series = series * r + DIGAMMA_COEF[k];
  return Math.log(x) - 0.5 / x - r * series - shift;
}

/** psi'(x) for x > 0; NaN otherwise. */
export function trigamma(x: number): number {
  if (!(x > 0)) return NaN;
  if (x === Infinity) return 0;
  let shift = 0;
  while (x < SHIFT) {
    shift += 1 / (x * x);
    x += 1;
  }
  const r = 1 / (x * x);
  let series = 0;
  for (let k = TRIGAMMA_COEF.length - 1; k >= 0; k--) series = series * r + TRIGAMMA_COEF[k];
  return 1 / x + 0.5 * r + (r / x) * series + shift;
}
