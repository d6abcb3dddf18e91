/**
 * Confidence intervals from a profile (lme4's confint.thpr): the values where
 * zeta crosses -c and +c, c = qnorm((1 + level) / 2) = sqrt(qchisq(level, 1)).
 *
 * lme4 interpolates the inverse profile v(zeta) by a spline; here v(zeta) is
 * the monotone cubic (Fritsch-Carlson) Hermite interpolant through the traced
 * points, after dropping any point whose zeta does not increase with v (noise
 * of the inner optimisations). When a side never reaches c the end is the
 * parameter's bound if the trace reached it (an sd of 0, a correlation of +-1),
 * and null (lme4's NA) otherwise. `profileIntervalMessages` says which ends
 * are NA and why, and when points were dropped as non-monotone (lme4 warns
 * "non-monotonic profile" there).
 */
import { qnorm } from '../../distributions/index.js';
import { MixedModelsError } from '../../errors.js';
import type { ProfileTrace } from './profile.js';

/** c for a two-sided interval of coverage `level`. */
export function profileCutoff(level: number): number {
  if (!(level > 0 && level < 1)) throw new MixedModelsError(`level must be between 0 and 1, not ${level}`);
  return qnorm((1 + level) / 2);
}

/** Fritsch-Carlson slopes of the monotone cubic through (x, y), x increasing. */
function pchipSlopes(x: readonly number[], y: readonly number[]): number[] {
  const n = x.length;
  const h = x.slice(1).map((xi, k) => xi - x[k]);
  const s = h.map((hk, k) => (y[k + 1] - y[k]) / hk);
  if (n === 2) return [s[0], s[0]];
  const d = new Array<number>(n);
  for (let k = 1; k < n - 1; k++) {
    if (s[k - 1] * s[k] <= 0) d[k] = 0;
    else {
      const w1 = 2 * h[k] + h[k - 1], w2 = h[k] + 2 * h[k - 1];
      d[k] = (w1 + w2) / (w1 / s[k - 1] + w2 / s[k]);
    }
  }
  const end = (h0: number, h1: number, s0: number, s1: number): number => {
    const e = ((2 * h0 + h1) * s0 - h0 * s1) / (h0 + h1);
    if (Math.sign(e) !== Math.sign(s0)) return 0;
    return Math.sign(s0) !== Math.sign(s1) && Math.abs(e) > 3 * Math.abs(s0) ? 3 * s0 : e;
  };
  d[0] = end(h[0], h[1], s[0], s[1]);
  d[n - 1] = end(h[n - 2], h[n - 3], s[n - 2], s[n - 3]);
  return d;
}

/** The monotone cubic through (x, y) at t, x increasing and x[0] <= t <= x[n-1]. */
export function pchip(x: readonly number[], y: readonly number[], t: number): number {
  const d = pchipSlopes(x, y);
  let k = 0;
  while (k < x.length - 2 && t > x[k + 1]) k++;
  const h = x[k + 1] - x[k], u = (t - x[k]) / h;
  const h00 = (1 + 2 * u) * (1 - u) * (1 - u), h10 = u * (1 - u) * (1 - u);
  const h01 = u * u * (3 - 2 * u), h11 = u * u * (u - 1);
  return h00 * y[k] + h10 * h * d[k] + h01 * y[k + 1] + h11 * h * d[k + 1];
}

/** The points of the trace whose zeta increases with the value. */
function monotone(trace: ProfileTrace): { zeta: number[]; value: number[] } {
  const zeta: number[] = [], value: number[] = [];
  trace.value.forEach((v, k) => {
    const z = trace.zeta[k];
    if (zeta.length === 0 || z > zeta[zeta.length - 1]) {
      zeta.push(z);
      value.push(v);
    }
  });
  return { zeta, value };
}

/** One end: where zeta = target (sign gives the side). */
function end(trace: ProfileTrace, target: number): number | null {
  const { zeta, value } = monotone(trace);
  const last = target < 0 ? 0 : zeta.length - 1;
  const inRange = target < 0 ? zeta[0] <= target : zeta[last] >= target;
  if (inRange && zeta.length >= 2) return pchip(zeta, value, target);
  const bound = target < 0 ? trace.lower : trace.upper;
  const reached = target < 0 ? trace.value[0] : trace.value[trace.value.length - 1];
  return reached === bound ? bound : null;
}

/** The profile confidence interval of one parameter. */
export function profileInterval(trace: ProfileTrace, level = 0.95): { lower: number | null; upper: number | null } {
  const c = profileCutoff(level);
  return { lower: end(trace, -c), upper: end(trace, c) };
}

/** Why an end is missing, and non-monotone traces, in words (nothing when the interval is complete and clean). */
export function profileIntervalMessages(trace: ProfileTrace, level = 0.95): string[] {
  if (trace.value.length === 0) return Number.isFinite(trace.estimate) ? [] : [`the profile of ${trace.parameter} could not be traced (no estimate); its interval is NA`];
  const c = profileCutoff(level), out: string[] = [];
  const kept = monotone(trace).zeta.length;
  if (kept < trace.zeta.length) {
    out.push(`the profile of ${trace.parameter} is not monotone (${trace.zeta.length - kept} of ${trace.zeta.length} points dropped): its interval rests on the rest and may be inaccurate`);
  }
  for (const [side, target] of [['lower', -c], ['upper', c]] as const) {
    if (end(trace, target) !== null) continue;
    const reached = side === 'lower' ? trace.zeta[0] : trace.zeta[trace.zeta.length - 1];
    out.push(
      `the profile of ${trace.parameter} does not reach the ${Number((100 * level).toPrecision(4))}% cutoff on its ${side} side ` +
        `(|zeta| ${Math.abs(reached).toFixed(3)} < ${c.toFixed(3)}: the deviance levels off, as near a boundary or for separated data); its ${side} limit is NA`,
    );
  }
  return out;
}
