import { selectRanks } from './orderStatistics.js';

/**
 * R's `quantile(x, probs)` with its default type 7 on the non-missing values:
 * with x sorted and h = 1 + (n - 1) p, lo = floor(h), hi = ceiling(h), the
 * quantile is x_lo, or (1 - (h - lo)) x_lo + (h - lo) x_hi when h > lo and
 * x_hi != x_lo (1-based indices, R's exact arithmetic). Only the order statistics
 * x_lo and x_hi are placed (selectRanks), not the whole sample sorted.
 */
export function quantile7(x: ArrayLike<number>, probs: readonly number[]): number[] {
  const v = withoutNaN(x);
  const n = v.length;
  const index = probs.map((p) => 1 + Math.max(n - 1, 0) * p);
  if (n > 0) {
    const ranks = new Set<number>();
    for (const h of index) {
      ranks.add(Math.floor(h) - 1);
      ranks.add(Math.ceil(h) - 1);
    }
    selectRanks(v, [...ranks].sort((a, b) => a - b));
  }
  return index.map((index) => {
    const lo = Math.floor(index), hi = Math.ceil(index);
    const q = v[lo - 1];
    if (!(index > lo && v[hi - 1] !== q)) return q;
    const h = index - lo;
    return (1 - h) * q + h * v[hi - 1];
  });
}

/** A copy of x without its NaN values (R's na.rm = TRUE). */
function withoutNaN(x: ArrayLike<number>): Float64Array {
  const v = new Float64Array(x.length);
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    if (!Number.isNaN(a)) v[n++] = a;
  }
  return n === v.length ? v : v.slice(0, n);
}

/** R's `seq.int(0, 1, length.out = k + 2)` without its ends: the probabilities of k interior knots. */
export function interiorProbs(k: number): number[] {
  const by = 1 / (k + 1);
  return Array.from({ length: k }, (_, i) => (i + 1) * by);
}
