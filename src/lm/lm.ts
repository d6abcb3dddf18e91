/**
 * Linear models by least squares (R's lm, summary.lm, logLik.lm).
 *
 * Model: y = X b + offset + e, e_i ~ N(0, sigma^2 / w_i), w the prior weights
 * (1 when absent). b minimises sum_i w_i (y_i - offset_i - x_i' b)^2 by QR of
 * sqrt(w) X with R's pivoting; columns the QR finds aliased are dropped.
 * With r = rank, m = number of rows with w_i > 0 and RSS = sum w_i e_i^2:
 *   sigma^2 = RSS / (m - r),   vcov(b) = sigma^2 (R'R)^-1,
 *   R^2 = MSS / (MSS + RSS), MSS about the weighted mean of the fitted values
 *     minus offset when the formula has an intercept, about 0 otherwise,
 *   logLik = (sum log w_i - m (log(2 pi) + 1 - log m + log RSS)) / 2 over rows
 *     with w_i > 0, with df = r + 1 parameters.
 *
 * Messages (perfectFit.ts): R's summary.lm warning for an essentially perfect
 * fit, and a note when the response is constant. Their numbers are computed
 * as R computes them (rounding error when RSS is not exactly 0, Inf or NaN
 * when it is), not replaced: the message says what they are worth.
 */
import { diagnose, diagnostic, type Diagnosed, type Diagnostic } from '../diagnostics.js';
import { MixedModelsError, expectArgument } from '../errors.js';
import type { ModelFrame } from '../frame/types.js';
import { pfUpper } from '../distributions/f.js';
import { ptTwoSided } from '../distributions/t.js';
import { QR_TOL } from '../linalg/qr.js';
import type { Coefficient } from './coefficient.js';
import { perfectFitDiagnostics } from './perfectFit.js';
import { wlsFit } from './wls.js';

export interface FStatistic {
  readonly value: number;
  readonly numDf: number;
  readonly denDf: number;
  readonly pValue: number;
}

/** A fitted linear model: plain, immutable data; its diagnostics are notes (an lm always converges). */
export interface LmFit extends Diagnosed {
  /** Estimable coefficients in the frame's column order, with t tests on `dfResidual` df. */
  readonly coefficients: readonly Coefficient[];
  /** Columns without an estimate: the frame's aliased columns, then those the QR found. */
  readonly aliased: readonly string[];
  readonly rank: number;
  /** Rows with positive weight (R's nobs). */
  readonly nobs: number;
  readonly dfResidual: number;
  /** Residual standard error. */
  readonly sigma: number;
  readonly rSquared: number;
  readonly adjRSquared: number;
  /** Null for a model with only an intercept (or nothing). */
  readonly fStatistic: FStatistic | null;
  /** Weighted residual sum of squares (R's deviance.lm). */
  readonly deviance: number;
  readonly logLik: number;
  /** Number of parameters in logLik: rank + 1 (sigma). */
  readonly df: number;
  readonly AIC: number;
  readonly BIC: number;
  /** X b + offset. */
  readonly fitted: Float64Array;
  /** y - fitted (not weighted). */
  readonly residuals: Float64Array;
  /** sigma^2 (X'WX)^-1, rank x rank column-major, in the order of `coefficients`. */
  readonly vcov: Float64Array;
  /** (X'WX)^-1 alone (R's cov.unscaled), as `vcov`: still defined when sigma is 0. */
  readonly covUnscaled: Float64Array;
}

/** Fits the linear model of a model frame. */
export function lmFit(frame: ModelFrame): LmFit {
  expectArgument('lmFit', 'frame', frame, { object: 'a model frame (from modelFrame or buildFrame)', keys: ['X', 'y', 'reTerms'] });
  validateLmFrame(frame);
  const { X, nobs: n, p, y, weights: w, offset, colnames } = frame;
  const z = offset === null ? y : y.map((v, i) => v - offset[i]);
  const fit = wlsFit(X, n, p, z, w, QR_TOL);
  const rank = fit.rank;
  const fitted = linearPredictor(X, n, p, fit.coef, offset);
  const residuals = y.map((v, i) => v - fitted[i]);
  const m = fit.nUsed;
  const dfResidual = m - rank;
  const rss = weightedSum(residuals, residuals, w);
  const sigma = Math.sqrt(rss / dfResidual);
  const kept = fit.pivot.slice(0, rank);
  const covUnscaled = fit.unscaledCov();
  const vcov = covUnscaled.map((v) => v * sigma * sigma);
  const coefficients = Array.from(kept, (j, k): Coefficient => {
    const estimate = fit.coef[j];
    const stdError = Math.sqrt(vcov[k * rank + k]);
    const statistic = estimate / stdError;
    return { term: colnames[j], estimate, stdError, statistic, df: dfResidual, pValue: ptTwoSided(statistic, dfResidual) };
  });
  const fitQuality = rSquaredAndF(fitted, offset, w, rss, rank, dfResidual, frame.formula.fixed.intercept);
  const logLik = lmLogLik(w, rss, m);
  const df = rank + 1;
  return {
    coefficients,
    aliased: [...frame.aliased, ...fit.aliased().map((j) => colnames[j])],
    rank,
    nobs: m,
    dfResidual,
    sigma,
    ...fitQuality,
    deviance: rss,
    logLik,
    df,
    AIC: -2 * logLik + 2 * df,
    BIC: -2 * logLik + Math.log(m) * df,
    fitted,
    residuals,
    vcov,
    covUnscaled,
    ...diagnose([...perfectFitDiagnostics(frame, fitted, sigma * sigma, rank), ...offsetFitNote(fitQuality, fitted, offset, w, rss, rank, dfResidual, frame.formula.fixed.intercept)]),
  };
}

