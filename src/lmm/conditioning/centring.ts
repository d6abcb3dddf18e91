/**
 * Fixed-effects columns nearly a combination of the columns before them,
 * fitted on a better-conditioned basis of the same column space.
 *
 * X~ = X U, U unit upper triangular, gives the same model: X beta = X~ beta~
 * for beta = U beta~, the same fitted values, conditional modes, theta and
 * criterion (REML too: |U' X'V^{-1} X U| = |X'V^{-1} X| since |U| = 1), and
 * vcov(beta) = U vcov(beta~) U'.
 *
 * In floating point it is not the same fit: the criterion goes through the
 * Cholesky factor of X'V^{-1}X, which for a column with rho^2 (its share not
 * explained by the columns before it, lmm/conditioning/precisionLoss.ts) loses about
 * log10(1 / rho^2) digits. The common case is a predictor far from 0 relative
 * to its spread: x = 1e5 + u (spread 0.2, rho^2 ~ 4e-12) left the logLik off
 * by 1e-4 and the slope in its 6th digit (lme4 1.1-31: off by 1.6e-5, and by
 * 1e-3 with convergence warnings at 3e5 + u), and its interactions x:f, nearly
 * collinear with f. Each column j with rho^2 below CENTRE_RHO2 is replaced, in
 * column order, by its residual on the columns before it (already replaced),
 *
 *   x~_j = x_j - sum_{i<j} d_i x~_i,   d the weighted least-squares coefficients,
 *
 * (x - mean(x) beside an intercept; (x - mean of x among f's rows) f for x:f
 * beside f), formed from the rows and refined once (the normal equations of
 * the earlier columns lose digits of their own; a second pass on the residual
 * leaves it orthogonal to working precision), so U[:, j] = e_j - sum_i d_i U[:, i].
 * The fit is made on X~ and beta, vcov and the standard errors mapped back; the
 * estimates are those of the exact arithmetic to about 1e-10.
 * Satterthwaite's df (inference/ddf/varpar.ts), Kenward-Roger's
 * (kenwardRoger.ts), bootstrap refits (bootRefit.ts) and likelihood profiles
 * (profileLmm.ts: the user's beta_j as row j of U) are computed on the same
 * columns, their covariances of beta mapped by U(.)U' (`congruent`). GLMMs
 * (glmm/glmer.ts fitGlmm) are fitted on the replaced columns below
 * CENTRE_RHO2_GLMM, beta, vcov and the Wald table mapped back; their profiles
 * (profileGlmm.ts) and bootstrap refits (glmmRefit.ts) run on the same columns. Fits from a
 * database's sums (no rows here) are not recentred: there the message of
 * precisionLoss.ts says what is lost.
 */
import type { ModelFrame } from '../../frame/types.js';
import { unexplainedShares } from './precisionLoss.js';
import { leastSquaresOf } from './responseShift.js';
import type { LmmFit } from '../types.js';

/** Below this rho^2 (8 of the 16 digits lost) a column of an LMM is replaced. */
export const CENTRE_RHO2 = 1e-8;
/**
 * A GLMM's: its standard errors come from a Hessian in (theta, beta) taken by
 * differences (lme4's path) or Newton's, in the user's units of beta, and lose
 * far more: x = 10 + u (rho^2 4e-4) gave the slope's se 0.23934 for 0.23954
 * (lme4 0.23931), x = 100 + u 0.2239 (lme4 0.2008), x = 1e3 + u 0.0148 (lme4 0.0151).
 */
export const CENTRE_RHO2_GLMM = 1e-2;

export interface Centring {
  /** The frame with the replaced columns. */
  frame: ModelFrame;
  /** U, p x p column-major, unit upper triangular: X~ = X U, beta = U beta~. */
  U: Float64Array;
}

const known = new WeakMap<ModelFrame, Centring | null>();

/** The LMM centring (CENTRE_RHO2) found for `frame` by an earlier call of `centring` (undefined: none made yet; null for a frame it made). */
export function knownCentring(frame: ModelFrame): Centring | null | undefined {
  return replaced.has(frame) ? null : known.get(frame);
}

/**
 * The centring of `frame` (module comment), or null when no column needs it
 * (or the frame has no rows). `xy`: its [X y]'W[X y] (A's, already formed).
 * Remembered per frame (knownCentring), so that the inference on the fit uses the same.
 */
export function centring(frame: ModelFrame, xy: Float64Array, below = CENTRE_RHO2): Centring | null {
  // The replaced columns are not replaced again (a column nearly aliased stays so).
  if (replaced.has(frame)) return null;
  const hit = below === CENTRE_RHO2 ? known.get(frame) : undefined;
  if (hit !== undefined) return hit;
  const out = centringOf(frame, xy, below);
  if (below === CENTRE_RHO2) known.set(frame, out);
  if (out !== null) replaced.add(out.frame);
  return out;
}

/** Frames made by `centring`. */
const replaced = new WeakSet<ModelFrame>();

/** [X 0]'W[X 0] of a frame's rows (prior weights), in the (p + 1)-square layout of `centring`'s xy. */
export function frameGram(frame: ModelFrame): Float64Array {
  const { X, nobs: n, p, weights } = frame, P = p + 1, out = new Float64Array(P * P);
  if (X.length !== n * p) return out;
  const row = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    const w = weights ? weights[r] : 1;
    for (let a = 0; a < p; a++) row[a] = X[r + a * n];
    for (let b = 0; b < p; b++) {
      const wb = w * row[b];
      for (let a = b; a < p; a++) out[a + b * P] += row[a] * wb;
    }
  }
  for (let b = 0; b < p; b++) for (let a = b + 1; a < p; a++) out[b + a * P] = out[a + b * P];
  return out;
}

