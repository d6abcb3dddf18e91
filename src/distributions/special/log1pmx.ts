/**
 * log1pmx(u) = log(1 + u) - u for u > -1, without the cancellation of the
 * two terms near u = 0 (where it is about -u^2 / 2).
 *
 * With r = u / (2 + u), log(1 + u) = 2 atanh(r) = 2 (r + r^3/3 + r^5/5 + ...)
 * and u = 2r / (1 - r), so
 *
 *   log(1 + u) - u = r (2 S - u),   S = r^2/3 + r^4/5 + r^6/7 + ...,
 *
 * a sum of positive terms that shrink by r^2 <= 1/9 each for -1/2 <= u <= 1.
 * Outside that range log(1 + u) - u loses at most a few bits and is used as it is.
 */

/** log(1 + u) - u (module comment). */
export function log1pmx(u: number): number {
  if (!(u >= -0.5 && u <= 1)) return Math.log1p(u) - u;
  const r = u / (2 + u);
  const y = r * r;
  let power = y, sum = 0;
  for (let k = 3; ; k += 2) {
    const term = power / k;
    sum += term;
    if (term <= 1e-17 * sum) break;
    power *= y;
  }
  return r * (2 * sum - u);
}
