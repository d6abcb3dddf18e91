/**
 * The deviance (-2 log-likelihood) of a linear mixed model with one parameter
 * held fixed, as lme4's profile.merMod computes it (its devfun2): on the ML
 * scale, in terms of theta, sigma and beta (Bates et al. 2015, section 5).
 *
 * With L filled at theta (problem.evaluate), ldL2 = log det(L_Z)^2,
 * r2(theta) = the penalised residual sum of squares at beta-hat(theta),
 * ldW = sum(log prior weights), n observations:
 *
 *   D(theta, sigma)   = ldL2 - ldW + r2 / sigma^2 + n log(2 pi sigma^2)          (beta profiled out)
 *   D(theta)          = ldL2 - ldW + n (1 + log(2 pi r2 / n))                   (sigma too)
 *   D_c(theta, v)     = D(theta) with r2 -> r2 + (v - c'beta-hat)^2 / c'Vc       (c'beta = v, the rest of beta profiled)
 *
 * where V = (L_X L_X')^{-1}, so that c'Vc = |L_X^{-1} c|^2: minimising the
 * quadratic r2(theta, beta) = r2 + |L_X'(beta - beta-hat)|^2 over beta with
 * c'beta fixed at v leaves (v - c'beta-hat)^2 / c'Vc. c = e_j profiles beta_j;
 * on replaced columns (lmm/conditioning/centring.ts) the user's beta_j is row j of U.
 *
 * A `ParameterSlice` is one profiled parameter: the free coordinates at a
 * value v (profileCoords.ts), the deviance at (theta, v), sigma there, and a
 * warm start from a neighbouring solution.
 */
import { trsvLower } from '../../linalg/trsv.js';
import { fixedEffects } from '../../lmm/effects.js';
import { devianceParts, type DevianceParts } from '../../lmm/objective.js';
import type { LmmProblem } from '../../lmm/problem.js';
import { sdcorCoords, thetaCoords, type FreeCoords } from './profileCoords.js';
import { rowIndices, rowNorm, trianglePositions, type TermLayout } from './profileScale.js';

/** L's parts at theta, or null when the factorisation fails. */
function partsAt(prob: LmmProblem, theta: ArrayLike<number>): DevianceParts | null {
  return Number.isFinite(prob.evaluate(theta)) ? devianceParts(prob.L) : null;
}

/** D(theta, sigma): sigma fixed, beta profiled out. */
export function devianceAtSigma(prob: LmmProblem, theta: ArrayLike<number>, sigma: number): number {
  const parts = partsAt(prob, theta);
  if (parts === null || !(sigma > 0) || !Number.isFinite(sigma)) return Infinity;
  const s2 = sigma * sigma;
  return parts.ldL2 - prob.A.ldW + parts.pwrss / s2 + prob.frame.nobs * Math.log(2 * Math.PI * s2);
}

/** D(theta) with sigma and beta profiled out, from r2. */
function profiledFromR2(prob: LmmProblem, ldL2: number, r2: number): number {
  const n = prob.frame.nobs;
  return ldL2 - prob.A.ldW + n * (1 + Math.log((2 * Math.PI * r2) / n));
}

/** c'beta-hat and c'Vc from the L of the last evaluation. */
function betaAndVariance(prob: LmmProblem, c: Float64Array): { beta: number; v: number } {
  const L = prob.L, P = L.P, p = P - 1;
  const beta = fixedEffects(L, prob.A);
  const e = c.slice();
  trsvLower(p, L.xx, 0, P, e, 0);
  let cb = 0;
  for (let i = 0; i < p; i++) cb += c[i] * beta[i];
  return { beta: cb, v: e.reduce((s, x) => s + x * x, 0) };
}

/** The ML r2 with c'beta = v (the rest of beta at their optimum), or null when L fails. */
function r2WithBeta(prob: LmmProblem, theta: ArrayLike<number>, c: Float64Array, v: number): { ldL2: number; r2: number } | null {
  const parts = partsAt(prob, theta);
  if (parts === null) return null;
  const { beta, v: vjj } = betaAndVariance(prob, c);
  return { ldL2: parts.ldL2, r2: parts.pwrss + ((v - beta) * (v - beta)) / vjj };
}

/** e_j of length p. */
export function unitContrast(p: number, j: number): Float64Array {
  const e = new Float64Array(p);
  e[j] = 1;
  return e;
}

/** sigma-hat = sqrt(r2 / n) at theta (ML). */
export function mlSigma(prob: LmmProblem, theta: ArrayLike<number>): number {
  const parts = partsAt(prob, theta);
  return parts === null ? NaN : Math.sqrt(parts.pwrss / prob.frame.nobs);
}

