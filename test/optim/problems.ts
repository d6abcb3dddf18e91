/** Standard test functions for the optimisers (known minimisers stated with each). */

/** Extended Rosenbrock, sum of 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2; minimum 0 at all ones. */
export function rosenbrock(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
  return s;
}

/**
 * A convex quadratic with a tridiagonal Hessian (2 on the diagonal, 1 off it),
 * minimised at c_i = (i + 1) / n with value 0.
 */
export function tridiagonalQuadratic(x: Float64Array): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - (i + 1) / n;
    s += d * d;
    if (i + 1 < n) s += d * (x[i + 1] - (i + 2) / n);
  }
  return s;
}

/** Wraps f so that it records whether it was ever called outside [lower, upper]. */
export function watchBounds(
  f: (x: Float64Array) => number, lower: ArrayLike<number>, upper: ArrayLike<number>,
): { f: (x: Float64Array) => number; outside: () => number } {
  let outside = 0;
  return {
    f: (x) => {
      for (let i = 0; i < x.length; i++) if (x[i] < lower[i] || x[i] > upper[i]) outside++;
      return f(x);
    },
    outside: () => outside,
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
