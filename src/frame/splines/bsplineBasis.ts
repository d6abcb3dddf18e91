/**
 * B-spline basis functions and their derivatives at one point (R's
 * `splines::splineDesign` for one x; de Boor, A Practical Guide to Splines, ch. IX-X).
 *
 * With knots t_0 <= ... <= t_{m-1} and order k (degree k - 1) there are m - k basis
 * functions B_{i,k}, i = 0 .. m - k - 1, defined by Cox-de Boor:
 *
 *   B_{i,1}(x) = 1 if t_i <= x < t_{i+1}, else 0,
 *   B_{i,j}(x) = (x - t_i) / (t_{i+j-1} - t_i) B_{i,j-1}(x) + (t_{i+j} - x) / (t_{i+j} - t_{i+1}) B_{i+1,j-1}(x),
 *
 * and their d-th derivatives by d applications of
 *
 *   D^d B_{i,j} = (j - 1) (D^{d-1} B_{i,j-1} / (t_{i+j-1} - t_i) - D^{d-1} B_{i+1,j-1} / (t_{i+j} - t_{i+1})),
 *
 * terms with a zero denominator being 0. The right end of the basis' range,
 * x = t_{m-k}, belongs to the last non-empty interval (as in R), so the basis is
 * continuous from the left there. `x` must lie in [t_{k-1}, t_{m-k}].
 */
export function bsplineBasis(knots: Float64Array, order: number, x: number, deriv = 0): Float64Array {
  const m = knots.length;
  const nb = m - order;
  if (deriv >= order) return new Float64Array(nb);
  let cur = orderOne(knots, order, x);
  for (let j = 2; j <= order - deriv; j++) cur = raiseOrder(knots, cur, j, x);
  for (let j = order - deriv + 1; j <= order; j++) cur = differentiate(knots, cur, j);
  return cur.subarray(0, nb);
}

/** B_{i,1}(x) for i = 0 .. m - 2: the indicator of the knot interval holding x. */
function orderOne(knots: Float64Array, order: number, x: number): Float64Array {
  const m = knots.length;
  const b = new Float64Array(m - 1);
  const last = m - order;
  let at = -1;
  for (let i = order - 1; i < last; i++) if (knots[i] <= x && x < knots[i + 1]) at = i;
  if (at < 0 && x === knots[last]) for (let i = last - 1; i >= order - 1 && at < 0; i--) if (knots[i] < knots[i + 1]) at = i;
  if (at >= 0) b[at] = 1;
  return b;
}

/** B_{.,j} from B_{.,j-1} (Cox-de Boor). */
function raiseOrder(t: Float64Array, prev: Float64Array, j: number, x: number): Float64Array {
  const out = new Float64Array(t.length - j);
  for (let i = 0; i < out.length; i++) {
    const d1 = t[i + j - 1] - t[i], d2 = t[i + j] - t[i + 1];
    out[i] = (d1 > 0 ? ((x - t[i]) / d1) * prev[i] : 0) + (d2 > 0 ? ((t[i + j] - x) / d2) * prev[i + 1] : 0);
  }
  return out;
}

/** D^d B_{.,j} from D^{d-1} B_{.,j-1}. */
function differentiate(t: Float64Array, prev: Float64Array, j: number): Float64Array {
  const out = new Float64Array(t.length - j);
  for (let i = 0; i < out.length; i++) {
    const d1 = t[i + j - 1] - t[i], d2 = t[i + j] - t[i + 1];
    out[i] = (j - 1) * ((d1 > 0 ? prev[i] / d1 : 0) - (d2 > 0 ? prev[i + 1] / d2 : 0));
  }
  return out;
}
