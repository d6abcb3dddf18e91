/**
 * Minimisation of a smooth function of a few variables with an analytic
 * gradient: Newton's method on a finite-difference Hessian of the gradient,
 * kept up to date by BFGS between refreshes (Nocedal and Wright, Numerical
 * Optimization, 2nd ed., sections 3.4 and 6.1). Unconstrained.
 *
 * - The Hessian H is formed by forward differences of the gradient (n
 *   gradients, step h_j = FD_STEP max(1, |x_j|), symmetrised) at the start
 *   and whenever the BFGS-updated one claims convergence, so that the
 *   returned Hessian is a fresh one at the returned point (for vcov). With
 *   `startBlock`, the start (and the re-formation of an indefinite BFGS H) is
 *   cheap instead: the trailing block given, differences of the gradient
 *   only over the leading columns.
 * - Direction d = -(H + tau I)^-1 g, tau = 0 when H is positive definite,
 *   else the smallest of tau = 1e-6 m, 1e-5 m, ... (m = max |H_jj|) that is;
 *   an indefinite BFGS H is formed afresh (cheaply when possible) first.
 * - Backtracking line search from the full step (shortened so that no x_j
 *   moves by more than `maxMove_j`) with the Armijo condition c1 = 1e-4,
 *   accepting a rise within f's rounding (1e-13 |f|) once the decrement is tiny.
 * - Converged when the Newton decrement g'(H + tau I)^-1 g with a fresh,
 *   positive definite H is below `tol`.
 * - With an exact Hessian (`hessian`), H is that at the start and at every
 *   accepted point (Newton's method proper; no differences, no BFGS), and
 *   the returned Hessian is the exact one; differences only where it fails.
 *   Where f's rounding swamps the decrease (decrement below 1e3 tol), a full
 *   step with the exact H is also taken when it cuts the decrement
 *   g'H^-1 g (H at x) to a quarter: the quadratic convergence f can no longer show.
 * - Scale coordinates (`logScale`, with the exact Hessian): while such an x_j
 *   is positive and the gradient asks it to grow (g_j < 0), away from the
 *   optimum (decrement at least 1e3 tol), the step is Newton's in
 *   phi_j = log x_j: with J = diag(x_j on those coordinates, 1 elsewhere),
 *   g_phi = J g and H_phi = J H J + diag(x_j g_j), d = -H_phi^-1 g_phi
 *   (when H_phi is positive definite), and the trial points follow the curve
 *   x_j e^(alpha d_j), the other coordinates x + alpha d; its decrement is
 *   g_phi'H_phi^-1 g_phi (the same directional derivative). A criterion in a
 *   standard deviation is far from quadratic below its optimum, and nearer
 *   quadratic in its logarithm (ctr_1e5: the theta gradient falls about 2.5
 *   times per plain Newton step of 0.5 to 1 from theta = 1 to 7.5). Where that
 *   line search fails, the plain step is taken; near the optimum only plain steps are.
 */
import { potrfUnblocked } from '../../linalg/potrf.js';

/** f(x), and its gradient into g when g is given; Infinity where f is undefined. */
export type ValueAndGradient = (x: Float64Array, g: Float64Array | null) => number;

export interface NewtonOptions {
  /** Evaluations of f (default 200). */
  maxEval?: number;
  /** Decrement tolerance (default 1e-10). */
  tol?: number;
  /** Largest move of each variable in one step. */
  maxMove: ArrayLike<number>;
  /**
   * A cheaper start: the Hessian's trailing block from index `from` on
   * (row-major, (n - from)^2) at the point of the last f and g (it is called
   * right after them); the leading columns come from differences of the
   * gradient. Used at the start and for an indefinite BFGS H; convergence
   * still needs a full difference Hessian.
   */
  startBlock?: { from: number; hessian(): Float64Array | null };
  /**
   * The exact Hessian (row-major n x n) into H at the point of the last f and
   * g (it is called right after them); false when unavailable there.
   */
  hessian?: (H: Float64Array) => boolean;
  /** Indices of scale coordinates whose upward steps may be taken in their logarithm (module comment; exact Hessian only). */
  logScale?: readonly number[];
}

export interface NewtonResult {
  x: Float64Array;
  fx: number;
  gradient: Float64Array;
  /** Fresh Hessian at x (exact, or by finite differences), row-major n x n. */
  hessian: Float64Array;
  evaluations: number;
  iterations: number;
  converged: boolean;
  message: string;
}

const FD_STEP = 1e-4;
/** Largest move of a log-scale coordinate in one step: a factor of 4. */
const LOG_MAX_MOVE = Math.log(4);
/** Halvings of a log-scale step before the plain step is tried instead. */
const LOG_BACKTRACK = 4;
const ARMIJO = 1e-4;
const MAX_BACKTRACK = 40;

