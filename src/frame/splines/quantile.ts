/**
 * R's `quantile(x, probs)` with its default type 7 on the non-missing values:
 * with x sorted and h = 1 + (n - 1) p, lo = floor(h), hi = ceiling(h), the
 * quantile is x_lo, or (1 - (h - lo)) x_lo + (h - lo) x_hi when h > lo and
 * x_hi != x_lo (1-based indices, R's exact arithmetic).
 */
export function quantile7(x: ArrayLike<number>, probs: readonly number[]): number[] {
  const v = Float64Array.from(x).filter((a) => !Number.isNaN(a)).sort();
  const n = v.length;
  return probs.map((p) => {
    const index = 1 + Math.max(n - 1, 0) * p;
    const lo = Math.floor(index), hi = Math.ceil(index);
    const q = v[lo - 1];
    if (!(index > lo && v[hi - 1] !== q)) return q;
    const h = index - lo;
    return (1 - h) * q + h * v[hi - 1];
  });
}

/** R's `seq.int(0, 1, length.out = k + 2)` without its ends: the probabilities of k interior knots. */
export function interiorProbs(k: number): number[] {
  const by = 1 / (k + 1);
  return Array.from({ length: k }, (_, i) => (i + 1) * by);
}