/** beta-hat(theta) (generalised least squares at theta). */
export function betaAt(prob: LmmProblem, theta: ArrayLike<number>): Float64Array {
  const p = prob.frame.p;
  if (partsAt(prob, theta) === null) return new Float64Array(p).fill(NaN);
  return fixedEffects(prob.L, prob.A);
}

export interface ParameterSlice {
  /** Free coordinates when the parameter equals v. */
  coords(v: number): FreeCoords;
  /** The ML deviance at theta with the parameter equal to v. */
  deviance(theta: ArrayLike<number>, v: number): number;
  /** sigma at (theta, v). */
  sigma(theta: ArrayLike<number>, v: number): number;
  /** A starting theta for value v from a solution (theta, sigma) at a neighbouring value. */
  start(theta: Float64Array, sigma: number, v: number): Float64Array;
}

/** The standard deviation at diagonal position `pos` of `term`. */
export function sdSlice(prob: LmmProblem, term: TermLayout, pos: number): ParameterSlice {
  const row = trianglePositions(term.k)[pos].row;
  const pinned = rowIndices(term, row);
  const free = thetaCoords(prob.lower, prob.upper);
  const atZero = thetaCoords(prob.lower, prob.upper, pinned);
  return {
    coords: (v) => (v > 0 ? free : atZero),
    deviance(theta, v) {
      if (v === 0) return prob.evaluate(theta);
      const norm = rowNorm(term, theta, row);
      return norm > 0 ? devianceAtSigma(prob, theta, v / norm) : Infinity;
    },
    sigma: (theta, v) => (v === 0 ? mlSigma(prob, theta) : v / rowNorm(term, theta, row)),
    start(theta, sigma, v) {
      // Keep sigma and the other sds: rescale row `row` of T to sd v.
      const out = theta.slice();
      const norm = rowNorm(term, theta, row), target = v / sigma;
      if (norm > 0) for (const e of pinned) out[e] *= target / norm;
      else out[term.start + pos] = target;
      return out;
    },
  };
}

/** The correlation at off-diagonal position `pos` of `term`. */
export function corSlice(prob: LmmProblem, term: TermLayout, pos: number): ParameterSlice {
  return {
    coords: (v) => sdcorCoords(prob.lower, prob.upper, term, pos, v),
    deviance: (theta) => prob.evaluate(theta),
    sigma: (theta) => mlSigma(prob, theta),
    start: (theta) => theta.slice(),
  };
}

/** The residual standard deviation. */
export function sigmaSlice(prob: LmmProblem): ParameterSlice {
  const free = thetaCoords(prob.lower, prob.upper);
  return {
    coords: () => free,
    deviance: (theta, v) => devianceAtSigma(prob, theta, v),
    sigma: (_theta, v) => v,
    start(theta, sigma, v) {
      // Keep the random-effects sds: theta scales as 1 / sigma.
      return theta.map((t) => (t * sigma) / v);
    },
  };
}

/** The fixed effect beta_j. */
/** The fixed-effects combination c'beta (`unitContrast(p, j)`: beta_j). */
export function betaSlice(prob: LmmProblem, c: Float64Array): ParameterSlice {
  const free = thetaCoords(prob.lower, prob.upper);
  return {
    coords: () => free,
    deviance(theta, v) {
      const r = r2WithBeta(prob, theta, c, v);
      return r === null ? Infinity : profiledFromR2(prob, r.ldL2, r.r2);
    },
    sigma(theta, v) {
      const r = r2WithBeta(prob, theta, c, v);
      return r === null ? NaN : Math.sqrt(r.r2 / prob.frame.nobs);
    },
    start: (theta) => theta.slice(),
  };
}

/**
 * The sd of the intercept, in the user's columns, of a term fitted with slopes centred
 * (lmm/conditioning/termCentring.ts): sigma times the norm of row i0 of A T, with the
 * centred terms' theta free (the user's own coordinates are the ill-conditioned ones).
 * A value of 0 is not traced (Infinity).
 */
export function shiftedInterceptSdSlice(prob: LmmProblem, term: TermLayout, i0: number, means: ArrayLike<number>): ParameterSlice {
  const free = thetaCoords(prob.lower, prob.upper);
  const positions = trianglePositions(term.k);
  const norm = (theta: ArrayLike<number>): number => {
    // (A T)[i0, c] = T[i0, c] - sum_r m_r T[r, c].
    const row = new Float64Array(term.k);
    positions.forEach(({ row: r, col: c }, pos) => {
      const t = theta[term.start + pos];
      if (r === i0) row[c] += t;
      else row[c] -= means[r] * t;
    });
    return Math.hypot(...row);
  };
  return {
    coords: () => free,
    deviance(theta, v) {
      const n = norm(theta);
      return v > 0 && n > 0 ? devianceAtSigma(prob, theta, v / n) : Infinity;
    },
    sigma: (theta, v) => v / norm(theta),
    start: (theta) => theta.slice(),
  };
}
