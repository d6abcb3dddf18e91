/**
 * K-fold cross-validation of the elastic-net path, as cv.glmnet 4.1.6 does it:
 *
 * - each fold's model is fitted to the other folds with its own lambda
 *   sequence (or the user's), and predicts its held-out rows at the full
 *   fit's lambdas by interpolation along its own path (interpolate.ts);
 * - the loss of each held-out row (cvMeasures.ts) is averaged per fold with
 *   the rows' weights (binomial: times their trials), giving cv_k, and
 *   cvm = sum_k W_k cv_k / sum_k W_k, W_k the fold's total weight;
 *   cvsd = sqrt(sum_k W_k (cv_k - cvm)^2 / sum_k W_k / (K - 1)).
 *   With fewer than 3 rows per fold the rows are used directly (grouped =
 *   FALSE): cvm the weighted mean over rows and cvsd with N - 1, N rows;
 * - AUC is computed per fold and averaged over folds with their weights;
 * - lambda.min is the largest lambda minimising cvm (maximising AUC);
 *   lambda.1se the largest lambda whose cvm is within one cvsd of it.
 */
import { MixedModelsError } from '../errors.js';
import { checkMeasure, measureName, rowLoss, weightedAuc, type TypeMeasure } from './cvMeasures.js';
import { interpolation } from './interpolate.js';
import { elnetPath, type GlmnetPath, type PathData, type PathOptions, type PathPoint } from './path.js';
import { cscRows, type CscMatrix } from './sparseDesign.js';

/**
 * The cross-validation curve: per lambda the mean and standard error of the measure, nonzero counts, and lambda.min and lambda.1se.
 */
export interface CvResult {
  readonly measure: TypeMeasure;
  /** glmnet's name of the measure, e.g. `Binomial Deviance`. */
  readonly name: string;
  readonly nfolds: number;
  /** The full fit's lambdas that have a cvm (all, unless a fold gave none). */
  readonly lambda: Float64Array;
  readonly cvm: Float64Array;
  readonly cvsd: Float64Array;
  /** Nonzero coefficients at each lambda (the full fit's). */
  readonly nzero: Int32Array;
  readonly lambdaMin: number;
  readonly lambda1se: number;
  /** Indices of lambdaMin and lambda1se in `lambda`. */
  readonly indexMin: number;
  readonly index1se: number;
  readonly messages: readonly string[];
}

/** A fold's path; its error names the fold, since the whole data may well be fitted (e.g. one fold holds every success). */
function foldPath(k: number, fit: () => GlmnetPath): GlmnetPath {
  try {
    return fit();
  } catch (err) {
    if (err instanceof MixedModelsError) throw new MixedModelsError(`cross-validation: the fit without fold ${k}'s rows fails: ${err.message}`);
    throw err;
  }
}

/** Fold numbers 1..K per row, checked: whole numbers, every fold used, at least 3 folds. */
export function checkFoldid(foldid: ArrayLike<number>, n: number): Int32Array {
  if (foldid.length !== n) throw new MixedModelsError(`the fold ids have ${foldid.length} values for ${n} rows`);
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const f = foldid[i];
    if (!(Number.isInteger(f) && f >= 1)) throw new MixedModelsError(`fold ids must be whole numbers from 1; row ${i + 1} has ${Number.isNaN(f) ? 'a missing value' : f}`);
    out[i] = f;
    k = Math.max(k, f);
  }
  const used = new Uint8Array(k + 1);
  out.forEach((f) => (used[f] = 1));
  const empty = used.findIndex((u, f) => f >= 1 && u === 0);
  if (empty >= 0) throw new MixedModelsError(`fold ${empty} has no rows: number the folds 1 to ${k} without gaps`);
  if (k < 3) throw new MixedModelsError(`cross-validation needs at least 3 folds; the fold ids give ${k}`);
  return out;
}

/**
 * Cross-validates an elastic-net path on given folds as cv.glmnet does: per fold a path, predictions at the full fit's lambdas, cvm and cvsd weighted by fold size, lambda.min and lambda.1se.
 */
