/**
 * Bounded quasi-Newton minimisation with an analytic gradient: projected BFGS
 * (Nocedal and Wright, Numerical Optimization, 2nd ed., sections 6.1 and 16.7)
 * for problems with few variables (the dense n x n inverse Hessian is kept).
 *
 * Each iteration fixes the variables at a bound whose gradient points outward
 * (the active set), takes d = -H g on the others (H the BFGS approximation of
 * the inverse Hessian; reset to a scaled identity when d is not a descent
 * direction), and takes a weak Wolfe step along x + alpha d, alpha no larger
 * than the first bound reached (wolfeSearch; c1 = 1e-4, c2 = 0.9), so that
 * s'y > 0 and every accepted step updates H, also where f is concave. The
 * first step is scaled so that no variable moves more than `initialStep`;
 * before the first update H = (s'y / y'y) I (N&W eq. 6.20).
 *
 * Stops, converged, when the predicted decrease g'Hg / 2 over the free
 * variables falls below `tol` or `floor` |f| (1e-13 by default: below that, rounding
 * in f of a large sum, e.g. a criterion over 1e6 rows, decides), or when no free variable has a
 * gradient; stops,
 * not converged, at the evaluation limit, when the gradient is unavailable
 * (`grad` returns false) or when the line search cannot decrease f while the
 * predicted decrease is above `tol` (then f's rounding is taken as the floor
 * when the predicted decrease is below sqrt(tol) max(1, |f|) * 1e-3).
 */
import type { OptResult } from './optsummary.js';

/**
 * f(x); must be finite at the start. x is a copy of the point that the
 * optimiser reuses: valid during the call, not to be kept.
 */
export type ValueFunction = (x: Float64Array) => number;
/** Writes the gradient of f at x (the point of the last call of f; a reused copy, as for f) into g; false when unavailable. */
export type GradientFunction = (x: Float64Array, g: Float64Array) => boolean;

export interface QuasiNewtonOptions {
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
  /** Evaluations of f (default 1000). */
  maxEval?: number;
  /** Predicted-decrease tolerance (default 1e-10). */
  tol?: number;
  /** The predicted decrease below which f's rounding decides, relative to |f| (default 1e-13). */
  floor?: number;
  /** Largest move of any variable in the first step (default 0.5). */
  initialStep?: number;
  /**
   * The initial inverse Hessian: its diagonal (n positive values) or the whole
   * symmetric positive definite matrix (n x n, row-major). Without it, H starts
   * as the identity and is rescaled to (s'y / y'y) I after the first step.
   */
  initialInverseHessian?: ArrayLike<number>;
}

export interface QuasiNewtonResult extends OptResult {
  /** Gradients computed. */
  gradients: number;
  /** True when the run stopped because the gradient was unavailable. */
  gradientFailed: boolean;
}

/** Math.hypot of the elements, without spreading a short vector into an array on every iteration. */
function hypot(v: Float64Array): number {
  switch (v.length) {
    case 1: return Math.hypot(v[0]);
    case 2: return Math.hypot(v[0], v[1]);
    case 3: return Math.hypot(v[0], v[1], v[2]);
    case 4: return Math.hypot(v[0], v[1], v[2], v[3]);
    default: return Math.hypot(...v);
  }
}

function project(x: Float64Array, lo: Float64Array, hi: Float64Array): void {
  for (let i = 0; i < x.length; i++) x[i] = Math.min(hi[i], Math.max(lo[i], x[i]));
}

/** H <- (I - rho s y') H (I - rho y s') + rho s s', H row-major n x n. */
function bfgsUpdate(n: number, H: Float64Array, s: Float64Array, y: Float64Array, rho: number, hy: Float64Array): void {
  let yhy = 0;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
    hy[i] = v;
    yhy += y[i] * v;
  }
  const c = rho * rho * yhy + rho;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) H[i * n + j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + c * s[i] * s[j];
  }
}

/** Sets H to the given initial inverse Hessian (diagonal or whole) and returns true, or to the identity and returns false when none usable is given. */
function initialInverse(H: Float64Array, n: number, h0: ArrayLike<number> | undefined): boolean {
  const full = h0 !== undefined && n > 1 && h0.length === n * n;
  let ok = h0 !== undefined && (h0.length === n || full);
  for (let i = 0; i < n && ok; i++) {
    const v = h0![full ? i * (n + 1) : i];
    ok = v > 0 && Number.isFinite(v);
  }
  if (ok && full) {
    for (let e = 0; e < n * n && ok; e++) ok = Number.isFinite(h0![e]) && h0![e] === h0![(e % n) * n + Math.trunc(e / n)];
  }
  H.fill(0);
  if (!ok) for (let i = 0; i < n; i++) H[i * (n + 1)] = 1;
  else if (full) H.set(h0!);
  else for (let i = 0; i < n; i++) H[i * (n + 1)] = h0![i];
  return ok;
}

