/**
 * BOBYQA's starting interpolation set and model (Powell 2009, section 2), for
 * n + 2 <= m <= 2n + 1 points.
 *
 * The start x0 is first moved so that each coordinate is either on a bound or at
 * least rhobeg inside it. The points are x0, x0 + a_i e_i (i = 1..n) and, for the
 * first m - n - 1 coordinates, x0 + b_i e_i: a_i = rhobeg (-rhobeg at an upper
 * bound), b_i = -rhobeg (2 rhobeg or the range at a lower bound, -2 rhobeg at an
 * upper bound). On such a set the minimum-Frobenius-norm Lagrange functions are
 * separable, and along axis i with steps a, b:
 *
 *   gradients  l_0: -(a + b)/(ab),  l_a: -b/(a(a - b)),  l_b: -a/(b(b - a))
 *   Omega      z z' with z = sqrt(2) / (|ab| |b - a|) (b - a, -b, a) on (0, a, b)
 *   Ups        0; for an axis with only the point a: gradients -1/a, 1/a, Ups_ii = -a^2/2.
 *
 * The model is sum_k f_k l_k: gradient Xi (f - f_0), implicit Hessian pq = Omega (f - f_0).
 */
import {
  type BobyqaState, emptyState, modelHessMul, omegaColumn, toAbsolute,
} from './model.js';

export interface PrelimProblem {
  xl: Float64Array;
  xu: Float64Array;
  m: number;
  /** f at an absolute point; null once the evaluation budget is spent. */
  evaluate: (x: Float64Array) => number | null;
}

/**
 * The initial state around x0 (absolute, within bounds, with xu - xl >= 2 rhobeg),
 * or null if the budget ran out. `f0`, if given, is f(x0), used when x0 is not moved.
 */
export function prelim(
  p: PrelimProblem, x0: Float64Array, rhobeg: number, f0?: number,
): BobyqaState | null {
  const n = x0.length;
  const s = emptyState(n, p.m);
  const moved = placeStart(s, p.xl, p.xu, x0, rhobeg);
  const steps = initialSteps(s, rhobeg);
  const xabs = new Float64Array(n);
  for (let k = 0; k < s.m; k++) {
    let f: number | null;
    if (k === 0 && f0 !== undefined && !moved) {
      f = f0;
    } else {
      toAbsolute(s, s.xpt.subarray(k * n, k * n + n), p.xl, p.xu, xabs);
      f = p.evaluate(xabs);
    }
    if (f === null) return null;
    s.fval[k] = f;
  }
  initialInverse(s, steps);
  initialModel(s);
  return s;
}

/** Sets xbase, sl, su; returns whether x0 had to move. */
function placeStart(
  s: BobyqaState, xl: Float64Array, xu: Float64Array, x0: Float64Array, rhobeg: number,
): boolean {
  let moved = false;
  for (let j = 0; j < s.n; j++) {
    let x = x0[j];
    const lo = xl[j] - x;
    const hi = xu[j] - x;
    if (lo >= -rhobeg) {
      x = lo >= 0 ? xl[j] : xl[j] + rhobeg;
    } else if (hi <= rhobeg) {
      x = hi <= 0 ? xu[j] : xu[j] - rhobeg;
    }
    moved ||= x !== x0[j];
    s.xbase[j] = x;
    s.sl[j] = x === xl[j] ? 0 : Math.min(xl[j] - x, -rhobeg);
    s.su[j] = x === xu[j] ? 0 : Math.max(xu[j] - x, rhobeg);
    if (x === xl[j]) s.su[j] = xu[j] - xl[j];
    if (x === xu[j]) s.sl[j] = xl[j] - xu[j];
  }
  return moved;
}

/** Fills xpt; returns the steps a (first n) and b (next nz). */
function initialSteps(s: BobyqaState, rhobeg: number): Float64Array {
  const { n, nz, xpt, sl, su } = s;
  const steps = new Float64Array(n + nz);
  for (let i = 0; i < n; i++) {
    const a = su[i] === 0 ? -rhobeg : rhobeg;
    steps[i] = a;
    xpt[(i + 1) * n + i] = a;
  }
  for (let i = 0; i < nz; i++) {
    let b = -rhobeg;
    if (sl[i] === 0) b = Math.min(2 * rhobeg, su[i]);
    if (su[i] === 0) b = Math.max(-2 * rhobeg, sl[i]);
    steps[n + i] = b;
    xpt[(n + 1 + i) * n + i] = b;
  }
  return steps;
}

function initialInverse(s: BobyqaState, steps: Float64Array): void {
  const { n, m, nz, bmat, zmat } = s;
  for (let i = 0; i < n; i++) {
    const a = steps[i];
    const ka = i + 1;
    if (i < nz) {
      const b = steps[n + i];
      const kb = n + 1 + i;
      bmat[ka * n + i] = -b / (a * (a - b));
      bmat[kb * n + i] = -a / (b * (b - a));
      bmat[i] = -(a + b) / (a * b);
      const scale = Math.SQRT2 / (Math.abs(a * b) * Math.abs(b - a));
      zmat[i] = (b - a) * scale;
      zmat[ka * nz + i] = -b * scale;
      zmat[kb * nz + i] = a * scale;
    } else {
      bmat[ka * n + i] = 1 / a;
      bmat[i] = -1 / a;
      bmat[(m + i) * n + i] = -0.5 * a * a;
    }
  }
}

function initialModel(s: BobyqaState): void {
  const { n, m, fval, bmat, pq, gopt, xpt, xopt } = s;
  const fd = new Float64Array(m);
  let kopt = 0;
  for (let k = 0; k < m; k++) {
    fd[k] = fval[k] - fval[0];
    if (fval[k] < fval[kopt]) kopt = k;
  }
  for (let k = 0; k < m; k++) {
    for (let i = 0; i < n; i++) gopt[i] += fd[k] * bmat[k * n + i];
  }
  const om = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    if (fd[k] === 0) continue;
    omegaColumn(s, k, om);
    for (let j = 0; j < m; j++) pq[j] += fd[k] * om[j];
  }
  s.kopt = kopt;
  for (let i = 0; i < n; i++) xopt[i] = xpt[kopt * n + i];
  const gx = new Float64Array(n);
  modelHessMul(s, xopt, gx);
  for (let i = 0; i < n; i++) gopt[i] += gx[i];
}