export function cvElnet(data: PathData, options: PathOptions, full: GlmnetPath, foldid: Int32Array, measure0?: TypeMeasure | 'default'): CvResult {
  const n = data.x.n;
  const nfolds = checkFoldid(foldid, n).reduce((a, b) => Math.max(a, b), 0);
  const messages: string[] = [];
  let measure = checkMeasure(full.family, measure0);
  if (measure === 'auc' && n / nfolds < 10) {
    messages.push("too few (< 10) observations per fold for type.measure = 'auc'; used 'deviance' instead");
    measure = 'deviance';
  }
  const lambdas = full.points.map((p) => p.lambda);
  const L = lambdas.length;
  const eta = new Float64Array(n * L);
  const userLambda = full.userLambda ? lambdas : undefined;
  for (let k = 1; k <= nfolds; k++) {
    const out: number[] = [], train: number[] = [];
    for (let i = 0; i < n; i++) (foldid[i] === k ? out : train).push(i);
    const fit = foldPath(k, () => elnetPath(subset(data, Int32Array.from(train)), { ...options, lambda: userLambda }));
    predictHeldOut(fit, data, Int32Array.from(out), lambdas, eta);
  }
  const w = data.weights ?? new Float64Array(n).fill(1);
  const stats = measure === 'auc' ? aucStats(data.y, w, eta, foldid, nfolds, L) : lossStats(full, measure, data.y, w, eta, foldid, nfolds, L, messages);
  const keep = Array.from({ length: L }, (_, m) => m).filter((m) => Number.isFinite(stats.cvsd[m]));
  if (keep.length === 0) throw new MixedModelsError('cross-validation gave no finite error estimate at any lambda');
  const lambda = Float64Array.from(keep, (m) => lambdas[m]);
  const cvm = Float64Array.from(keep, (m) => stats.cvm[m]);
  const cvsd = Float64Array.from(keep, (m) => stats.cvsd[m]);
  const nzero = Int32Array.from(keep, (m) => full.points[m].index.length);
  const opt = optimalLambdas(lambda, cvm, cvsd, measure === 'auc');
  return { measure, name: measureName(full.family, measure), nfolds, lambda, cvm, cvsd, nzero, ...opt, messages };
}

function subset(data: PathData, rows: Int32Array): PathData {
  const pick = (v: Float64Array | null) => (v === null ? null : Float64Array.from(rows, (r) => v[r]));
  return { x: cscRows(data.x, rows), y: pick(data.y)!, weights: pick(data.weights), offset: pick(data.offset), blocks: data.blocks };
}

/** Link predictions of the held-out rows at each full-data lambda, into eta (row-major n x L). */
function predictHeldOut(fit: GlmnetPath, data: PathData, rows: Int32Array, lambdas: readonly number[], eta: Float64Array): void {
  const x = cscRows(data.x, rows);
  const L = lambdas.length;
  const cache = new Map<number, Float64Array>();
  const at = (m: number) => {
    let e = cache.get(m);
    if (e === undefined) cache.set(m, (e = linkAt(fit.points[m], x)));
    return e;
  };
  lambdas.forEach((s, c) => {
    const { left, right, frac } = interpolation(fit.points, s);
    const a = at(left), b = at(right);
    rows.forEach((r, i) => (eta[r * L + c] = frac * a[i] + (1 - frac) * b[i] + (data.offset === null ? 0 : data.offset[r])));
  });
}

/** Intercept + x b at one path point (no offset). */
export function linkAt(point: PathPoint, x: CscMatrix): Float64Array {
  const e = new Float64Array(x.n).fill(point.intercept);
  point.index.forEach((j, k) => {
    const b = point.value[k];
    for (let t = x.colPtr[j]; t < x.colPtr[j + 1]; t++) e[x.rowIdx[t]] += x.values[t] * b;
  });
  return e;
}

interface Stats {
  cvm: Float64Array;
  cvsd: Float64Array;
}

function lossStats(full: GlmnetPath, measure: Exclude<TypeMeasure, 'auc'>, y: Float64Array, w: Float64Array, eta: Float64Array, foldid: Int32Array, K: number, L: number, messages: string[]): Stats {
  const n = y.length;
  const raw = new Float64Array(n * L);
  for (let i = 0; i < n; i++) for (let c = 0; c < L; c++) raw[i * L + c] = rowLoss(full.family, measure, y[i], eta[i * L + c]);
  if (n / K >= 3) return groupedStats(raw, w, foldid, K, L);
  messages.push('fewer than 3 observations per fold: the error estimates use the rows directly (grouped = FALSE)');
  return rowStats(raw, w, n, L);
}

