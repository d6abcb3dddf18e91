/**
 * One-dimensional minimisation on an interval by Brent's method (R's optimize,
 * Brent_fmin; R. P. Brent, Algorithms for Minimization without Derivatives,
 * 1973, ch. 5): golden-section steps, with parabolic interpolation through
 * the three best points (x, w, v) when it falls inside the bracket [a, b] and
 * shrinks the step. Stops when |x - (a + b)/2| <= 2 tol1 - (b - a)/2 with
 * tol1 = sqrt(eps) |x| + tol/3, so x is within about tol of a local minimum.
 * The first point is a + c (b - a), c = (3 - sqrt 5)/2, as R's; a value of f
 * that is not finite counts as the largest double (R: "NA/Inf replaced by
 * maximum positive value").
 */

export interface BrentResult {
  /** The minimiser found and f there. */
  x: number;
  fx: number;
  /** Number of evaluations of f. */
  evaluations: number;
}

const GOLDEN = (3 - Math.sqrt(5)) / 2;
const SQRT_EPS = Math.sqrt(2.220446049250313e-16);

/** Minimises f over [lower, upper] to tolerance `tol` in x. */
export function brentMinimize(f: (x: number) => number, lower: number, upper: number, tol: number): BrentResult {
  let evaluations = 0;
  const fn = (x: number) => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.MAX_VALUE;
  };
  let a = lower, b = upper;
  let v = a + GOLDEN * (b - a);
  let w = v, x = v;
  let d = 0, e = 0;
  let fx = fn(x);
  let fv = fx, fw = fx;
  const tol3 = tol / 3;
  for (;;) {
    const xm = (a + b) / 2;
    const tol1 = SQRT_EPS * Math.abs(x) + tol3;
    const t2 = 2 * tol1;
    if (Math.abs(x - xm) <= t2 - (b - a) / 2) break;
    let p = 0, q = 0, r = 0;
    if (Math.abs(e) > tol1) {
      // Parabola through (x, fx), (w, fw), (v, fv).
      r = (x - w) * (fx - fv);
      q = (x - v) * (fx - fw);
      p = (x - v) * q - (x - w) * r;
      q = (q - r) * 2;
      if (q > 0) p = -p;
      else q = -q;
      r = e;
      e = d;
    }
    if (Math.abs(p) >= Math.abs(q * 0.5 * r) || p <= q * (a - x) || p >= q * (b - x)) {
      e = x < xm ? b - x : a - x;
      d = GOLDEN * e;
    } else {
      d = p / q;
      const u = x + d;
      // Not too close to the ends.
      if (u - a < t2 || b - u < t2) d = x >= xm ? -tol1 : tol1;
    }
    // Not too close to x.
    const u = Math.abs(d) >= tol1 ? x + d : d > 0 ? x + tol1 : x - tol1;
    const fu = fn(u);
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w;
      w = x;
      x = u;
      fv = fw;
      fw = fx;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { x, fx, evaluations };
}
