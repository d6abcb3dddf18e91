/**
 * Fixed-effects columns far from 0 relative to their spread, fitted centred.
 *
 * With an intercept column 1, X~ = X T, T the unit triangular matrix with
 * T[0, j] = -m_j for the centred columns j (x~_j = x_j - m_j), gives the same
 * model: X beta = X~ beta~ for beta = T beta~ (beta_0 = beta~_0 - sum_j m_j
 * beta~_j, the others equal), the same fitted values, conditional modes,
 * theta and criterion (REML too: |T' X'V^{-1} X T| = |X'V^{-1} X| since
 * |T| = 1), and vcov(beta) = T vcov(beta~) T'.
 *
 * In floating point it is not the same fit: the criterion goes through the
 * Cholesky factor of X'V^{-1}X, which for a column with rho^2 (its share not
 * explained by the columns before it, lmm/precisionLoss.ts) loses about
 * log10(1 / rho^2) digits; x = 1e5 + u (spread 0.2, rho^2 ~ 4e-12) left the
 * logLik off by 1e-4 and the slope in its 6th digit (lme4 1.1-31: off by
 * 1.6e-5, and by 1e-3 with convergence warnings at 3e5 + u). Columns with
 * rho^2 below CENTRE_RHO2 are centred at their weighted mean, the fit made on
 * X~, and beta, vcov and the standard errors mapped back; the centred fit's
 * estimates are those of the exact arithmetic to about 1e-10. Satterthwaite's
 * df (inference/ddf/varpar.ts), Kenward-Roger's (kenwardRoger.ts), bootstrap
 * refits (bootRefit.ts) and likelihood profiles (profileLmm.ts: the user's
 * beta_j as row j of T) are computed on the same centred columns, their
 * covariances of beta mapped by T(.)T' (`congruent`). Fits from a database's
 * sums (no rows here) are not centred: there the message of precisionLoss.ts
 * says what is lost.
 */
import type { ModelFrame } from '../frame/types.js';
import { unexplainedShares } from './precisionLoss.js';
import type { LmmFit } from './types.js';

/** Below this rho^2 (8 of the 16 digits lost) a column is centred. */
export const CENTRE_RHO2 = 1e-8;

export interface Centring {
  /** The frame with the centred columns. */
  frame: ModelFrame;
  /** Per column: the constant subtracted (0 for the others). */
  shift: Float64Array;
  intercept: number;
}

const known = new WeakMap<ModelFrame, Centring | null>();

/** The centring found for `frame` by an earlier call of `centring` (undefined: none made yet). */
export function knownCentring(frame: ModelFrame): Centring | null | undefined {
  return known.get(frame);
}

/**
 * The centring of `frame` (module comment), or null when no column needs it
 * (or there is no intercept or no rows). `xy`: its [X y]'W[X y] (A's, already formed).
 * Remembered per frame (knownCentring), so that the inference on the fit uses the same.
 */
export function centring(frame: ModelFrame, xy: Float64Array): Centring | null {
  const hit = known.get(frame);
  if (hit !== undefined) return hit;
  const out = centringOf(frame, xy);
  known.set(frame, out);
  return out;
}

function centringOf(frame: ModelFrame, xy: Float64Array): Centring | null {
  const { X, nobs: n, p, weights } = frame;
  const intercept = frame.colnames.indexOf('(Intercept)');
  if (intercept < 0 || p < 2 || X.length !== n * p || n === 0) return null;
  const shares = unexplainedShares(xy, p);
  if (shares === null) return null;
  const shift = new Float64Array(p);
  let any = false;
  for (let j = 0; j < p; j++) {
    if (j === intercept || !(shares[j] < CENTRE_RHO2)) continue;
    let sw = 0, swx = 0;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i] : 1;
      sw += w;
      swx += w * X[i + j * n];
    }
    shift[j] = swx / sw;
    any ||= shift[j] !== 0;
  }
  if (!any) return null;
  const Xc = X.slice();
  for (let j = 0; j < p; j++) {
    const m = shift[j];
    if (m !== 0) for (let i = 0; i < n; i++) Xc[i + j * n] -= m;
  }
  return { frame: { ...frame, X: Xc }, shift, intercept };
}

/** The fit of the centred frame with beta, vcov and se of the user's columns (module comment). */
export function uncentred(fit: LmmFit, c: Centring): LmmFit {
  const p = fit.p, beta = uncentredBeta(fit.beta, c);
  const vcov = congruent(c, fit.vcov, p);
  return { ...fit, beta, vcov, se: Float64Array.from({ length: p }, (_, t) => Math.sqrt(vcov[t * (p + 1)])) };
}

/** beta = T beta~ (a new array). */
export function uncentredBeta(betaC: Float64Array, c: Centring): Float64Array {
  const beta = betaC.slice();
  for (let j = 0; j < beta.length; j++) beta[c.intercept] -= c.shift[j] * betaC[j];
  return beta;
}

/**
 * T M T' for a p x p matrix M of the centred columns (a covariance of beta~ or
 * its derivative): T is the identity with row k (the intercept's) replaced by
 * (-m_0, ..., 1, ..., -m_{p-1}).
 */
export function congruent(c: Centring, M: Float64Array, p: number): Float64Array {
  const { shift, intercept: k } = c, TM = M.slice();
  for (let col = 0; col < p; col++) {
    let s = M[k + col * p];
    for (let j = 0; j < p; j++) s -= shift[j] * M[j + col * p];
    TM[k + col * p] = s;
  }
  const out = TM.slice();
  for (let r = 0; r < p; r++) {
    let s = TM[r + k * p];
    for (let j = 0; j < p; j++) s -= TM[r + j * p] * shift[j];
    out[r + k * p] = s;
  }
  return out;
}
