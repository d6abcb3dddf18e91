import { SINGULAR_TOL } from './finish.js';
import type { FactorBlock } from './factorBlocks.js';
import type { LambdaMap } from './lambda.js';

/**
 * The guard against optima stuck on the boundary of a vector-valued term
 * (issue 12: weighted sleepstudy, REML criterion 1802.67 reported as
 * converged where lme4 reaches 1791.69, and where the nested model without
 * the correlation reaches 1791.72).
 *
 * The criterion depends on a term's triangle T only through Sigma = T T'.
 * Where a diagonal element of T is 0, many T give the same Sigma: for k = 2,
 * every T = [0, 0; a, b] with a^2 + b^2 = c^2 gives diag(0, c^2). They differ
 * in how T leaves the bound. From [0, 0; -c, 0], raising T_11 to h adds an
 * intercept perfectly correlated with the slope and changes Sigma to first
 * order (Sigma_12 = -h c); from [0, 0; 0, c] every move changes Sigma to
 * second order only, so that a better fit with an intercept variance shows as
 * a direction of descent. A local optimiser reaching the bound at a point of
 * the first kind can find the criterion rising in every direction it tries and
 * stop there.
 *
 * restartPoint: for every vector-valued term with a variance parameter below
 * SINGULAR_TOL (in phi, thetaScale.ts), Sigma is factored again as a positive
 * semi-definite matrix (a pivot below SINGULAR_TOL becomes 0 with the column
 * below it; the representative of Sigma from which it can be left at second
 * order only, in every direction), and those pivots are raised to
 * RESTART_PIVOT. The caller optimises again from there and keeps the better
 * optimum: one more optimisation, only for singular fits of vector-valued terms.
 *
 * A scalar term at 0 can hide a better optimum too: the criterion may rise
 * from 0 and fall again further out (multimodal in small or weighted data;
 * e.g. 6.38 at 0, 6.93 at phi = 1, 3.25 at phi = 10). probePoints gives the
 * points with one such term at each of PROBES (the others as found); the
 * caller evaluates them (a few evaluations, only for singular fits) and
 * optimises again from the best when it is lower than the optimum.
 *
 * And as a last resort the nested model: a singular vector-valued term is
 * fitted with its correlations fixed at 0 (lme4's (x || g)), and when that
 * fits better the whole model is optimised again from it, so that the
 * reported optimum is never worse than the nested one (restartFromSingular).
 */
export const RESTART_PIVOT = 0.5;
export const PROBES = [0.1, 1, 10, 100];

/** phi (scale-free coordinates) with the singular vector-valued terms re-factored and lifted off the bound, or null when there are none. */
export function restartPoint(factors: readonly FactorBlock[], map: LambdaMap, phi: ArrayLike<number>): Float64Array | null {
  const out = Float64Array.from(phi);
  let changed = false;
  factors.forEach((f, j) => {
    for (const t of f.terms) {
      if (t.k < 2) continue;
      const idx = (r: number, c: number): number => map.index[j][t.offset + r + (t.offset + c) * f.k];
      const T = new Float64Array(t.k * t.k);
      for (let c = 0; c < t.k; c++) for (let r = c; r < t.k; r++) T[r + c * t.k] = phi[idx(r, c)];
      if (!Array.from({ length: t.k }, (_, c) => T[c * (t.k + 1)]).some((d) => d < SINGULAR_TOL)) continue;
      const L = liftedFactor(t.k, T);
      for (let c = 0; c < t.k; c++) for (let r = c; r < t.k; r++) out[idx(r, c)] = L[r + c * t.k];
      changed = true;
    }
  });
  return changed ? out : null;
}

/**
 * The lower Cholesky factor of Sigma = T T' (k x k, column-major) taken as
 * positive semi-definite (a pivot below SINGULAR_TOL and the column below it
 * set to 0), then each such pivot set to RESTART_PIVOT.
 */
export function liftedFactor(k: number, T: Float64Array): Float64Array {
  const S = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let x = 0; x <= Math.min(r, c); x++) s += T[r + x * k] * T[c + x * k];
      S[r + c * k] = s;
    }
  }
  const L = new Float64Array(k * k);
  const zero: number[] = [];
  for (let c = 0; c < k; c++) {
    let d = S[c * (k + 1)];
    for (let x = 0; x < c; x++) d -= L[c + x * k] * L[c + x * k];
    if (!(d >= SINGULAR_TOL * SINGULAR_TOL)) {
      zero.push(c);
      continue;
    }
    const p = Math.sqrt(d);
    L[c * (k + 1)] = p;
    for (let r = c + 1; r < k; r++) {
      let s = S[r + c * k];
      for (let x = 0; x < c; x++) s -= L[r + x * k] * L[c + x * k];
      L[r + c * k] = s / p;
    }
  }
  for (const c of zero) L[c * (k + 1)] = RESTART_PIVOT;
  return L;
}