/** Cholesky of H + tau I (lower, column-major) with the smallest tau tried that works. */
function shiftedFactor(n: number, H: Float64Array): { L: Float64Array; tau: number } {
  let m = 0;
  for (let j = 0; j < n; j++) m = Math.max(m, Math.abs(H[j * n + j]));
  const L = new Float64Array(n * n);
  for (let k = 0, tau = 0; ; k++) {
    for (let c = 0; c < n; c++) for (let r = 0; r < n; r++) L[r + c * n] = H[r * n + c] + (r === c ? tau : 0);
    if (potrfUnblocked(n, L, 0, n) === 0) return { L, tau };
    tau = Math.max(m, 1e-8) * 10 ** (k - 6);
  }
}

/** d = -(L L')^-1 g. */
function solve(n: number, L: Float64Array, g: Float64Array): Float64Array {
  const d = Float64Array.from(g, (v) => -v);
  for (let c = 0; c < n; c++) {
    d[c] /= L[c + c * n];
    for (let r = c + 1; r < n; r++) d[r] -= L[r + c * n] * d[c];
  }
  for (let c = n - 1; c >= 0; c--) {
    for (let r = c + 1; r < n; r++) d[c] -= L[r + c * n] * d[r];
    d[c] /= L[c + c * n];
  }
  return d;
}

/**
 * The Newton direction with the `logScale` coordinates that are positive and
 * asked to grow taken in their logarithm (module comment): d, its decrement
 * and the mask of those coordinates; null when none applies or H_phi is not
 * positive definite.
 */
function logDirection(n: number, H: Float64Array, g: Float64Array, x: Float64Array, logScale: readonly number[]) {
  const J = new Float64Array(n).fill(1), mask = new Uint8Array(n);
  for (const j of logScale) {
    if (x[j] > 0 && g[j] < 0) {
      J[j] = x[j];
      mask[j] = 1;
    }
  }
  if (!mask.includes(1)) return null;
  const L = new Float64Array(n * n), gp = Float64Array.from(g, (v, j) => J[j] * v);
  for (let c = 0; c < n; c++) for (let r = 0; r < n; r++) L[r + c * n] = J[r] * H[r * n + c] * J[c] + (r === c && mask[r] === 1 ? J[r] * g[r] : 0);
  if (potrfUnblocked(n, L, 0, n) !== 0) return null;
  const d = solve(n, L, gp);
  return { d, dec: -dot(n, gp, d), mask };
}

function dot(n: number, a: Float64Array, b: Float64Array): number {
  let v = 0;
  for (let j = 0; j < n; j++) v += a[j] * b[j];
  return v;
}

/** H <- H + y y' / y's - (H s)(H s)' / s'H s when y's > 0. */
function bfgs(n: number, H: Float64Array, s: Float64Array, y: Float64Array): void {
  let ys = 0, sHs = 0;
  const Hs = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    ys += y[r] * s[r];
    for (let c = 0; c < n; c++) Hs[r] += H[r * n + c] * s[c];
    sHs += s[r] * Hs[r];
  }
  if (!(ys > 1e-12 * Math.sqrt(sHs * sHs + ys * ys)) || !(sHs > 0)) return;
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) H[r * n + c] += (y[r] * y[c]) / ys - (Hs[r] * Hs[c]) / sHs;
}

