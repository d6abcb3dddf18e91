/**
 * Mean and standard deviation (n - 1 denominator) over the non-missing (non-NaN)
 * values, by Welford's update: R's `scale(x)` centre and scale. Shared by the
 * frame (fitting) and by new-data evaluation (prediction), which must agree.
 */
export function meanSd(x: ArrayLike<number>): { mean: number; sd: number } {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(v)) continue;
    n++;
    const d = v - mean;
    mean += d / n;
    m2 += d * (v - mean);
  }
  return { mean, sd: Math.sqrt(m2 / (n - 1)) };
}
