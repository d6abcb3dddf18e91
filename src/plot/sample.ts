/**
 * Deterministic thinning of large point sets, so a plot of 1e5 or 1e6 rows
 * stays a few thousand marks and the same data always gives the same picture.
 */

/**
 * `m` indices spread evenly over 0..n-1: floor(k n / m) for k = 0..m-1
 * (all of 0..n-1 when n <= m). Rows stored by group keep every group's share.
 */
export function evenSample(n: number, m: number): Int32Array {
  if (n <= m) return Int32Array.from({ length: n }, (_, i) => i);
  const out = new Int32Array(m);
  for (let k = 0; k < m; k++) out[k] = Math.floor((k * n) / m);
  return out;
}

/**
 * Thins a path that is monotone in both coordinates (a QQ plot): keeps the
 * first and last points and every point that moved at least 1/steps of either
 * axis range from the last one kept. Along a monotone path the moves add up to
 * the two ranges, so at most about 2 * steps + 2 points remain, and sparse
 * stretches (the tails) keep every point.
 */
export function thinMonotone(x: ArrayLike<number>, y: ArrayLike<number>, steps: number): Int32Array {
  const n = x.length;
  if (n <= 2 * steps) return Int32Array.from({ length: n }, (_, i) => i);
  const dx = (x[n - 1] - x[0]) / steps;
  const dy = (y[n - 1] - y[0]) / steps;
  const keep: number[] = [0];
  let last = 0;
  for (let i = 1; i < n - 1; i++) {
    if (x[i] - x[last] >= dx || y[i] - y[last] >= dy) {
      keep.push(i);
      last = i;
    }
  }
  keep.push(n - 1);
  return Int32Array.from(keep);
}
