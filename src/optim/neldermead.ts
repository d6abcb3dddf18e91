/**
 * Nelder-Mead simplex minimisation with bounds (Nelder and Mead 1965), as lme4's
 * `Nelder_Mead` uses it for glmer's second stage.
 *
 * The simplex starts at x0 and x0 + step_i e_i (x0 - step_i e_i if that leaves the
 * box). Each iteration replaces the worst vertex by a reflection (coefficient 1),
 * expansion (2), or outside/inside contraction (1/2) through the centroid of the
 * others, or else shrinks the simplex halfway towards the best vertex. Trial
 * points outside the box are clipped onto it, so every vertex is feasible and a
 * minimum on a bound is reached exactly. A reflection that clipping leaves at the
 * centroid counts as a failure (contraction follows).
 *
 * It stops at the first of: the spread of f over the simplex is at most
 * max(ftolAbs, ftolRel |f_best|); every vertex is within max(xtolAbs_i,
 * xtolRel |x_best,i|) of the best in every coordinate; maxEval. Defaults are
 * lme4's control values: step 0.02, xtolAbs = step * 5e-4, ftolAbs 1e-5,
 * ftolRel 1e-15, xtolRel 1e-7, maxEval 10000 (lme4 1.1-31's C++ tests only
 * the x tolerance, and ranks and contracts differently: ./lme4NelderMead.ts
 * reproduces its path). NaN and infinite values of f are
 * replaced as described in ./objective.ts.
 *
 * Unlike lme4's, a convergence is then checked (as in O'Neill's AS 47): f is
 * probed at best +- step_i / 10 along each coordinate, and if that finds a value
 * lower by more than the f tolerance, the simplex is rebuilt there and the search
 * resumes (at most 5 times). Clipping can flatten a simplex against a bound, and
 * a flat simplex stops away from the minimum; the check costs at most 2n
 * evaluations when the answer is right.
 */
import { MixedModelsError, expectArgument } from '../errors.js';
import { CountedObjective } from './objective.js';
import type { OptResult } from './optsummary.js';

export interface NelderMeadOptions {
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
  /** Most evaluations of f (default 10000). */
  maxEval?: number;
  /** Initial simplex step per coordinate, a number or one per coordinate (default 0.02). */
  initialStep?: number | ArrayLike<number>;
  /** Absolute x tolerance per coordinate (default initialStep * 5e-4). */
  xtolAbs?: number | ArrayLike<number>;
  xtolRel?: number;
  ftolAbs?: number;
  ftolRel?: number;
}

interface Simplex {
  /** Vertex v at row v (n + 1 rows of n). */
  x: Float64Array;
  f: Float64Array;
}

/**
 * Minimises `f` from `x0` with the Nelder-Mead simplex within box bounds (lme4's `Nelder_Mead`); returns the optimum and an OptSummary.
 */
export function nelderMead(
  f: (x: Float64Array) => number, x0: ArrayLike<number>, options: NelderMeadOptions = {},
): OptResult {
  expectArgument('nelderMead', 'f', f, 'function');
  expectArgument('nelderMead', 'x0', x0, 'array');
  const { start, lower, upper, step, tol } = settings(x0, options);
  const obj = new CountedObjective(f, start.length, options.maxEval ?? 10000);
  let message = '';
  let x = start;
  let fx: number | undefined;
  for (let restarts = 0; ; restarts++) {
    const simplex = initialSimplex(obj, x, fx, step, lower, upper);
    message = simplex === null ? '' : iterate(obj, simplex, lower, upper, tol);
    if (message === '' || restarts === MAX_RESTARTS || !probeFindsBetter(obj, step, lower, upper, tol)) break;
    x = Float64Array.from(obj.bestX);
    fx = obj.bestF;
  }
  return {
    x: Float64Array.from(obj.bestX),
    fx: obj.bestF,
    evaluations: obj.count,
    converged: message !== '',
    message: message || `nelderMead: stopped after the maximum number of evaluations (${obj.maxEval})`,
  };
}