/** For every scalar term with phi below SINGULAR_TOL, phi with that term at each of PROBES. */
export function probePoints(factors: readonly FactorBlock[], map: LambdaMap, phi: ArrayLike<number>): Float64Array[] {
  const out: Float64Array[] = [];
  factors.forEach((f, j) => {
    for (const t of f.terms) {
      if (t.k !== 1) continue;
      const e = map.index[j][t.offset * (f.k + 1)];
      if (!(phi[e] < SINGULAR_TOL)) continue;
      for (const v of PROBES) {
        const x = Float64Array.from(phi);
        x[e] = v;
        out.push(x);
      }
    }
  });
  return out;
}

/**
 * The theta elements that carry the correlations of the vector-valued terms
 * singular at phi (their triangles' off-diagonal elements).
 */
export function singularCorrelations(factors: readonly FactorBlock[], map: LambdaMap, phi: ArrayLike<number>): number[] {
  const out: number[] = [];
  factors.forEach((f, j) => {
    for (const t of f.terms) {
      if (t.k < 2) continue;
      const idx = (r: number, c: number): number => map.index[j][t.offset + r + (t.offset + c) * f.k];
      if (!Array.from({ length: t.k }, (_, c) => phi[idx(c, c)]).some((d) => d < SINGULAR_TOL)) continue;
      for (let c = 0; c < t.k; c++) for (let r = c + 1; r < t.k; r++) out.push(idx(r, c));
    }
  });
  return out;
}

/**
 * phi with the given correlation elements at 0 and each diagonal element of
 * their terms at the standard deviation its column had (sqrt of Sigma's
 * diagonal): the nested zero-correlation model's start next to an optimum.
 */
export function uncorrelated(factors: readonly FactorBlock[], map: LambdaMap, phi: ArrayLike<number>, correlations: readonly number[]): Float64Array {
  const out = Float64Array.from(phi), fixed = new Set(correlations);
  factors.forEach((f, j) => {
    for (const t of f.terms) {
      const idx = (r: number, c: number): number => map.index[j][t.offset + r + (t.offset + c) * f.k];
      if (t.k < 2 || !fixed.has(idx(1, 0))) continue;
      for (let r = 0; r < t.k; r++) {
        let s = 0;
        for (let c = 0; c <= r; c++) s += phi[idx(r, c)] ** 2;
        out[idx(r, r)] = Math.sqrt(s);
        for (let c = 0; c < r; c++) out[idx(r, c)] = 0;
      }
    }
  });
  return out;
}

/** An optimum in phi and its criterion. */
export interface Optimum {
  theta: Float64Array;
  fx: number;
}

/**
 * The guard for any optimiser, from an optimum `best` (theta in phi):
 * - a vector-valued term singular there: `nested` optimises the model with
 *   that term's correlations fixed at 0 (which the model nests) from
 *   `uncorrelated`; when it fits better, and from the lifted point in any
 *   case, `refit` optimises the whole model again;
 * - a scalar term at 0: the probes, and `refit` from the best probe lower
 *   than best.fx.
 * Returns the best optimum found (`best` when none is lower), so that a
 * singular fit is never worse than its nested zero-correlation fit.
 */
export function restartFromSingular<R extends Optimum>(
  factors: readonly FactorBlock[], map: LambdaMap, best: R,
  evaluate: (phi: Float64Array) => number, refit: (phi: Float64Array) => R,
  nested: (correlations: readonly number[], start: Float64Array) => Optimum | null,
): R {
  const again: Float64Array[] = [];
  const correlations = singularCorrelations(factors, map, best.theta);
  if (correlations.length > 0) {
    const zc = nested(correlations, uncorrelated(factors, map, best.theta, correlations));
    if (zc !== null && zc.fx < best.fx) again.push(zc.theta);
  }
  const lifted = restartPoint(factors, map, best.theta);
  if (lifted !== null) again.push(lifted);
  let probe: { x: Float64Array; f: number } | null = null;
  for (const x of probePoints(factors, map, best.theta)) {
    const f = evaluate(x);
    if (f < best.fx && (probe === null || f < probe.f)) probe = { x, f };
  }
  if (probe !== null) again.push(probe.x);
  let out = best;
  for (const x of again) {
    if (!Number.isFinite(evaluate(x))) continue;
    const r = refit(x);
    if (r.fx < out.fx) out = r;
  }
  return out;
}
