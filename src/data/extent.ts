/**
 * The largest and smallest of many numbers, by a loop: `Math.max(...xs)` passes
 * every element as an argument, and a few hundred thousand of them (a column of
 * the data) overflow the call stack.
 */

/** The largest of `xs` (-Infinity when empty; NaN when any is NaN, as Math.max). */
export function maxOf(xs: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (Number.isNaN(x)) return NaN;
    if (x > m) m = x;
  }
  return m;
}

/** The smallest of `xs` (Infinity when empty; NaN when any is NaN, as Math.min). */
export function minOf(xs: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (Number.isNaN(x)) return NaN;
    if (x < m) m = x;
  }
  return m;
}