function centringOf(frame: ModelFrame, xy: Float64Array, below: number): Centring | null {
  const { X, nobs: n, p, weights } = frame;
  if (p < 2 || X.length !== n * p || n === 0) return null;
  const shares = unexplainedShares(xy, p);
  if (shares === null) return null;
  const flagged: number[] = [];
  for (let j = 1; j < p; j++) if (shares[j] < below) flagged.push(j);
  if (flagged.length === 0) return null;
  const Xc = X.slice(), U = new Float64Array(p * p);
  for (let j = 0; j < p; j++) U[j * (p + 1)] = 1;
  for (const j of flagged) {
    const d = new Float64Array(j);
    for (let pass = 0; pass < 2; pass++) {
      const delta = leastSquares(Xc, n, j, weights, Xc.subarray(j * n, (j + 1) * n));
      if (delta === null) return null;
      for (let i = 0; i < j; i++) {
        d[i] += delta[i];
        const xi = Xc.subarray(i * n, (i + 1) * n), xj = Xc.subarray(j * n, (j + 1) * n), di = delta[i];
        for (let r = 0; r < n; r++) xj[r] -= di * xi[r];
      }
    }
    for (let i = 0; i < j; i++) for (let r = 0; r <= i; r++) U[r + j * p] -= d[i] * U[r + i * p];
  }
  return { frame: { ...frame, X: Xc }, U };
}

/**
 * Weighted least-squares coefficients of v on the first m columns of X (n rows), by the
 * normal equations (responseShift.ts's solve of [X_m v]'W[X_m v]); null if singular.
 */
function leastSquares(X: Float64Array, n: number, m: number, weights: Float64Array | null, v: Float64Array): Float64Array | null {
  const M = m + 1, xv = new Float64Array(M * M);
  for (let a = 0; a < m; a++) {
    const xa = a * n;
    let s = 0;
    for (let r = 0; r < n; r++) s += (weights ? weights[r] : 1) * X[xa + r] * v[r];
    xv[m + a * M] = s;
    for (let b = 0; b <= a; b++) {
      const xb = b * n;
      let t = 0;
      for (let r = 0; r < n; r++) t += (weights ? weights[r] : 1) * X[xa + r] * X[xb + r];
      xv[a + b * M] = xv[b + a * M] = t;
    }
  }
  return leastSquaresOf(xv, m);
}

/** beta = U beta~ (a new array). */
export function uncentredBeta(betaC: ArrayLike<number>, c: Centring): Float64Array {
  const p = betaC.length, out = new Float64Array(p);
  for (let r = 0; r < p; r++) {
    let s = 0;
    for (let k = r; k < p; k++) s += c.U[r + k * p] * betaC[k];
    out[r] = s;
  }
  return out;
}

/** beta~ = U^{-1} beta (a new array): back substitution with the unit upper triangular U. */
export function centredBeta(beta: ArrayLike<number>, c: Centring): Float64Array {
  const p = beta.length, out = Float64Array.from(beta);
  for (let r = p - 1; r >= 0; r--) {
    let s = out[r];
    for (let k = r + 1; k < p; k++) s -= c.U[r + k * p] * out[k];
    out[r] = s;
  }
  return out;
}

/** U M U' for a p x p matrix M of the replaced columns (a covariance of beta~ or its derivative). */
export function congruent(c: Centring, M: ArrayLike<number>, p: number): Float64Array {
  return sandwich(p, (r, k) => c.U[r + k * p], M);
}

/** U^{-1} M U^{-T}: a covariance of the user's beta as one of beta~. */
export function centredCovariance(c: Centring, M: ArrayLike<number>, p: number): Float64Array {
  const inv = new Float64Array(p * p);
  for (let k = 0; k < p; k++) {
    const e = new Float64Array(p);
    e[k] = 1;
    inv.set(centredBeta(e, c), k * p);
  }
  return sandwich(p, (r, k) => inv[r + k * p], M);
}

/** A M A' for A given by entry. */
function sandwich(p: number, a: (r: number, k: number) => number, M: ArrayLike<number>): Float64Array {
  const AM = new Float64Array(p * p), out = new Float64Array(p * p);
  for (let col = 0; col < p; col++) {
    for (let r = 0; r < p; r++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += a(r, k) * M[k + col * p];
      AM[r + col * p] = s;
    }
  }
  for (let col = 0; col < p; col++) {
    for (let r = 0; r < p; r++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += AM[r + k * p] * a(col, k);
      out[r + col * p] = s;
    }
  }
  return out;
}

/** Row j of U: the user's beta_j as a combination of beta~. */
export function userCoefficient(c: Centring, j: number, p: number): Float64Array {
  return Float64Array.from({ length: p }, (_, k) => c.U[j + k * p]);
}

/** The fit of the replaced columns with beta, vcov and se of the user's columns (module comment). */
export function uncentred(fit: LmmFit, c: Centring): LmmFit {
  const p = fit.p, beta = uncentredBeta(fit.beta, c);
  const vcov = congruent(c, fit.vcov, p);
  return { ...fit, beta, vcov, se: Float64Array.from({ length: p }, (_, t) => Math.sqrt(vcov[t * (p + 1)])) };
}
