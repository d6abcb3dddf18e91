/**
 * The free coordinates x the optimiser moves while one profiled parameter is
 * held fixed, and the map x -> theta.
 *
 * Two kinds:
 * - `thetaCoords`: theta itself, optionally with some elements pinned at 0
 *   (a standard deviation fixed at 0 pins its row of T).
 * - `sdcorCoords`: theta for every term but one; that term in relative sdcor
 *   form (relative sds and correlations, see profileScale.ts) with one element
 *   pinned at the profiled value (a correlation; for a GLMM without a scale,
 *   where relative sds are the sds, also an sd). The map to theta fails
 *   (returns false) when the correlations are not positive semi-definite.
 */
import {
  relativeSdcor, thetaFromRelative, triangleSize, trianglePositions, type TermLayout,
} from './profileScale.js';

export interface FreeCoords {
  /** Number of free coordinates. */
  n: number;
  lower: Float64Array;
  upper: Float64Array;
  /** Writes theta for x; false when x is outside the model's parameter space. */
  toTheta(x: ArrayLike<number>, theta: Float64Array): boolean;
  /** The free coordinates of (the nearest admissible point to) theta. */
  fromTheta(theta: ArrayLike<number>): Float64Array;
}

/** theta with the elements in `pinned` held at 0. */
export function thetaCoords(lower: ArrayLike<number>, upper: ArrayLike<number>, pinned: readonly number[] = []): FreeCoords {
  const pin = new Set(pinned);
  const free = Array.from({ length: lower.length }, (_, e) => e).filter((e) => !pin.has(e));
  return {
    n: free.length,
    lower: Float64Array.from(free, (e) => lower[e]),
    upper: Float64Array.from(free, (e) => upper[e]),
    toTheta(x, theta) {
      theta.fill(0);
      free.forEach((e, i) => (theta[e] = x[i]));
      return true;
    },
    fromTheta(theta) {
      return Float64Array.from(free, (e) => Math.min(upper[e], Math.max(lower[e], theta[e])));
    },
  };
}

/** Other correlations are shrunk towards 0 by these factors until the start is admissible. */
const SHRINK = [1, 0.5, 0.25, 0];

/**
 * theta outside `term`; inside it, relative sds and correlations with the
 * element at term position `pos` fixed at `value`.
 */
export function sdcorCoords(
  lower: ArrayLike<number>, upper: ArrayLike<number>, term: TermLayout, pos: number, value: number,
): FreeCoords {
  const ntheta = lower.length, size = triangleSize(term.k), end = term.start + size;
  const positions = trianglePositions(term.k);
  const outside = Array.from({ length: ntheta }, (_, e) => e).filter((e) => e < term.start || e >= end);
  const inside = positions.map((_, i) => i).filter((i) => i !== pos);
  const isSd = (i: number): boolean => positions[i].row === positions[i].col;
  const w = new Float64Array(ntheta);
  const place = (x: ArrayLike<number>): void => {
    inside.forEach((i, a) => (w[term.start + i] = x[outside.length + a]));
    w[term.start + pos] = value;
  };
  return {
    n: outside.length + inside.length,
    lower: Float64Array.from([...outside.map((e) => lower[e]), ...inside.map((i) => (isSd(i) ? 0 : -1))]),
    upper: Float64Array.from([...outside.map((e) => upper[e]), ...inside.map((i) => (isSd(i) ? Infinity : 1))]),
    toTheta(x, theta) {
      outside.forEach((e, a) => (theta[e] = x[a]));
      place(x);
      return thetaFromRelative(term, w, theta);
    },
    fromTheta(theta) {
      const rel = new Float64Array(ntheta);
      relativeSdcor(term, theta, rel);
      const scratch = new Float64Array(ntheta);
      for (const f of SHRINK) {
        const x = [
          ...outside.map((e) => Math.min(upper[e], Math.max(lower[e], theta[e]))),
          ...inside.map((i) => {
            const v = rel[term.start + i];
            return isSd(i) ? v : Number.isNaN(v) ? 0 : Math.max(-1, Math.min(1, f * v));
          }),
        ];
        place(x);
        if (thetaFromRelative(term, w, scratch)) return Float64Array.from(x);
      }
      throw new Error('sdcorCoords: no admissible start');
    },
  };
}

/**
 * theta with the user's sd of a centred term's intercept (lmm/conditioning/termCentring.ts)
 * held at `value`, for a term whose intercept is its first column (i0 = 0, as lme4 orders
 * them). Row 0 of A T is (T00 - a_0, -a_1, ..., -a_{k-1}) with a_j = sum_{c>0} m_c T[c, j];
 * the element solved for is T[c*, 0] of the slope with the largest shift m_c*, so that
 * (A T)[0, 0] = sign sqrt(value^2 - sum_{j>0} a_j^2), `sign` that of (A T)[0, 0] at the
 * estimates (`estimate`, theta there): T[c*, 0] moves by 1/m_c* of what T00 does (solving for T00 instead left it a
 * thousand times as sensitive to T[c*, 0] as the criterion, and the profile stalled). Every
 * other element is free; inadmissible (false) when the other rows alone exceed the value.
 */
export function shiftedInterceptCoords(
  lower: ArrayLike<number>, upper: ArrayLike<number>, term: TermLayout, means: ArrayLike<number>, value: number, estimate: ArrayLike<number>,
): FreeCoords {
  const ntheta = lower.length, positions = trianglePositions(term.k);
  // (A T)[0, 0] = T00 - sum_{r>0} m_r T[r, 0] at the estimates.
  let head = 0;
  positions.forEach(({ row, col }, pos) => {
    if (col === 0) head += (row === 0 ? 1 : -means[row]) * estimate[term.start + pos];
  });
  const sign = head >= 0 ? 1 : -1;
  let pivot = 1;
  for (let c = 2; c < term.k; c++) if (Math.abs(means[c]) > Math.abs(means[pivot])) pivot = c;
  // T[pivot, 0]: column 0 comes first, so its position is the row.
  const solved = term.start + pivot;
  const free = Array.from({ length: ntheta }, (_, e) => e).filter((e) => e !== solved);
  return {
    n: free.length,
    lower: Float64Array.from(free, (e) => lower[e]),
    upper: Float64Array.from(free, (e) => upper[e]),
    toTheta(x, theta) {
      free.forEach((e, i) => (theta[e] = x[i]));
      const a = new Float64Array(term.k);
      positions.forEach(({ row, col }, pos) => {
        if (row > 0 && !(row === pivot && col === 0)) a[col] += means[row] * theta[term.start + pos];
      });
      let rest = 0;
      for (let j = 1; j < term.k; j++) rest += a[j] * a[j];
      const gap = value * value - rest;
      if (!(gap >= 0)) return false;
      // T00 - a_0 - m_pivot T[pivot, 0] = sign sqrt(gap).
      theta[solved] = (theta[term.start] - a[0] - sign * Math.sqrt(gap)) / means[pivot];
      return true;
    },
    fromTheta(theta) {
      return Float64Array.from(free, (e) => Math.min(upper[e], Math.max(lower[e], theta[e])));
    },
  };
}
