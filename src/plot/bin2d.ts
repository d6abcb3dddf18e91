/**
 * A 2-D histogram: counts of points in an nx x ny grid of equal cells over the
 * range of the finite points. Only non-empty cells are returned, as rows with
 * their cell edges, ready to draw as rectangles.
 */

export interface Cell {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  count: number;
}

/** Counts finite (x[i], y[i]) pairs per cell; the upper edges are closed. */
export function bin2d(x: ArrayLike<number>, y: ArrayLike<number>, nx: number, ny: number): Cell[] {
  const [xmin, xmax] = range(x, y);
  const [ymin, ymax] = range(y, x);
  const wx = (xmax - xmin) / nx || 1;
  const wy = (ymax - ymin) / ny || 1;
  const counts = new Int32Array(nx * ny);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const yi = y[i];
    if (!(Number.isFinite(xi) && Number.isFinite(yi))) continue;
    const cx = Math.min(nx - 1, Math.floor((xi - xmin) / wx));
    const cy = Math.min(ny - 1, Math.floor((yi - ymin) / wy));
    counts[cy * nx + cx]++;
  }
  const cells: Cell[] = [];
  for (let cy = 0; cy < ny; cy++) {
    for (let cx = 0; cx < nx; cx++) {
      const count = counts[cy * nx + cx];
      if (count === 0) continue;
      const x0 = xmin + cx * wx;
      const y0 = ymin + cy * wy;
      cells.push({ x0, x1: x0 + wx, y0, y1: y0 + wy, count });
    }
  }
  return cells;
}

/** [min, max] of the finite a[i] whose partner b[i] is finite too. */
function range(a: ArrayLike<number>, b: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    if (!(Number.isFinite(a[i]) && Number.isFinite(b[i]))) continue;
    if (a[i] < lo) lo = a[i];
    if (a[i] > hi) hi = a[i];
  }
  return [lo, hi];
}
