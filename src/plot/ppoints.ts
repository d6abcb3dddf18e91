/**
 * Probability points for QQ plots, R's `ppoints(n)`:
 *
 *     p_i = (i - a) / (n + 1 - 2a),  i = 1..n,  a = 3/8 if n <= 10 else 1/2
 *
 * (Blom's plotting positions for small samples).
 */
export function ppoints(n: number): Float64Array {
  const a = n <= 10 ? 3 / 8 : 1 / 2;
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = (i + 1 - a) / (n + 1 - 2 * a);
  return p;
}

/** R's default `quantile(x, p)` (type 7) of an ascending `sorted` sample. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
