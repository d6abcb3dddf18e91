/**
 * The elastic-net path (glmnet 4.1.6's elnet, lognet and fishnet drivers):
 * standardise, solve at each lambda warm-started from the last, and return the
 * coefficients on the original scale.
 *
 * Conventions reproduced from glmnet:
 * - weights are normalised to sum 1; binomial rows weigh their trials (a
 *   two-column y); gaussian y is centred (with an intercept) and scaled by
 *   ys = sqrt(sum w (y - ym)^2), so its lambdas are solved as lambda / ys;
 *   an offset is subtracted from a gaussian y;
 * - penalty factors are rescaled to sum to the number of columns;
 * - generated sequence: the first fit at lambda = 9.9e35 (the null model; for
 *   ridge every coefficient is then about 1e-37, not 0), then
 *   lambda_max = max_j |g_j| / vp_j / max(alpha, 1e-3) from the null model's
 *   gradient, and lambda_m = lambda_max * r^(m / (nlambda - 1)) for m >= 1,
 *   r = max(lambda.min.ratio, 1e-6); the first lambda is reported as
 *   exp(2 log lambda_2 - log lambda_3) (fix.lam);
 * - the path stops early (never before 5 lambdas, never for a user sequence)
 *   when the fraction of deviance explained exceeds 0.999 or grows too little:
 *   by less than 1e-5 relative to itself (gaussian), 1e-5 absolute (binomial),
 *   or 1e-4 relative over the last 4 steps (poisson: glmnet multiplies fdev by 10).
 */
import { MixedModelsError } from '../errors.js';
import { COVARIANCE_MAX_COLUMNS, CovarianceSolver } from './covarianceSolver.js';
import { ElnetSolver, MaxPassesError, type ElnetProblem, type PointSolver } from './elnetSolver.js';
import { GLMNET_FAMILIES, PMIN, type GlmnetFamilyName } from './family.js';
import type { CscMatrix } from './sparseDesign.js';
import { nullModelLoss } from './nullModel.js';
import { normalizeWeights, standardize } from './standardize.js';

/**
 * Options of `elnetPath`: family, alpha, lambda sequence or its length and ratio, penalty factors and tolerance.
 */
export interface PathOptions {
  family: GlmnetFamilyName;
  /** 1 lasso, 0 ridge. */
  alpha: number;
  /** Length of the generated sequence (default 100). */
  nlambda?: number;
  /** Default 1e-4, or 0.01 when there are fewer rows than columns. */
  lambdaMinRatio?: number;
  /** A user sequence (solved in decreasing order) instead of the generated one. */
  lambda?: readonly number[];
  /** Scale the columns to unit weighted variance (default true). */
  standardize?: boolean;
  intercept?: boolean;
  /** Per column; 0 leaves a column unpenalised. */
  penaltyFactor?: ArrayLike<number>;
  /**
   * Blocks of indicator columns (a factor's full coding) that are all unpenalised beside the
   * intercept, so that the intercept and the block are only determined up to a shift: the first
   * of a block's columns that varies in the data is held at 0 while fitting, and the levels present
   * are reported with coefficients averaging 0 (the same fitted values), so that a level not in
   * the data (its coefficient 0) is predicted at their mean.
   */
  freeBlocks?: readonly Int32Array[];
  /** Convergence threshold relative to the null deviance (default 1e-14, far tighter than glmnet's 1e-7). */
  thresh?: number;
  /** Most passes over the data in all (default 1e5, glmnet's). */
  maxit?: number;
}

/** The design an elastic-net path is fitted to: standardised sparse columns, response, weights and offset. */
export interface PathData {
  x: CscMatrix;
  /** gaussian/poisson: the response; binomial: proportions. */
  y: Float64Array;
  /** Prior weights (binomial: trials times user weights); null = 1. */
  weights: Float64Array | null;
  offset: Float64Array | null;
  /** Indicator column sets partitioning the rows (SparseDesign.blocks). */
  blocks?: readonly Int32Array[];
}

/** Coefficients at one lambda on the original scale: the nonzero ones. */
export interface PathPoint {
  readonly lambda: number;
  readonly intercept: number;
  readonly index: Int32Array;
  readonly value: Float64Array;
  readonly devRatio: number;
}

