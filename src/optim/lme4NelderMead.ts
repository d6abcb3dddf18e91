/**
 * lme4's Nelder-Mead simplex (lme4 1.1-31 `Nelder_Mead`, src/optimizer.cpp: a
 * reverse-communication version of NLopt 2.2.4's nldrmd), reproduced step for
 * step so that glmer's second stage follows lme4's path (glmm/lme4Path.ts).
 * Written from the algorithm as lme4 runs it; unlike ./neldermead.ts it makes
 * no attempt to do better than lme4.
 *
 * Simplex: x0 and x0 + xst_i e_i (on a bound when that step leaves the box by
 * more than 0.1 |xst_i| short of it, else the other way; lme4's rules). The
 * n + 1 vertices are evaluated in order. Then, repeatedly ("restart"):
 *
 * - f_l, f_h: the lowest and highest values (first index on ties), c the
 *   centroid of all vertices but the highest, (sum of all - x_h) / n;
 * - stop ("x converged") when every coordinate's largest |x_v,i - c_i| over
 *   all vertices is below xt_i (or is 0);
 * - reflect x_r = c + (c - x_h); if f_r < f_l expand x_e = c + 2 (c - x_h) and
 *   keep x_e if f_e < f_h (sic: the highest, not f_r), else x_r; if f_l <= f_r
 *   < f_h keep x_r; otherwise contract inside, x_c = c - (c - x_h) / 2, kept
 *   when f_c < f_r and f_c < f_h; failing that shrink every vertex but the
 *   lowest halfway towards it, x_l + (x_v - x_l) / 2 (written x_l - (x_l - x_v) / 2),
 *   and evaluate all n + 1 vertices again, the lowest included.
 *
 * Every trial point is clipped to the box; a trial point that clipping makes
 * coincide (relative 1e-13 in every coordinate) with c or with the vertex it
 * came from also ends the search as "x converged". After maxEval evaluations
 * the next one ends it ("maximum number of evaluations"): lme4 makes
 * maxEval + 1 in all. The result is the lowest value evaluated and its point.
 * lme4's f tolerances (FtolAbs, FtolRel) and XtolRel take no part: its C++
 * never tests them (its x test with the relative tolerance reduces to the
 * absolute one).
 *
 * Arithmetic follows lme4's order of operations (centroid, reflections), and
 * f is called with exactly the points lme4 would call it with, so that a
 * criterion equal to lme4's to rounding gives lme4's path.
 */
import { MixedModelsError, expectArgument } from '../errors.js';
import type { OptResult } from './optsummary.js';

export interface Lme4NelderMeadOptions {
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
  /** Initial steps, one per coordinate (lme4's xst, default 0.02). */
  xst?: ArrayLike<number>;
  /** Absolute x tolerance per coordinate (lme4's xt, default xst * 5e-4). */
  xt?: ArrayLike<number>;
  /** Evaluations after which the next ends the search (lme4's maxfun, default 10000). */
  maxEval?: number;
}

/** Factors of the reflection, expansion, contraction and shrink (NLopt's alpha, gamma, beta, delta). */
const ALPHA = 1, GAMMA = 2, BETA = 0.5, DELTA = 0.5;

/** lme4's close(): equal to 1e-13 relative. */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-13 * (Math.abs(a) + Math.abs(b));
}

/**
 * Minimises `f` from `x0` within box bounds by lme4's Nelder-Mead, returning
 * the lowest point evaluated; `converged` is false when the evaluations ran out.
 */
