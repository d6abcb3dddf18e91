/**
 * Tracing one parameter's profile (lme4's profile.merMod, Bates et al. 2015,
 * section 5): zeta(v) = sign(v - v-hat) sqrt(D_v - D_min), where D_v is the
 * deviance minimised over the other parameters with this one fixed at v.
 *
 * From the estimate, each side steps outwards. The steps aim at equal
 * increments of zeta, `cutoff / 8` (lme4's delta.cutoff), by the secant slope
 * of the last two points, growing at most `MAX_MULT`-fold a step (lme4's
 * maxmult), until |zeta| exceeds the cut-off or the parameter reaches its
 * bound (an sd at 0, a correlation at +-1; where the deviance is infinite, as
 * for sigma at 0, the step is halved instead). The crossing of +-cutoff is
 * then located by regula falsi (the Illinois variant) on zeta(v) itself, so
 * the interval end at the traced level does not depend on interpolation.
 */
import { MixedModelsError } from '../../errors.js';

/** A solution of the profiled problem at one value of the parameter. */
export interface ProfilePoint {
  value: number;
  zeta: number;
  /** The inner problem's parameters there, a warm start for the neighbours (the Profiler's own layout). */
  state: Float64Array;
}

/** A model prepared for profiling (profileLmm.ts, profileGlmm.ts). */
export interface Profiler {
  /** lme4's parameter names (paramNames.ts), in its order. */
  names: readonly string[];
  /** The estimates the profile is centred on (ML for an LMM, like lme4). */
  estimates: Float64Array;
  /** The range of each parameter. */
  lower: Float64Array;
  upper: Float64Array;
  /** A first step from the estimate, per parameter. */
  step: Float64Array;
  /** Parameters not traced (their traces are empty), with `messages` saying why. */
  untraced?: readonly boolean[];
  messages?: readonly string[];
  /** The optimum itself (zeta 0; its `value` is unused: each parameter's is its estimate). */
  optimum: ProfilePoint;
  /** Minimises with parameter i fixed at v, starting from the neighbouring solution `from`. */
  evaluate(i: number, v: number, from: ProfilePoint): ProfilePoint;
}

const MAX_MULT = 10;
const MAX_POINTS = 40;
/** Halvings of a step whose end has no finite deviance (sigma at its bound 0, a failed factorisation). */
const MAX_HALVINGS = 30;
/** Regula falsi stops when zeta is this close to the cut-off. */
const ZETA_TOL = 1e-5;
const MAX_REFINE = 30;

/** The next value on a side, clamped to the parameter's range. */
function nextValue(pf: Profiler, i: number, from: number, step: number, dir: number): number {
  const v = from + dir * step;
  if (dir < 0 && v <= pf.lower[i]) return pf.lower[i];
  if (dir > 0 && v >= pf.upper[i]) return pf.upper[i];
  return v;
}

/** The point at v, or halfway back towards `last` while the deviance there is not finite; null if none is. */
function finitePoint(pf: Profiler, i: number, v: number, last: ProfilePoint): ProfilePoint | null {
  for (let h = 0; h < MAX_HALVINGS; h++) {
    const pt = pf.evaluate(i, v, last);
    if (Number.isFinite(pt.zeta)) return pt;
    v = (v + last.value) / 2;
  }
  return null;
}

/** Regula falsi (Illinois) for zeta(v) = target between a (inside) and b (outside); new points go to `out`. */
function refine(pf: Profiler, i: number, a: ProfilePoint, b: ProfilePoint, target: number, out: ProfilePoint[]): void {
  let fa = a.zeta - target, fb = b.zeta - target, side = 0;
  for (let it = 0; it < MAX_REFINE; it++) {
    const v = (a.value * fb - b.value * fa) / (fb - fa);
    if (!Number.isFinite(v) || v === a.value || v === b.value) return;
    const pt = pf.evaluate(i, v, Math.abs(v - a.value) < Math.abs(v - b.value) ? a : b);
    if (!Number.isFinite(pt.zeta)) return;
    out.push(pt);
    const f = pt.zeta - target;
    if (Math.abs(f) < ZETA_TOL) return;
    if (Math.sign(f) === Math.sign(fa)) {
      a = pt;
      fa = f;
      if (side === -1) fb /= 2;
      side = -1;
    } else {
      b = pt;
      fb = f;
      if (side === 1) fa /= 2;
      side = 1;
    }
  }
}

/** One side (dir = +-1) of parameter i's profile, out to |zeta| > cutoff, with the crossing refined. */
export function traceSide(pf: Profiler, i: number, dir: number, cutoff: number): ProfilePoint[] {
  const delta = cutoff / 8;
  const pts: ProfilePoint[] = [{ ...pf.optimum, value: pf.estimates[i] }];
  let step = pf.step[i];
  const atBound = (v: number): boolean => v === (dir < 0 ? pf.lower[i] : pf.upper[i]);
  while (pts.length < MAX_POINTS) {
    const last = pts[pts.length - 1];
    if (atBound(last.value)) break;
    const pt = finitePoint(pf, i, nextValue(pf, i, last.value, step, dir), last);
    if (pt === null) break;
    pts.push(pt);
    if (Math.abs(pt.zeta) > cutoff) {
      refine(pf, i, last, pt, dir * cutoff, pts);
      break;
    }
    const slope = Math.abs(pt.zeta - last.zeta) / Math.abs(pt.value - last.value);
    const grown = MAX_MULT * Math.abs(pt.value - last.value);
    step = slope > 0 ? Math.min(delta / slope, grown) : grown;
  }
  return pts;
}

/** Sorts points by value and drops duplicates. */
export function sortPoints(pts: readonly ProfilePoint[]): ProfilePoint[] {
  const sorted = [...pts].sort((a, b) => a.value - b.value);
  return sorted.filter((p, k) => k === 0 || p.value !== sorted[k - 1].value);
}

/** Index of the parameter called `name`; a clear error otherwise. */
export function parameterIndex(pf: Profiler, name: string): number {
  const i = pf.names.indexOf(name);
  if (i < 0) throw new MixedModelsError(`no parameter '${name}': the parameters are ${pf.names.join(', ')}`);
  return i;
}