/** The solution path: lambdas, coefficients (intercept and betas) per lambda, df and deviance ratios. */
export interface GlmnetPath {
  readonly family: GlmnetFamilyName;
  readonly alpha: number;
  readonly points: readonly PathPoint[];
  /** Deviance of the null model (glmnet's nulldev). */
  readonly nullDeviance: number;
  readonly p: number;
  /** Whether the sequence was the user's (no early stop, no fix.lam). */
  readonly userLambda: boolean;
  readonly passes: number;
  readonly messages: readonly string[];
}

const BIG = 9.9e35;
const MIN_RATIO = 1e-6;
const FDEV = 1e-5;
const DEVMAX = 0.999;
const MNLAM = 5;

/**
 * The elastic-net solution path on a design (the pipeline stage under `glmnet`): coordinate descent with warm starts along the lambda sequence, exact on the active set.
 */
export function elnetPath(data: PathData, options: PathOptions): GlmnetPath {
  const setup = prepare(data, options);
  const { solver, ys, ym, lambdas, userLambda } = setup;
  const nlam = lambdas?.length ?? options.nlambda ?? 100;
  const flmin = Math.max(options.lambdaMinRatio ?? (data.x.n < data.x.p ? 0.01 : 1e-4), MIN_RATIO);
  const alf = Math.pow(flmin, 1 / (nlam - 1));
  const points: PathPoint[] = [];
  const messages: string[] = [];
  const mnl = Math.min(MNLAM, nlam);
  solver.solve(BIG, 0);
  solver.markNull(nullModelLoss(solver.prob));
  if (lambdas === null) points.push(point(setup, BIG * ys, ym));
  let lam = BIG;
  for (let m = lambdas === null ? 1 : 0; m < nlam; m++) {
    let prev = lam;
    if (lambdas !== null) {
      prev = m === 0 ? lambdas[0] : lam;
      lam = lambdas[m];
    }
    else if (m === 1) {
      prev = lambdaMax(solver, options.alpha);
      lam = prev * alf;
    } else lam *= alf;
    try {
      solver.solve(lam, prev);
    } catch (err) {
      if (!(err instanceof MaxPassesError)) throw err;
      messages.push(`convergence for the ${ordinal(m + 1)} lambda not reached after ${err.maxit} passes; solutions for larger lambdas returned`);
      break;
    }
    points.push(point(setup, lam * ys, ym));
    if (userLambda || m + 1 < mnl) continue;
    if (stop(options.family, points, mnl) || solver.tooSmall) break;
  }
  if (!userLambda && points.length > 2) {
    const l1 = points[1].lambda, l2 = points[2].lambda;
    points[0] = { ...points[0], lambda: Math.exp(2 * Math.log(l1) - Math.log(l2)) };
  }
  const sw = setup.sumWeights;
  return {
    family: options.family,
    alpha: options.alpha,
    points,
    nullDeviance: 2 * sw * (solver.nullLoss - solver.saturated) * ys * ys,
    p: data.x.p,
    userLambda,
    passes: solver.passes,
    messages,
  };
}

function ordinal(k: number): string {
  const s = k % 100 >= 11 && k % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th');
  return `${k}${s}`;
}

interface Setup {
  solver: PointSolver;
  /** gaussian: y's centre and scale; others 0 and 1. */
  ym: number;
  ys: number;
  sumWeights: number;
  /** User lambdas in the solver's units, decreasing; null for a generated sequence. */
  lambdas: Float64Array | null;
  userLambda: boolean;
  /** The free blocks' columns present in the rows (PathOptions.freeBlocks): reported with their coefficients averaging 0. */
  centred: Int32Array[];
}