export function quasiNewton(f: ValueFunction, grad: GradientFunction, x0: ArrayLike<number>, opts: QuasiNewtonOptions = {}): QuasiNewtonResult {
  const n = x0.length;
  const lo = Float64Array.from(opts.lower ?? new Float64Array(n).fill(-Infinity));
  const hi = Float64Array.from(opts.upper ?? new Float64Array(n).fill(Infinity));
  const maxEval = opts.maxEval ?? 1000, tol = opts.tol ?? 1e-10, initialStep = opts.initialStep ?? 0.5, floor = opts.floor ?? 1e-13;
  const x = Float64Array.from(x0);
  project(x, lo, hi);
  // f and grad get their point in `arg`, a copy, so that they cannot change the optimiser's state.
  const arg = x.slice();
  let fx = f(arg);
  const counts = { evaluations: 1, gradients: 1 };
  const done = (converged: boolean, message: string, gradientFailed = false): QuasiNewtonResult =>
    ({ x: x.slice(), fx, ...counts, converged, message, gradientFailed });
  if (!Number.isFinite(fx)) return done(false, 'the objective is not finite at the start');
  const g = new Float64Array(n), gt = new Float64Array(n);
  if (!grad(arg, g)) return done(false, 'gradient unavailable', true);
  const H = new Float64Array(n * n);
  const h0ok = initialInverse(H, n, opts.initialInverseHessian);
  const d = new Float64Array(n), xt = new Float64Array(n), s = new Float64Array(n), y = new Float64Array(n), hy = new Float64Array(n);
  const free = new Uint8Array(n);
  const line: LineContext = { f, grad, x, d, fx, gd: 0, lo, hi, maxEval, counts, arg, bestX: new Float64Array(n), bestG: new Float64Array(n) };
  // first: H is the identity (the step is scaled, H rescaled after it); capped: the next step moves no variable more than initialStep.
  let first = !h0ok, capped = true;
  for (;;) {
    let anyFree = false;
    for (let i = 0; i < n; i++) {
      free[i] = (x[i] <= lo[i] && g[i] > 0) || (x[i] >= hi[i] && g[i] < 0) || g[i] === 0 ? 0 : 1;
      if (free[i]) anyFree = true;
    }
    if (!anyFree) return done(true, 'converged: projected gradient is zero');
    let gd = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      if (free[i]) for (let j = 0; j < n; j++) if (free[j]) v -= H[i * n + j] * g[j];
      d[i] = v;
      gd += g[i] * v;
    }
    if (!(gd < 0)) {
      H.fill(0);
      for (let i = 0; i < n; i++) H[i * (n + 1)] = 1;
      gd = 0;
      for (let i = 0; i < n; i++) {
        d[i] = free[i] ? -g[i] : 0;
        gd += g[i] * d[i];
      }
      first = true;
      capped = true;
    }
    const predicted = -gd / 2;
    if (!first && predicted <= Math.max(tol, floor * Math.abs(fx))) return done(true, `converged: predicted decrease ${predicted.toExponential(2)} <= ${tol}`);
    let alpha = 1;
    if (first || capped) {
      let dmax = 0;
      for (let i = 0; i < n; i++) dmax = Math.max(dmax, Math.abs(d[i]));
      alpha = Math.min(1, initialStep / dmax);
      capped = false;
    }
    line.fx = fx;
    line.gd = gd;
    const ls = wolfeSearch(line, alpha, xt, gt);
    if (ls.status === 'limit') return done(false, `stopped at the evaluation limit (${maxEval})`);
    if (ls.status === 'fail') {
      const floor = 1e-3 * Math.sqrt(tol) * Math.max(1, Math.abs(fx));
      return predicted <= floor
        ? done(true, `converged: no further decrease (predicted ${predicted.toExponential(2)})`)
        : done(false, `line search failed (predicted decrease ${predicted.toExponential(2)})`);
    }
    const ft = ls.ft;
    for (let i = 0; i < n; i++) s[i] = xt[i] - x[i];
    let sy = 0, yy = 0;
    for (let i = 0; i < n; i++) {
      y[i] = gt[i] - g[i];
      sy += s[i] * y[i];
      yy += y[i] * y[i];
    }
    if (sy > 1e-14 * Math.sqrt(yy) * hypot(s)) {
      if (first) {
        H.fill(0);
        for (let i = 0; i < n; i++) H[i * (n + 1)] = sy / yy;
      }
      bfgsUpdate(n, H, s, y, 1 / sy, hy);
      first = false;
    }
    x.set(xt);
    fx = ft;
    g.set(gt);
  }
}

