/**
 * R's spline bases for model formulas: `splines::bs` (B-splines of any degree)
 * and `splines::ns` (natural cubic splines), with R's knots, boundary handling and
 * column order, so coefficients and predictions match R's.
 *
 * A `SplineSpec` holds everything the basis depends on besides x (R's
 * `makepredictcall` keeps the same: knots and Boundary.knots), so new data are
 * evaluated on the fit's knots.
 *
 * bs: with order k = degree + 1 and the augmented knots a = (b1 x k, interior knots,
 * b2 x k), the columns are the B-splines of order k on a (bsplineBasis.ts), the first
 * dropped unless `intercept`. Outside [b1, b2] each column is continued by its Taylor
 * polynomial of degree k - 1 at a pivot a quarter of the way from the boundary knot to
 * the next knot (R >= 3.2.3's rule).
 *
 * ns: cubic B-splines (k = 4) on the same kind of knots, continued linearly outside
 * [b1, b2]; then the natural constraints (second derivative 0 at b1 and b2) by
 * projecting each row onto the orthogonal complement of the constraint matrix C
 * (2 x ncol, the second derivatives at b1, b2): with C' = QR (Householder, R's qr),
 * the row b becomes (Q'b) without its first two entries.
 */
import { MixedModelsError } from '../../errors.js';
import { qrDecompose, qrQty } from '../../linalg/qr.js';
import { bsplineBasis } from './bsplineBasis.js';
import { interiorProbs, quantile7 } from './quantile.js';
import { maxOf, minOf } from '../../data/extent.js';

export interface SplineSpec {
  kind: 'bs' | 'ns';
  /** Polynomial degree (3 for ns). */
  degree: number;
  /** Interior knots, ascending. */
  knots: number[];
  boundary: [number, number];
  intercept: boolean;
}

/** The arguments of bs()/ns() as a user gives them; absent ones take R's defaults. */
export interface SplineArgs {
  df?: number;
  knots?: number[];
  degree?: number;
  intercept?: boolean;
  boundary?: [number, number];
}

/** The spec R computes from the data x (NaN = missing) and the call's arguments. */
export function splineSpec(kind: 'bs' | 'ns', x: Float64Array, args: SplineArgs, label: string): SplineSpec {
  const degree = kind === 'ns' ? 3 : args.degree ?? 3;
  if (!(Number.isInteger(degree) && degree >= 1)) throw new MixedModelsError(`${label}: the degree must be a whole number of at least 1`);
  const intercept = args.intercept ?? false;
  const present = x.filter((v) => !Number.isNaN(v));
  if (present.length === 0) throw new MixedModelsError(`${label}: no non-missing values to place the knots`);
  const boundary = args.boundary ?? [minOf(present), maxOf(present)];
  if (!(boundary[0] < boundary[1])) throw new MixedModelsError(`${label}: the boundary knots must be two different values (the variable is constant?)`);
  let knots = args.knots ? [...args.knots].sort((a, b) => a - b) : [];
  if (args.df !== undefined && args.knots === undefined) {
    const free = kind === 'ns' ? args.df - 1 - (intercept ? 1 : 0) : args.df - degree - (intercept ? 1 : 0);
    if (!(Number.isInteger(args.df) && free >= 0)) {
      const least = kind === 'ns' ? 1 + (intercept ? 1 : 0) : degree + (intercept ? 1 : 0);
      throw new MixedModelsError(`${label}: df must be a whole number of at least ${least}`);
    }
    const inside = present.filter((v) => v >= boundary[0] && v <= boundary[1]);
    knots = free > 0 ? quantile7(inside, interiorProbs(free)) : [];
  }
  if (knots.some((k) => !(k >= boundary[0] && k <= boundary[1]))) {
    throw new MixedModelsError(`${label}: interior knots must lie within the boundary knots [${boundary[0]}, ${boundary[1]}]`);
  }
  return { kind, degree, knots, boundary, intercept };
}

/** Number of basis columns. */
export function splineColumns(spec: SplineSpec): number {
  const all = spec.knots.length + spec.degree + 1;
  return all - (spec.intercept ? 0 : 1) - (spec.kind === 'ns' ? 2 : 0);
}

/** The basis at x: column-major n x splineColumns(spec); NaN rows where x is NaN. */
export function splineBasis(spec: SplineSpec, x: Float64Array): Float64Array {
  const n = x.length, order = spec.degree + 1;
  const a = Float64Array.from([...Array(order).fill(spec.boundary[0]), ...spec.knots, ...Array(order).fill(spec.boundary[1])]);
  const full = a.length - order;
  const skip = spec.intercept ? 0 : 1;
  const constraint = spec.kind === 'ns' ? naturalConstraint(a, skip) : null;
  const ncol = splineColumns(spec);
  const out = new Float64Array(n * ncol);
  for (let i = 0; i < n; i++) {
    let row: Float64Array;
    if (Number.isNaN(x[i])) row = new Float64Array(full).fill(NaN);
    else row = spec.kind === 'ns' ? naturalRow(a, spec.boundary, x[i]) : bsRow(a, order, spec.boundary, x[i]);
    let kept = row.subarray(skip);
    if (constraint) kept = qrQty(constraint, Float64Array.from(kept)).subarray(2);
    for (let j = 0; j < ncol; j++) out[i + j * n] = kept[j];
  }
  return out;
}

/** One row of the B-spline basis, with R's polynomial continuation outside the boundary. */
function bsRow(a: Float64Array, order: number, boundary: [number, number], x: number): Float64Array {
  if (x >= boundary[0] && x <= boundary[1]) return bsplineBasis(a, order, x);
  const pivot = x < boundary[0] ? 0.75 * boundary[0] + 0.25 * a[order] : 0.75 * boundary[1] + 0.25 * a[a.length - order - 1];
  const row = new Float64Array(a.length - order);
  let power = 1, factorial = 1;
  for (let d = 0; d < order; d++) {
    if (d > 0) {
      power *= x - pivot;
      factorial *= d;
    }
    const derivative = bsplineBasis(a, order, pivot, d);
    for (let j = 0; j < row.length; j++) row[j] += (power / factorial) * derivative[j];
  }
  return row;
}

/** One row of the cubic B-spline basis, continued linearly outside the boundary (ns). */
function naturalRow(a: Float64Array, boundary: [number, number], x: number): Float64Array {
  if (x >= boundary[0] && x <= boundary[1]) return bsplineBasis(a, 4, x);
  const pivot = x < boundary[0] ? boundary[0] : boundary[1];
  const value = bsplineBasis(a, 4, pivot), slope = bsplineBasis(a, 4, pivot, 1);
  return value.map((v, j) => v + (x - pivot) * slope[j]);
}

/** QR of C' for ns: C = second derivatives of the kept columns at both boundary knots. */
function naturalConstraint(a: Float64Array, skip: number) {
  const left = bsplineBasis(a, 4, a[0], 2).subarray(skip), right = bsplineBasis(a, 4, a[a.length - 1], 2).subarray(skip);
  const m = left.length;
  const ct = new Float64Array(m * 2);
  ct.set(left, 0);
  ct.set(right, m);
  return qrDecompose(ct, m, 2);
}