function prepare(data: PathData, options: PathOptions): Setup {
  const { x } = data;
  const n = x.n, p = x.p;
  if (data.y.length !== n) throw new MixedModelsError(`the response has ${data.y.length} values for ${n} rows`);
  if (!(options.alpha >= 0 && options.alpha <= 1)) throw new MixedModelsError(`alpha must be between 0 and 1, not ${options.alpha}`);
  const nlambda = options.nlambda ?? 100;
  if (options.lambda === undefined && !(Number.isInteger(nlambda) && nlambda >= 1)) throw new MixedModelsError(`nlambda must be a positive whole number, not ${nlambda}`);
  if (options.lambdaMinRatio !== undefined && !(options.lambdaMinRatio > 0 && options.lambdaMinRatio < 1)) {
    throw new MixedModelsError(`lambda.min.ratio must be between 0 and 1, not ${options.lambdaMinRatio}`);
  }
  const intercept = options.intercept ?? true;
  const raw = data.weights ?? new Float64Array(n).fill(1);
  let sumWeights = 0;
  for (let i = 0; i < n; i++) sumWeights += raw[i];
  if (!(sumWeights > 0)) throw new MixedModelsError('the weights sum to zero: no row carries information');
  const w = normalizeWeights(raw);
  const family = GLMNET_FAMILIES[options.family];
  let y = data.y, ym = 0, ys = 1, offset = data.offset;
  if (options.family === 'gaussian') {
    ({ y, ym, ys } = standardizeResponse(data.y, offset, w, intercept));
    offset = null;
  } else checkResponse(options.family, y, w);
  const std = standardize(x, w, intercept, options.standardize ?? true);
  // A free block's levels present in these rows (a fold may lack some): one held at 0, all reported averaging 0. The block
  // keeps its joint update with the intercept (indicatorBlock.ts), the held level among those at 0: exact in a few passes,
  // where one-coordinate descent on the other levels took thousands and stopped 1e-3 short in the held level's effect.
  // (Its F' is no longer flat: the held level's rows tie the intercept.)
  const centred = intercept ? (options.freeBlocks ?? []).map((b) => b.filter((k) => std.usable[k] === 1)).filter((b) => b.length > 0) : [];
  const excluded = new Set(centred.map((b) => b[0]));
  for (const j of excluded) std.usable[j] = 0;
  if (!std.usable.some((u) => u === 1)) throw new MixedModelsError('every column of the design is constant: there is nothing to fit');
  const vp = penaltyFactors(options.penaltyFactor, p);
  const prob: ElnetProblem = { family, std, w, y, offset, intercept, alpha: options.alpha, vp, thresh: options.thresh ?? 1e-14, maxit: options.maxit ?? 1e5, blocks: data.blocks };
  let lambdas: Float64Array | null = null;
  if (options.lambda !== undefined) {
    if (options.lambda.length === 0 || options.lambda.some((l) => !(l >= 0 && Number.isFinite(l)))) throw new MixedModelsError('lambda values must be finite and non-negative');
    lambdas = Float64Array.from(options.lambda, (l) => l / ys).sort().reverse();
  }
  const covariance = options.family === 'gaussian' && p <= COVARIANCE_MAX_COLUMNS;
  const solver = covariance ? new CovarianceSolver(prob) : new ElnetSolver(prob);
  return { solver, ym, ys, sumWeights, lambdas, userLambda: lambdas !== null, centred };
}

/** glmnet's gaussian response: (y - offset - ym) / ys. */
function standardizeResponse(y0: Float64Array, offset: Float64Array | null, w: Float64Array, intercept: boolean) {
  const n = y0.length;
  const y = Float64Array.from(y0, (v, i) => v - (offset === null ? 0 : offset[i]));
  let ym = 0;
  if (intercept) for (let i = 0; i < n; i++) ym += w[i] * y[i];
  const first = y.findIndex((_, i) => w[i] > 0);
  if (intercept && y.every((v, i) => w[i] === 0 || v === y[first])) throw new MixedModelsError('the response is constant: a gaussian elastic net has nothing to fit');
  let ss = 0;
  for (let i = 0; i < n; i++) ss += w[i] * (y[i] - ym) ** 2;
  const ys = Math.sqrt(ss);
  if (!(ys > 0)) throw new MixedModelsError('the response is zero: a gaussian elastic net without an intercept has nothing to fit');
  for (let i = 0; i < n; i++) y[i] = (y[i] - ym) / ys;
  return { y, ym, ys };
}