interface LineContext {
  f: ValueFunction;
  grad: GradientFunction;
  x: Float64Array;
  d: Float64Array;
  fx: number;
  /** g'd < 0. */
  gd: number;
  lo: Float64Array;
  hi: Float64Array;
  maxEval: number;
  counts: { evaluations: number; gradients: number };
  /** Scratch: the copy of each trial point that f and grad get, the best point so far and its gradient. */
  arg: Float64Array;
  bestX: Float64Array;
  bestG: Float64Array;
}

const C1 = 1e-4, C2 = 0.9;

/** The largest step along d that stays within the bounds. */
function maxStep(c: LineContext): number {
  let a = Infinity;
  for (let i = 0; i < c.x.length; i++) {
    if (c.d[i] < 0) a = Math.min(a, (c.lo[i] - c.x[i]) / c.d[i]);
    else if (c.d[i] > 0) a = Math.min(a, (c.hi[i] - c.x[i]) / c.d[i]);
  }
  return a;
}

/** Minimiser of the cubic through (a, fa, da), (b, fb, db), kept in the middle 80% of [a, b]. */
function interpolate(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const lo = Math.min(a, b), w = Math.abs(b - a);
  let t = (a + b) / 2;
  if (Number.isFinite(fb) && Number.isFinite(db)) {
    const d1 = da + db - 3 * (fa - fb) / (a - b);
    const disc = d1 * d1 - da * db;
    if (disc >= 0) {
      const d2 = Math.sign(b - a) * Math.sqrt(disc);
      const c = b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
      if (Number.isFinite(c)) t = c;
    }
  } else if (Number.isFinite(fb)) {
    const c = a - (da * (b - a) * (b - a)) / (2 * (fb - fa - da * (b - a)));
    if (Number.isFinite(c)) t = c;
  }
  return Math.min(lo + 0.9 * w, Math.max(lo + 0.1 * w, t));
}

/**
 * Weak Wolfe line search along x + alpha d within the bounds (bracketing
 * with 4-fold extrapolation, then cubic zoom; Nocedal and Wright,
 * algorithms 3.5 and 3.6). f and the gradient are evaluated at every trial.
 * On 'ok', xt, gt and ft hold the accepted point; a step that reaches a
 * bound with sufficient decrease is accepted there. A trial point where the
 * gradient is unavailable is treated like one where f is not finite.
 */
function wolfeSearch(
  c: LineContext, alpha0: number, xt: Float64Array, gt: Float64Array,
): { status: 'ok' | 'fail' | 'limit'; ft: number } {
  const n = c.x.length, amax = maxStep(c);
  const { arg, bestX, bestG } = c;
  let aLo = 0, fLo = c.fx, dLo = c.gd, aHi = Infinity, fHi = NaN, dHi = NaN;
  let a = Math.min(alpha0, amax);
  for (let it = 0; it < 16; it++) {
    if (c.counts.evaluations >= c.maxEval) return { status: 'limit', ft: NaN };
    for (let i = 0; i < n; i++) xt[i] = c.x[i] + a * c.d[i];
    if (a === amax) for (let i = 0; i < n; i++) xt[i] = Math.min(c.hi[i], Math.max(c.lo[i], xt[i]));
    let da = NaN;
    arg.set(xt);
    let fa = c.f(arg);
    c.counts.evaluations++;
    if (Number.isFinite(fa)) {
      c.counts.gradients++;
      arg.set(xt);
      if (c.grad(arg, gt)) {
        da = 0;
        for (let i = 0; i < n; i++) da += gt[i] * c.d[i];
      } else fa = NaN;
    }
    // Hager and Zhang's approximate Wolfe conditions: near the minimum f's rounding hides the
    // decrease, while the slope along d still shows a step towards the minimiser along d.
    if (Number.isFinite(fa) && fa <= c.fx + 1e-12 * Math.abs(c.fx) && da >= C2 * c.gd && da <= (2 * C1 - 1) * c.gd) {
      return { status: 'ok', ft: fa };
    }
    if (!Number.isFinite(fa) || fa > c.fx + C1 * a * c.gd || fa >= fLo) {
      aHi = a;
      fHi = fa;
      dHi = da;
    } else {
      if (da >= C2 * c.gd || a >= amax) return { status: 'ok', ft: fa };
      aLo = a;
      fLo = fa;
      dLo = da;
      bestX.set(xt);
      bestG.set(gt);
    }
    if (aHi === Infinity) a = Math.min(4 * a, amax);
    else a = interpolate(aLo, fLo, dLo, aHi, fHi, dHi);
    if (aHi - aLo <= 1e-12 * aHi) break;
  }
  if (aLo === 0) return { status: 'fail', ft: NaN };
  xt.set(bestX);
  gt.set(bestG);
  return { status: 'ok', ft: fLo };
}