export function newtonMinimize(fg: ValueAndGradient, x0: ArrayLike<number>, opts: NewtonOptions): NewtonResult {
  const n = x0.length, maxEval = opts.maxEval ?? 200, tol = opts.tol ?? 1e-10;
  let evaluations = 0, iterations = 0;
  const call = (x: Float64Array, g: Float64Array | null) => {
    evaluations++;
    return fg(x, g);
  };
  const x = Float64Array.from(x0), g = new Float64Array(n);
  let fx = call(x, g);
  const H = new Float64Array(n * n);
  // H is the exact Hessian at x (opts.hessian).
  let exact = false;
  const done = (converged: boolean, message: string): NewtonResult => ({
    x, fx, gradient: g, hessian: H, evaluations, iterations, converged, message,
  });
  if (!Number.isFinite(fx)) return done(false, 'the criterion is not finite at the start');
  /** Forward-difference Hessian at x; false when a gradient is unavailable. */
  const refresh = (cols = n): boolean => {
    exact = false;
    const xh = x.slice(), gh = new Float64Array(n);
    for (let j = 0; j < cols; j++) {
      const h = FD_STEP * Math.max(1, Math.abs(x[j]));
      xh[j] = x[j] + h;
      if (!Number.isFinite(call(xh, gh))) return false;
      xh[j] = x[j];
      for (let r = 0; r < n; r++) H[r * n + j] = (gh[r] - g[r]) / h;
    }
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < Math.min(r, cols); c++) {
        H[r * n + c] = H[c * n + r] = r < cols ? 0.5 * (H[r * n + c] + H[c * n + r]) : H[c * n + r];
      }
    }
    return true;
  };
  /**
   * The cheap Hessian at x (right after f and g there): the trailing block
   * given, differences only over the leading columns; false when unavailable.
   */
  const sb = opts.startBlock;
  const cheap = (): boolean => {
    exact = false;
    if (sb === undefined || !(sb.from >= 0 && sb.from < n)) return false;
    const B = sb.hessian(), m = n - sb.from;
    if (B === null || B.length !== m * m || !B.every(Number.isFinite)) return false;
    for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) H[(sb.from + r) * n + sb.from + c] = B[r * m + c];
    return refresh(sb.from);
  };
  /** The exact Hessian at x (right after f and g there); false when unavailable. */
  const exactHessian = (): boolean => (exact = opts.hessian !== undefined && opts.hessian(H) && H.every(Number.isFinite));
  // fresh: H is an exact or full difference Hessian at x; trusted: fresh, or the cheap one at x.
  let fresh = exactHessian(), trusted = true;
  if (!fresh && !cheap()) {
    if (!refresh()) return done(false, 'the gradient is not finite near the start');
    fresh = true;
  }
  const xt = new Float64Array(n), gt = new Float64Array(n), s = new Float64Array(n), y = new Float64Array(n);
  for (;;) {
    const { L, tau } = shiftedFactor(n, H);
    if (tau > 0 && !trusted) {
      // BFGS keeps an indefinite H indefinite: form it afresh (cheaply when possible).
      if (evaluations + n > maxEval) return done(false, 'evaluation limit reached');
      if (!cheap()) {
        if (!refresh()) return done(false, 'the gradient is not finite');
        fresh = true;
      }
      trusted = true;
      continue;
    }
    const d = solve(n, L, g);
    let dec = 0;
    for (let j = 0; j < n; j++) dec -= g[j] * d[j];
    if (dec < tol) {
      if (fresh && tau === 0) return done(true, `Newton decrement ${dec.toExponential(2)} below ${tol}`);
      if (!fresh) {
        if (evaluations + n > maxEval) return done(false, 'evaluation limit reached');
        if (!refresh()) return done(false, 'the gradient is not finite near the optimum');
        fresh = trusted = true;
        continue;
      }
    }
    let ft = Infinity;
    // Away from the optimum, upward steps of scale coordinates in their logarithm first (module comment).
    const logStep = exact && tau === 0 && dec >= 1e3 * tol && opts.logScale !== undefined ? logDirection(n, H, g, x, opts.logScale) : null;
    let taken = false;
    if (logStep !== null) {
      const { d: dl, dec: decl, mask } = logStep;
      let alpha = 1;
      for (let j = 0; j < n; j++) alpha = Math.min(alpha, (mask[j] === 1 ? LOG_MAX_MOVE : opts.maxMove[j]) / Math.abs(dl[j]));
      for (let k = 0; k < LOG_BACKTRACK && !taken; k++, alpha *= 0.5) {
        if (evaluations >= maxEval) return done(false, 'evaluation limit reached');
        for (let j = 0; j < n; j++) xt[j] = mask[j] === 1 ? x[j] * Math.exp(alpha * dl[j]) : x[j] + alpha * dl[j];
        ft = call(xt, gt);
        taken = ft <= fx - ARMIJO * alpha * decl;
      }
    }
    if (!taken) {
      let alpha = 1;
      for (let j = 0; j < n; j++) alpha = Math.min(alpha, opts.maxMove[j] / Math.abs(d[j]));
      let k = 0;
      for (; k < MAX_BACKTRACK; k++, alpha *= 0.5) {
        if (evaluations >= maxEval) return done(false, 'evaluation limit reached');
        for (let j = 0; j < n; j++) xt[j] = x[j] + alpha * d[j];
        ft = call(xt, gt);
        const slack = dec < 1e3 * tol ? 1e-13 * Math.abs(fx) : 0;
        if (ft <= fx - ARMIJO * alpha * dec + slack) break;
        if (slack > 0 && exact && tau === 0 && alpha === 1 && Number.isFinite(ft) && -dot(n, gt, solve(n, L, gt)) < 0.25 * dec) break;
      }
      if (k === MAX_BACKTRACK) {
        if (fresh) return done(dec < 1e3 * tol, `no decrease along the Newton direction (decrement ${dec.toExponential(2)})`);
        // A poor BFGS Hessian: refresh it and try again from the same point.
        if (!refresh()) return done(false, 'the gradient is not finite');
        fresh = trusted = true;
        continue;
      }
    }
    iterations++;
    for (let j = 0; j < n; j++) {
      s[j] = xt[j] - x[j];
      y[j] = gt[j] - g[j];
    }
    x.set(xt);
    g.set(gt);
    fx = ft;
    if (exactHessian()) {
      fresh = trusted = true;
      continue;
    }
    bfgs(n, H, s, y);
    fresh = trusted = exact = false;
  }
}