/** Per-fold weighted means, then their weighted mean and spread over folds (cvcompute + cvstats). */
function groupedStats(raw: Float64Array, w: Float64Array, foldid: Int32Array, K: number, L: number): Stats {
  const n = w.length;
  const foldMean = new Float64Array(K * L), foldW = new Float64Array(K * L), foldTotal = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    const k = foldid[i] - 1;
    foldTotal[k] += w[i];
    for (let c = 0; c < L; c++) {
      const v = raw[i * L + c];
      if (!Number.isFinite(v)) continue;
      foldMean[k * L + c] += w[i] * v;
      foldW[k * L + c] += w[i];
    }
  }
  const cv = foldMean.map((s, t) => s / foldW[t]);
  return spread(cv, foldTotal, K, L, K);
}

/** Weighted mean over groups and sqrt(weighted mean of squared deviations / (N - 1)), skipping NaN. */
function spread(cv: Float64Array, weight: Float64Array, G: number, L: number, N: number): Stats {
  const cvm = new Float64Array(L), cvsd = new Float64Array(L);
  for (let c = 0; c < L; c++) {
    let s = 0, sw = 0;
    for (let g = 0; g < G; g++) {
      const v = cv[g * L + c];
      if (!Number.isFinite(v)) continue;
      s += weight[g] * v;
      sw += weight[g];
    }
    const m = s / sw;
    let ss = 0;
    for (let g = 0; g < G; g++) {
      const v = cv[g * L + c];
      if (Number.isFinite(v)) ss += weight[g] * (v - m) ** 2;
    }
    cvm[c] = m;
    cvsd[c] = Math.sqrt(ss / sw / (N - 1));
  }
  return { cvm, cvsd };
}

function rowStats(raw: Float64Array, w: Float64Array, n: number, L: number): Stats {
  const out = spread(raw, w, n, L, n);
  for (let c = 0; c < L; c++) {
    let m = 0;
    for (let i = 0; i < n; i++) if (Number.isFinite(raw[i * L + c])) m++;
    out.cvsd[c] *= Math.sqrt((n - 1) / (m - 1));
  }
  return out;
}

/** AUC per fold (weights w per row), averaged over folds with the folds' total weights. */
function aucStats(y: Float64Array, w: Float64Array, eta: Float64Array, foldid: Int32Array, K: number, L: number): Stats {
  const n = y.length;
  const cv = new Float64Array(K * L), total = new Float64Array(K);
  for (let k = 1; k <= K; k++) {
    const rows = Array.from({ length: n }, (_, i) => i).filter((i) => foldid[i] === k);
    const yk = rows.map((i) => y[i]), wk = rows.map((i) => w[i]);
    total[k - 1] = wk.reduce((a, b) => a + b, 0);
    for (let c = 0; c < L; c++) cv[(k - 1) * L + c] = weightedAuc(yk, rows.map((i) => eta[i * L + c]), wk);
  }
  return spread(cv, total, K, L, K);
}

/** getOptcv.glmnet: lambda.min and lambda.1se (AUC is maximised). */
function optimalLambdas(lambda: Float64Array, cvm0: Float64Array, cvsd: Float64Array, maximise: boolean) {
  const cvm = maximise ? cvm0.map((v) => -v) : cvm0;
  let best = Infinity;
  cvm.forEach((v) => (best = Math.min(best, v)));
  let indexMin = -1;
  lambda.forEach((l, m) => {
    if (cvm[m] <= best && (indexMin < 0 || l > lambda[indexMin])) indexMin = m;
  });
  const bound = cvm[indexMin] + cvsd[indexMin];
  let index1se = -1;
  lambda.forEach((l, m) => {
    if (cvm[m] <= bound && (index1se < 0 || l > lambda[index1se])) index1se = m;
  });
  return { lambdaMin: lambda[indexMin], lambda1se: lambda[index1se], indexMin, index1se };
}