function checkResponse(family: GlmnetFamilyName, y: Float64Array, w: Float64Array): void {
  let m = 0;
  for (let i = 0; i < y.length; i++) {
    if (w[i] === 0) continue;
    if (family === 'binomial' && !(y[i] >= 0 && y[i] <= 1)) throw new MixedModelsError(`a binomial response must lie in [0, 1] (or be cbind(successes, failures) or a two-level factor); row ${i + 1} has ${y[i]}`);
    if (family === 'poisson' && !(y[i] >= 0)) throw new MixedModelsError(`a poisson response must be non-negative; row ${i + 1} has ${y[i]}`);
    m += w[i] * y[i];
  }
  if (family === 'binomial' && !(m > PMIN && m < 1 - PMIN)) throw new MixedModelsError(`the binomial response has only ${m <= PMIN ? 'failures' : 'successes'}: there is nothing to fit`);
  if (family === 'poisson' && !(m > 0)) throw new MixedModelsError('every count is zero: a poisson elastic net has nothing to fit');
}

/** glmnet's penalty factors: negative ones set to 0, then scaled to sum to p. */
function penaltyFactors(given: ArrayLike<number> | undefined, p: number): Float64Array {
  if (given === undefined) return new Float64Array(p).fill(1);
  if (given.length !== p) throw new MixedModelsError(`penalty factors have ${given.length} values for ${p} columns`);
  const vp = Float64Array.from(given, (v) => Math.max(v, 0));
  const s = vp.reduce((a, b) => a + b, 0);
  if (!(s > 0)) throw new MixedModelsError('every penalty factor is zero: at least one column must be penalised');
  return vp.map((v) => (v * p) / s);
}

/** max_j |g_j| / vp_j over the penalised usable columns, over max(alpha, 1e-3). */
function lambdaMax(solver: PointSolver, alpha: number): number {
  const { vp, std } = solver.prob;
  let m = 0;
  for (let j = 0; j < solver.p; j++) if (std.usable[j] && vp[j] > 0) m = Math.max(m, solver.absGrad[j] / vp[j]);
  return m / Math.max(alpha, 1e-3);
}

function point(setup: Setup, lambda: number, ym: number): PathPoint {
  const { solver, ys, centred } = setup;
  const { shift, scale } = solver.prob.std;
  const coef = new Float64Array(solver.p);
  let a = solver.a0;
  for (let j = 0; j < solver.p; j++) {
    const b = solver.beta[j];
    if (b === 0) continue;
    coef[j] = (ys * b) / scale[j];
    a -= (b * shift[j]) / scale[j];
  }
  let intercept = ym + ys * a;
  // A free block (PathOptions.freeBlocks): the levels' coefficients shifted to average 0, the intercept by the same.
  for (const block of centred) {
    let mean = 0;
    for (const j of block) mean += coef[j];
    mean /= block.length;
    intercept += mean;
    for (const j of block) coef[j] -= mean;
  }
  // Counted, then filled: Int32Array.from(list) walks the list by the iterator protocol, which
  // allocated more than the fit itself over a ridge path with CV (1000 nonzero columns a point).
  let nz = 0;
  for (let j = 0; j < solver.p; j++) if (coef[j] !== 0) nz++;
  const index = new Int32Array(nz), value = new Float64Array(nz);
  for (let j = 0, t = 0; j < solver.p; j++) {
    if (coef[j] === 0) continue;
    index[t] = j;
    value[t++] = coef[j];
  }
  const devRatio = (solver.nullLoss - solver.loss) / (solver.nullLoss - solver.saturated);
  return { lambda, intercept, index, value, devRatio: Number.isNaN(devRatio) ? 0 : devRatio };
}

function stop(family: GlmnetFamilyName, points: readonly PathPoint[], mnl: number): boolean {
  const m = points.length - 1;
  if (m === 0) return false;
  const dev = points[m].devRatio;
  if (dev > DEVMAX) return true;
  if (family === 'gaussian') {
    const change = dev === 0 ? Infinity : (dev - points[m - 1].devRatio) / dev;
    return change < FDEV;
  }
  if (family === 'binomial') return dev - points[m - 1].devRatio < FDEV;
  const before = points[m - mnl + 1].devRatio;
  return (dev - before) / dev < 10 * FDEV;
}