export function nelderMeadLme4(
  f: (x: Float64Array) => number, x0: ArrayLike<number>, options: Lme4NelderMeadOptions = {},
): OptResult {
  expectArgument('nelderMeadLme4', 'f', f, 'function');
  expectArgument('nelderMeadLme4', 'x0', x0, 'array');
  const n = x0.length;
  if (n < 1) throw new MixedModelsError('nelderMeadLme4: x0 must have at least one element');
  const vec = (v: ArrayLike<number> | undefined, fill: (i: number) => number, name: string) => {
    if (v !== undefined && v.length !== n) throw new MixedModelsError(`nelderMeadLme4: ${name} has length ${v.length}, x0 has ${n}`);
    return Float64Array.from({ length: n }, (_, i) => (v === undefined ? fill(i) : v[i]));
  };
  const lb = vec(options.lower, () => -Infinity, 'lower');
  const ub = vec(options.upper, () => Infinity, 'upper');
  const xst = vec(options.xst, () => 0.02, 'xst');
  const xt = vec(options.xt, (i) => xst[i] * 5e-4, 'xt');
  const x = Float64Array.from(x0);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) throw new MixedModelsError(`nelderMeadLme4: x0[${i}] is not finite`);
    if (!(lb[i] < ub[i])) throw new MixedModelsError(`nelderMeadLme4: lower[${i}] must be below upper[${i}]`);
    if (x[i] < lb[i] || x[i] > ub[i]) throw new MixedModelsError(`nelderMeadLme4: x0[${i}] is outside its bounds`);
    if (!(xst[i] !== 0 && Number.isFinite(xst[i]))) throw new MixedModelsError('nelderMeadLme4: xst must be nonzero and finite');
    if (!(xt[i] > 0)) throw new MixedModelsError('nelderMeadLme4: xt must be positive');
  }
  return new Simplex(f, x, lb, ub, xst, xt, options.maxEval ?? 10000).run();
}

type Status = 'active' | 'xcvg' | 'evals';

class Simplex {
  readonly n: number;
  /** Vertex v at pts[v * n .. v * n + n). */
  readonly pts: Float64Array;
  readonly vals: Float64Array;
  readonly c: Float64Array;
  readonly xcur: Float64Array;
  readonly xeval: Float64Array;
  readonly best: Float64Array;
  minf = Infinity;
  evals = 0;
  il = 0;
  ih = 0;
  fl = 0;
  fh = 0;
  fOld = 0;

  constructor(
    readonly f: (x: Float64Array) => number, x0: Float64Array, readonly lb: Float64Array, readonly ub: Float64Array,
    xst: Float64Array, readonly xt: Float64Array, readonly maxEval: number,
  ) {
    const n = x0.length;
    this.n = n;
    this.pts = new Float64Array((n + 1) * n);
    this.vals = new Float64Array(n + 1);
    this.c = new Float64Array(n);
    this.xcur = new Float64Array(n);
    this.xeval = x0.slice();
    this.best = x0.slice();
    for (let v = 0; v <= n; v++) this.pts.set(x0, v * n);
    for (let i = 0; i < n; i++) {
      const s = Math.abs(xst[i]), k = (i + 1) * n + i;
      let p = x0[i] + xst[i];
      if (p > ub[i]) p = ub[i] - x0[i] > 0.1 * s ? ub[i] : x0[i] - s;
      if (p < lb[i]) {
        if (x0[i] - lb[i] > 0.1 * s) p = lb[i];
        else {
          p = x0[i] + s;
          if (p > ub[i]) p = 0.5 * ((ub[i] - x0[i] > x0[i] - lb[i] ? ub[i] : lb[i]) + x0[i]);
        }
      }
      if (close(p, x0[i])) throw new MixedModelsError('nelderMeadLme4: cannot generate a feasible simplex');
      this.pts[k] = p;
    }
  }

  vertex(v: number): Float64Array {
    return this.pts.subarray(v * this.n, v * this.n + this.n);
  }

  /** One evaluation at xeval (lme4's newf): records the best, then false once past maxEval. */
  evaluate(): { f: number; more: boolean } {
    this.evals++;
    const fv = this.f(this.xeval.slice());
    if (fv < this.minf) {
      this.minf = fv;
      this.best.set(this.xeval);
    }
    return { f: fv, more: this.evals <= this.maxEval };
  }