function settings(x0: ArrayLike<number>, options: NelderMeadOptions) {
  const n = x0.length;
  if (n < 1) throw new MixedModelsError('nelderMead: x0 must have at least one element');
  const lower = perCoordinate(options.lower, n, -Infinity, 'lower');
  const upper = perCoordinate(options.upper, n, Infinity, 'upper');
  const step = perCoordinate(options.initialStep, n, 0.02, 'initialStep');
  const xtolAbs = options.xtolAbs === undefined
    ? step.map((s) => Math.abs(s) * 5e-4)
    : perCoordinate(options.xtolAbs, n, 0, 'xtolAbs');
  const start = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x0[i])) throw new MixedModelsError(`nelderMead: x0[${i}] is not finite`);
    if (!(lower[i] < upper[i])) throw new MixedModelsError(`nelderMead: lower[${i}] must be below upper[${i}]`);
    if (!(step[i] !== 0 && Number.isFinite(step[i]))) throw new MixedModelsError('nelderMead: initialStep must be nonzero');
    start[i] = Math.min(Math.max(x0[i], lower[i]), upper[i]);
  }
  const tol: Tolerances = {
    xtolAbs,
    xtolRel: options.xtolRel ?? 1e-7,
    ftolAbs: options.ftolAbs ?? 1e-5,
    ftolRel: options.ftolRel ?? 1e-15,
  };
  return { start, lower, upper, step, tol };
}

function perCoordinate(
  v: number | ArrayLike<number> | undefined, n: number, fill: number, name: string,
): Float64Array {
  if (v === undefined) return new Float64Array(n).fill(fill);
  if (typeof v === 'number') return new Float64Array(n).fill(v);
  if (v.length !== n) throw new MixedModelsError(`nelderMead: ${name} has length ${v.length}, x0 has ${n}`);
  const out = Float64Array.from(v);
  if (out.some(Number.isNaN)) throw new MixedModelsError(`nelderMead: ${name} contains NaN`);
  return out;
}

interface Tolerances {
  xtolAbs: Float64Array;
  xtolRel: number;
  ftolAbs: number;
  ftolRel: number;
}

const MAX_RESTARTS = 5;

/**
 * After convergence, f at best +- step_i / 10 along each coordinate (within the
 * bounds): true if one is lower than the best by more than the f tolerance (the
 * simplex had collapsed, e.g. flattened against a bound); false otherwise or when
 * the evaluations run out.
 */
function probeFindsBetter(
  obj: CountedObjective, step: Float64Array, lower: Float64Array, upper: Float64Array, tol: Tolerances,
): boolean {
  const x = Float64Array.from(obj.bestX);
  const fb = obj.bestF;
  const needed = Math.max(tol.ftolAbs, tol.ftolRel * Math.abs(fb));
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    for (const sign of [1, -1]) {
      const yi = x[i] + (sign * Math.abs(step[i])) / 10;
      if (yi < lower[i] || yi > upper[i]) continue;
      if (obj.exhausted) return false;
      y.set(x);
      y[i] = yi;
      if (obj.evaluate(y) < fb - needed) return true;
    }
  }
  return false;
}

function initialSimplex(
  obj: CountedObjective, x0: Float64Array, f0: number | undefined, step: Float64Array,
  lower: Float64Array, upper: Float64Array,
): Simplex | null {
  const n = x0.length;
  const x = new Float64Array((n + 1) * n);
  const fv = new Float64Array(n + 1);
  for (let v = 0; v <= n; v++) x.set(x0, v * n);
  for (let i = 0; i < n; i++) {
    let xi = x0[i] + step[i];
    if (xi > upper[i] || xi < lower[i]) xi = x0[i] - step[i];
    if (xi > upper[i] || xi < lower[i]) xi = upper[i] - x0[i] > x0[i] - lower[i] ? upper[i] : lower[i];
    x[(i + 1) * n + i] = xi;
  }
  for (let v = 0; v <= n; v++) {
    if (v === 0 && f0 !== undefined) {
      fv[0] = f0;
      continue;
    }
    if (obj.exhausted) return null;
    fv[v] = obj.evaluate(x.subarray(v * n, v * n + n));
  }
  return { x, f: fv };
}