/**
 * With an offset, R^2 and F take it out of the fitted values (R 4.3's summary.lm, PR#18008); R 4.2 and
 * earlier left it in, and gave other values: a note with those, where they differ.
 */
function offsetFitNote(
  quality: ReturnType<typeof rSquaredAndF>, fitted: Float64Array, offset: Float64Array | null, w: Float64Array | null,
  rss: number, rank: number, rdf: number, intercept: boolean,
): Diagnostic[] {
  if (offset === null || quality.fStatistic === null) return [];
  const old = rSquaredAndF(fitted, null, w, rss, rank, rdf, intercept);
  if (old.fStatistic === null || Math.abs(old.rSquared - quality.rSquared) <= 1e-12 * Math.abs(quality.rSquared)) return [];
  const f = (x: number) => x.toPrecision(4);
  return [diagnostic('note',
    `R-squared and the F statistic leave the offset out of the fitted values, as R 4.3 and later; R 4.2 and earlier kept it in: ` +
      `R-squared ${f(old.rSquared)}, adjusted ${f(old.adjRSquared)}, F ${f(old.fStatistic.value)} (here ${f(quality.rSquared)}, ${f(quality.adjRSquared)}, ${f(quality.fStatistic.value)})`)];
}

function validateLmFrame(frame: ModelFrame): void {
  const { nobs: n, p, X, y, weights, trials } = frame;
  if (n === 0) throw new MixedModelsError('no observations to fit (0 rows after removing missing values)');
  if (X.length !== n * p || y.length !== n) throw new MixedModelsError(`model frame sizes disagree: X has ${X.length} values for ${n} x ${p}`);
  if (trials !== null) throw new MixedModelsError('a cbind(successes, failures) response needs a binomial model, not lm');
  if (!y.every(Number.isFinite)) throw new MixedModelsError(`the response ${frame.responseName} has non-finite values (NaN or Inf)`);
  if (weights !== null && !weights.every((v) => v >= 0 && Number.isFinite(v))) {
    throw new MixedModelsError('weights must be finite and non-negative');
  }
}

/** X b + offset for the n x p column-major X. */
export function linearPredictor(X: Float64Array, n: number, p: number, b: Float64Array, offset: Float64Array | null): Float64Array {
  const eta = offset === null ? new Float64Array(n) : Float64Array.from(offset);
  for (let j = 0; j < p; j++) {
    const bj = b[j];
    if (bj === 0) continue;
    for (let i = 0; i < n; i++) eta[i] += X[j * n + i] * bj;
  }
  return eta;
}

/** sum_i w_i a_i b_i (w null: unit weights). */
function weightedSum(a: Float64Array, b: Float64Array, w: Float64Array | null): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (w === null ? 1 : w[i]) * a[i] * b[i];
  return s;
}

/** R^2, adjusted R^2 and the overall F test as summary.lm computes them. */
function rSquaredAndF(
  fitted: Float64Array,
  offset: Float64Array | null,
  w: Float64Array | null,
  rss: number,
  rank: number,
  rdf: number,
  intercept: boolean,
): { rSquared: number; adjRSquared: number; fStatistic: FStatistic | null } {
  const dfInt = intercept ? 1 : 0;
  if (rank === dfInt) return { rSquared: 0, adjRSquared: 0, fStatistic: null };
  const f = offset === null ? fitted : fitted.map((v, i) => v - offset[i]);
  let center = 0;
  if (intercept) {
    let sw = 0;
    for (let i = 0; i < f.length; i++) {
      const wi = w === null ? 1 : w[i];
      center += wi * f[i];
      sw += wi;
    }
    center /= sw;
  }
  const dev = f.map((v) => v - center);
  const mss = weightedSum(dev, dev, w);
  const rSquared = mss / (mss + rss);
  const numDf = rank - dfInt;
  const value = mss / numDf / (rss / rdf);
  return {
    rSquared,
    adjRSquared: 1 - (1 - rSquared) * ((rdf + rank - dfInt) / rdf),
    fStatistic: { value, numDf, denDf: rdf, pValue: pfUpper(value, numDf, rdf) },
  };
}

/** R's logLik.lm (ML, not REML) over the m rows with positive weight. */
function lmLogLik(w: Float64Array | null, rss: number, m: number): number {
  let sumLogW = 0;
  if (w !== null) for (const wi of w) if (wi > 0) sumLogW += Math.log(wi);
  return 0.5 * (sumLogW - m * (Math.log(2 * Math.PI) + 1 - Math.log(m) + Math.log(rss)));
}