  run(): OptResult {
    let status: Status = 'active';
    // Evaluate the n + 1 vertices (again after a shrink), then iterate.
    for (let initPos = 0; status === 'active';) {
      if (initPos <= this.n) {
        this.xeval.set(this.vertex(initPos));
        const e = this.evaluate();
        if (!e.more) status = 'evals';
        else this.vals[initPos++] = e.f;
        continue;
      }
      status = this.iterate();
      if (status === 'active') initPos = 0;
    }
    const message = status === 'evals'
      ? `nelderMeadLme4: stopped after the maximum number of evaluations (${this.maxEval})`
      : 'nelderMeadLme4: parameter values converged to within tolerance';
    return { x: this.best.slice(), fx: this.minf, evaluations: this.evals, converged: status === 'xcvg', message };
  }

  /** Reflections, expansions and contractions until a shrink ('active': evaluate the vertices again) or a stop. */
  iterate(): Status {
    const { n, vals } = this;
    for (;;) {
      if (!this.restart()) return 'xcvg';
      this.xeval.set(this.xcur);
      const r = this.evaluate();
      if (!r.more) return 'evals';
      const xh = this.vertex(this.ih);
      if (r.f < this.fl) {
        // Expansion (xcur keeps the reflected point).
        if (!this.reflect(this.xeval, this.c, GAMMA, xh)) return 'xcvg';
        this.fOld = r.f;
        const e = this.evaluate();
        if (!e.more) return 'evals';
        if (e.f < vals[this.ih]) {
          xh.set(this.xeval);
          vals[this.ih] = e.f;
        } else {
          xh.set(this.xcur);
          vals[this.ih] = this.fOld;
        }
        continue;
      }
      if (r.f < this.fh) {
        vals[this.ih] = r.f;
        xh.set(this.xeval);
        continue;
      }
      // Contraction: inside, as fh <= f always holds here.
      if (!this.reflect(this.xcur, this.c, this.fh <= r.f ? -BETA : BETA, xh)) return 'xcvg';
      this.fOld = r.f;
      this.xeval.set(this.xcur);
      const k = this.evaluate();
      if (!k.more) return 'evals';
      if (k.f < this.fOld && k.f < this.fh) {
        xh.set(this.xeval);
        vals[this.ih] = k.f;
        continue;
      }
      const xl = this.vertex(this.il);
      for (let v = 0; v <= n; v++) {
        if (v === this.il) continue;
        if (!this.reflect(this.xeval, xl, -DELTA, this.vertex(v))) return 'xcvg';
        this.vertex(v).set(this.xeval);
      }
      return 'active';
    }
  }

  /** lme4's restart(): ranks, centroid, the x test, then the reflected point into xcur; false when converged. */
  restart(): boolean {
    const { n, vals, pts, c, xt } = this;
    let il = 0, ih = 0;
    for (let v = 1; v <= n; v++) {
      if (vals[v] < vals[il]) il = v;
      if (vals[v] > vals[ih]) ih = v;
    }
    this.il = il;
    this.ih = ih;
    this.fl = vals[il];
    this.fh = vals[ih];
    for (let i = 0; i < n; i++) {
      let s = pts[i];
      for (let v = 1; v <= n; v++) s += pts[v * n + i];
      c[i] = (s - pts[ih * n + i]) / n;
    }
    let converged = true;
    for (let i = 0; i < n && converged; i++) {
      let dev = 0;
      for (let v = 0; v <= n; v++) dev = Math.max(dev, Math.abs(pts[v * n + i] - c[i]));
      converged = dev < xt[i] || dev === 0;
    }
    if (converged) return false;
    return this.reflect(this.xcur, c, ALPHA, this.vertex(ih));
  }

  /** out = clip(c + scale (c - xold)); false when that coincides with c or with xold (lme4's reflectpt). */
  reflect(out: Float64Array, c: Float64Array, scale: number, xold: Float64Array): boolean {
    let equalC = true, equalOld = true;
    for (let i = 0; i < this.n; i++) {
      const v = Math.min(Math.max(c[i] + scale * (c[i] - xold[i]), this.lb[i]), this.ub[i]);
      equalC = equalC && close(v, c[i]);
      equalOld = equalOld && close(v, xold[i]);
      out[i] = v;
    }
    return !(equalC || equalOld);
  }
}