/** Runs to convergence; returns the convergence message, or '' if the budget ran out. */
function iterate(
  obj: CountedObjective, s: Simplex, lower: Float64Array, upper: Float64Array, tol: Tolerances,
): string {
  const n = s.f.length - 1;
  const c = new Float64Array(n);
  const trial = new Float64Array(n);
  const trial2 = new Float64Array(n);
  for (;;) {
    const [best, worst, second] = ranks(s.f);
    const message = convergence(s, best, tol);
    if (message !== '') return message;
    if (obj.exhausted) return '';
    centroid(s, worst, c);
    const xw = s.x.subarray(worst * n, worst * n + n);
    along(c, xw, -1, lower, upper, trial);
    const moved = trial.some((t, i) => t !== c[i]);
    const fr = moved ? obj.evaluate(trial) : Infinity;
    if (fr < s.f[best]) {
      if (obj.exhausted) {
        accept(s, worst, trial, fr);
        return '';
      }
      along(c, xw, -2, lower, upper, trial2);
      const fe = obj.evaluate(trial2);
      if (fe < fr) accept(s, worst, trial2, fe);
      else accept(s, worst, trial, fr);
      continue;
    }
    if (fr < s.f[second]) {
      accept(s, worst, trial, fr);
      continue;
    }
    if (obj.exhausted) return '';
    const outside = fr < s.f[worst];
    if (outside) along(c, trial, 0.5, lower, upper, trial2);
    else along(c, xw, 0.5, lower, upper, trial2);
    const fc = obj.evaluate(trial2);
    if (fc < (outside ? fr : s.f[worst])) {
      accept(s, worst, trial2, fc);
      continue;
    }
    if (!shrink(obj, s, best)) return '';
  }
}

/** Indices of the best, worst and second-worst vertices. */
function ranks(f: Float64Array): [number, number, number] {
  let best = 0;
  let worst = 0;
  for (let v = 1; v < f.length; v++) {
    if (f[v] < f[best]) best = v;
    if (f[v] >= f[worst]) worst = v;
  }
  let second = worst === 0 ? 1 : 0;
  for (let v = 0; v < f.length; v++) {
    if (v !== worst && f[v] >= f[second]) second = v;
  }
  return [best, worst, second];
}

function convergence(s: Simplex, best: number, tol: Tolerances): string {
  const n = s.f.length - 1;
  const fb = s.f[best];
  let spread = 0;
  for (let v = 0; v <= n; v++) spread = Math.max(spread, s.f[v] - fb);
  if (spread <= Math.max(tol.ftolAbs, tol.ftolRel * Math.abs(fb))) {
    return 'nelderMead: converged (spread of f over the simplex within tolerance)';
  }
  for (let v = 0; v <= n; v++) {
    for (let i = 0; i < n; i++) {
      const xb = s.x[best * n + i];
      if (Math.abs(s.x[v * n + i] - xb) > Math.max(tol.xtolAbs[i], tol.xtolRel * Math.abs(xb))) return '';
    }
  }
  return 'nelderMead: converged (simplex within the x tolerance)';
}

function centroid(s: Simplex, worst: number, out: Float64Array): void {
  const n = out.length;
  out.fill(0);
  for (let v = 0; v <= n; v++) {
    if (v === worst) continue;
    for (let i = 0; i < n; i++) out[i] += s.x[v * n + i] / n;
  }
}

/** out = clip(c + t (x - c)) */
function along(
  c: Float64Array, x: Float64Array, t: number, lower: Float64Array, upper: Float64Array, out: Float64Array,
): void {
  for (let i = 0; i < c.length; i++) out[i] = Math.min(Math.max(c[i] + t * (x[i] - c[i]), lower[i]), upper[i]);
}

function accept(s: Simplex, v: number, x: Float64Array, f: number): void {
  s.x.set(x, v * x.length);
  s.f[v] = f;
}

/** Moves every vertex halfway to the best; false if the budget ran out. */
function shrink(obj: CountedObjective, s: Simplex, best: number): boolean {
  const n = s.f.length - 1;
  for (let v = 0; v <= n; v++) {
    if (v === best) continue;
    if (obj.exhausted) return false;
    for (let i = 0; i < n; i++) s.x[v * n + i] = 0.5 * (s.x[v * n + i] + s.x[best * n + i]);
    s.f[v] = obj.evaluate(s.x.subarray(v * n, v * n + n));
  }
  return true;
}
