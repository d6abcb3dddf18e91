/**
 * The elastic net from a formula, as R's glmnet 4.1.6 and cv.glmnet: the
 * entry points compose penalizedFrame -> elnetPath -> cvElnet.
 *
 *   minimise  loss(b0, b) / n + lambda [(1 - alpha) / 2 ||b||^2 + alpha ||b||_1]
 *
 * (gaussian: half the mean squared error; binomial and poisson: minus the
 * mean log-likelihood; weighted means with prior weights, binomial rows
 * weighing their trials), on standardised columns by default, the intercept
 * unpenalised. Categorical variables enter with one indicator per level.
 */
import { toTable } from '../data/table.js';
import type { DataTable } from '../data/types.js';
import { MixedModelsError } from '../errors.js';
import { expandFormula, parseFormula } from '../formula/index.js';
import { checkFoldid, cvElnet, type CvResult } from './cv.js';
import type { TypeMeasure } from './cvMeasures.js';
import type { GlmnetFamilyName } from './family.js';
import { randomFoldid } from './foldid.js';
import { coefficientsAt } from './interpolate.js';
import { newDesign } from './newDesign.js';
import { COVARIANCE_MAX_COLUMNS } from './covarianceSolver.js';
import { elnetPath, type GlmnetPath, type PathData, type PathOptions } from './path.js';
import { columnOrValues, penalizedFrame, type PenalizedFrame } from './penalizedFrame.js';
import { linkAt } from './cv.js';
import { GLMNET_FAMILIES } from './family.js';

/**
 * The options of `glmnet`: family, alpha (1 lasso, 0 ridge), weights, offset, standardisation, the lambda sequence and per-term penalty factors, as glmnet's arguments.
 */
export interface GlmnetOptions {
  /** `gaussian` (default), `binomial` or `poisson`. */
  family?: string;
  /** 1 (lasso, default), 0 (ridge) or in between (elastic net). */
  alpha?: number;
  nlambda?: number;
  lambdaMinRatio?: number;
  /** A lambda sequence of your own. */
  lambda?: readonly number[];
  /** Standardise the columns (default true). */
  standardize?: boolean;
  /** Prior weights: a column name or one number per row. */
  weights?: string | ArrayLike<number>;
  /** An offset column (in addition to `offset()` terms). */
  offset?: string;
  /** Numeric columns to treat as categorical. */
  factors?: readonly string[];
  /** Penalty factor per design column name or term label (`region` for all its columns); default 1, 0 = unpenalised. */
  penaltyFactor?: Readonly<Record<string, number>>;
  /** Convergence threshold (default 1e-14). */
  thresh?: number;
  maxit?: number;
}

/**
 * The options of `cvGlmnet`: glmnet's, plus the folds (`foldid` column or `nfolds` with `seed`) and the measure.
 */
export interface CvGlmnetOptions extends GlmnetOptions {
  /** Number of random folds (default 10), drawn as R's set.seed(seed); sample(...). */
  nfolds?: number;
  /** Default 1. */
  seed?: number;
  /** Fold of each row: a column name or one number per row (overrides nfolds and seed). */
  foldid?: string | ArrayLike<number>;
  /** `default` (deviance; mse for gaussian), `mse`, `deviance`, `class`, `auc`, `mae`. */
  typeMeasure?: TypeMeasure | 'default';
}

/**
 * An elastic-net fit along its lambda path (glmnet's object): coefficients per lambda, df, deviance ratio, and what is needed to code new data.
 */
export interface GlmnetModel {
  readonly kind: 'glmnet';
  readonly formula: string;
  readonly family: GlmnetFamilyName;
  readonly alpha: number;
  readonly frame: PenalizedFrame;
  readonly path: GlmnetPath;
  readonly options: GlmnetOptions;
  readonly messages: readonly string[];
}

/**
 * A cross-validated elastic net (cv.glmnet's object): the path plus `cv` with cvm, cvsd, lambda.min and lambda.1se.
 */
export interface CvGlmnetModel extends GlmnetModel {
  readonly cv: CvResult;
  readonly foldid: Int32Array;
}

const FAMILIES: readonly GlmnetFamilyName[] = ['gaussian', 'binomial', 'poisson'];

function familyOf(name: string | undefined): GlmnetFamilyName {
  const f = (name ?? 'gaussian') as GlmnetFamilyName;
  if (!FAMILIES.includes(f)) throw new MixedModelsError(`the elastic net supports the gaussian, binomial and poisson families, not '${name}'`);
  return f;
}

/**
 * A factor coded by all its indicators (a block of the design) with penalty
 * factor 0 on every one, beside the intercept: the indicators sum to the
 * intercept's column, so the intercept and the factor's coefficients are only
 * determined up to a shift between them (the fitted values, the deviance and
 * the path are not affected). glmnet's coordinate descent settles on one split;
 * the gaussian family's covariance solver (up to COVARIANCE_MAX_COLUMNS columns)
 * follows the same steps and gives glmnet's; elsewhere (the intercept moves with
 * the block, indicatorBlock.ts, and drifted along that direction) one level is
 * held at 0 while fitting, which ties the intercept, and the levels are reported
 * averaging 0 (path.ts). A note says so.
 */
function unpenalisedBlocks(frame: PenalizedFrame, family: GlmnetFamilyName, penaltyFactor: Float64Array | undefined): { freeBlocks: Int32Array[]; messages: string[] } {
  const freeBlocks: Int32Array[] = [], messages: string[] = [];
  if (penaltyFactor === undefined || !frame.intercept) return { freeBlocks, messages };
  const names = frame.design.colnames, labels = frame.formula.fixed.terms.map((t) => t.label);
  for (const block of frame.design.blocks) {
    if (block.length < 2 || !Array.from(block).every((j) => penaltyFactor[j] === 0)) continue;
    const term = labels[frame.design.assign[block[0]]] ?? names[block[0]];
    const covariance = family === 'gaussian' && frame.design.p <= COVARIANCE_MAX_COLUMNS;
    if (!covariance) freeBlocks.push(Int32Array.from(block));
    messages.push(
      `the indicators of '${term}' are all unpenalised (penalty factor 0) and sum to the intercept's column: the intercept and their coefficients ` +
        `are determined only up to a shift between them (the fitted values and deviance are not; predictions for a level not in the data are); ` +
        (covariance ? 'the split shown is the one coordinate descent reaches, as glmnet\'s' : 'shown with the levels\' coefficients averaging 0, so that a new level is predicted at their mean'));
  }
  return { freeBlocks, messages };
}

/** The data and options of the path, from the frame, and notes on them. */
function pathInputs(frame: PenalizedFrame, family: GlmnetFamilyName, o: GlmnetOptions): { data: PathData; options: PathOptions; messages: string[] } {
  const user = frame.weights;
  let weights: Float64Array | null = user;
  if (family === 'binomial' && frame.trials !== null) weights = frame.trials.map((t, i) => t * (user === null ? 1 : user[i]));
  if (frame.trials !== null && family !== 'binomial') throw new MixedModelsError(`a cbind(successes, failures) response needs the binomial family, not ${family}`);
  const alpha = o.alpha ?? 1;
  if (!(alpha >= 0 && alpha <= 1)) throw new MixedModelsError(`alpha must be between 0 and 1, not ${alpha}`);
  const names = frame.design.colnames;
  let penaltyFactor: Float64Array | undefined;
  if (o.penaltyFactor !== undefined) {
    penaltyFactor = new Float64Array(names.length).fill(1);
    for (const [term, v] of Object.entries(o.penaltyFactor)) {
      const labels = frame.formula.fixed.terms.map((t) => t.label);
      const matched = names.map((nm, j) => (nm === term || labels[frame.design.assign[j]] === term ? j : -1)).filter((j) => j >= 0);
      if (matched.length === 0) throw new MixedModelsError(`penalty factor given for '${term}', which names no column of the design (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''})`);
      for (const j of matched) penaltyFactor[j] = v;
    }
  }
  const { freeBlocks, messages } = unpenalisedBlocks(frame, family, penaltyFactor);
  return {
    messages,
    data: { x: frame.design, y: frame.y, weights, offset: frame.offset, blocks: frame.design.blocks },
    options: {
      family,
      alpha,
      nlambda: o.nlambda,
      lambdaMinRatio: o.lambdaMinRatio,
      lambda: o.lambda,
      standardize: o.standardize,
      intercept: frame.intercept,
      penaltyFactor,
      freeBlocks,
      thresh: o.thresh,
      maxit: o.maxit,
    },
  };
}

function frameOf(formula: string, data: unknown, o: GlmnetOptions, family: GlmnetFamilyName): { frame: PenalizedFrame; table: DataTable } {
  if (typeof formula !== 'string') throw new MixedModelsError('the formula must be a string such as "y ~ x1 + x2"');
  const table = toTable(data, { factors: o.factors });
  const f = expandFormula(parseFormula(formula), table.names);
  const frame = penalizedFrame(f, table, { weights: o.weights, offset: o.offset, family });
  if (frame.design.p === 0) throw new MixedModelsError('the formula has no predictors to penalise');
  return { frame, table };
}

/**
 * The elastic-net path (R's glmnet).
 * @example
 * ```ts
 * const path = glmnet('y ~ x1 + x2 + region', data, { alpha: 1 });
 * path.path.points.map((p) => p.lambda);
 * ```
 */
export function glmnet(formula: string, data: unknown, options: GlmnetOptions = {}): GlmnetModel {
  const family = familyOf(options.family);
  const { frame } = frameOf(formula, data, options, family);
  const inputs = pathInputs(frame, family, options);
  const path = elnetPath(inputs.data, inputs.options);
  return { kind: 'glmnet', formula, family, alpha: inputs.options.alpha, frame, path, options, messages: [...frame.messages, ...inputs.messages, ...path.messages] };
}

/**
 * The path with K-fold cross-validation (R's cv.glmnet).
 * @example
 * ```ts
 * const cv = cvGlmnet('y ~ x1 + x2 + region', data, { nfolds: 10, seed: 1 });
 * cv.cv.lambdaMin;
 * ```
 */
export function cvGlmnet(formula: string, data: unknown, options: CvGlmnetOptions = {}): CvGlmnetModel {
  const family = familyOf(options.family);
  const { frame, table } = frameOf(formula, data, options, family);
  const foldid = foldsOf(options, frame, table);
  const inputs = pathInputs(frame, family, options);
  const path = elnetPath(inputs.data, inputs.options);
  if (path.points.length < 2) throw new MixedModelsError('cross-validation needs at least two lambda values');
  const cv = cvElnet(inputs.data, inputs.options, path, foldid, options.typeMeasure);
  return { kind: 'glmnet', formula, family, alpha: inputs.options.alpha, frame, path, options, cv, foldid, messages: [...frame.messages, ...inputs.messages, ...path.messages, ...cv.messages] };
}

function foldsOf(o: CvGlmnetOptions, frame: PenalizedFrame, table: DataTable): Int32Array {
  if (o.foldid === undefined) return randomFoldid(frame.nobs, o.nfolds ?? 10, o.seed ?? 1);
  const all = columnOrValues(o.foldid, table, 'fold id')!;
  const bad = frame.rows.findIndex((r) => !(Number.isInteger(all[r]) && all[r] >= 1));
  if (bad >= 0) {
    const r = frame.rows[bad];
    throw new MixedModelsError(`fold ids must be whole numbers from 1; row ${r + 1} has ${Number.isNaN(all[r]) ? 'a missing value' : all[r]}`);
  }
  return checkFoldid(Float64Array.from(frame.rows, (r) => all[r]), frame.nobs);
}

/** A lambda: a number, or `lambda.1se` / `lambda.min` of a cross-validated fit (lambda.1se by default, as glmnet's predict). */
export type LambdaChoice = number | 'lambda.1se' | 'lambda.min';

export function lambdaOf(model: GlmnetModel | CvGlmnetModel, s: LambdaChoice | undefined): number {
  if (typeof s === 'number') {
    if (!(s >= 0 && Number.isFinite(s))) throw new MixedModelsError(`lambda must be a non-negative number, not ${s}`);
    return s;
  }
  if ('cv' in model) return s === 'lambda.min' ? model.cv.lambdaMin : model.cv.lambda1se;
  if (s !== undefined) throw new MixedModelsError(`'${s}' needs a cross-validated fit (cvGlmnet)`);
  const pts = model.path.points;
  return pts[pts.length - 1].lambda;
}

/**
 * Intercept and every coefficient, by design column name, at lambda s (interpolated along the path).
 * @example
 * ```ts
 * glmnetCoefficients(cv, 'lambda.min'); // [{ term, estimate }]
 * ```
 */
export function glmnetCoefficients(model: GlmnetModel, s?: LambdaChoice): { term: string; estimate: number }[] {
  const lambda = lambdaOf(model, s);
  const { intercept, beta } = coefficientsAt(model.path.points, model.path.p, lambda);
  const names = model.frame.design.colnames;
  const rows = model.frame.intercept ? [{ term: '(Intercept)', estimate: intercept }] : [];
  return [...rows, ...Array.from(beta, (b, j) => ({ term: names[j], estimate: b + 0 }))];
}

/** `predictGlmnet`'s result: one prediction per new row, and messages (new levels coded as all-zero indicators). */
export interface GlmnetPrediction {
  /** One value per row of the new data (NaN where a variable is missing). */
  fit: Float64Array;
  lambda: number;
  messages: string[];
}

/**
 * Predictions for new data at lambda s: the link (default) or the mean (`response`).
 * @example
 * ```ts
 * predictGlmnet(cv, newdata, { s: 'lambda.1se', type: 'response' }).fit;
 * ```
 */
export function predictGlmnet(model: GlmnetModel, newdata: unknown, options: { s?: LambdaChoice; type?: 'link' | 'response' } = {}): GlmnetPrediction {
  const lambda = lambdaOf(model, options.s);
  const nd = newDesign(model.frame, newdata, model.options.factors ?? [], model.options.offset);
  const { intercept, beta } = coefficientsAt(model.path.points, model.path.p, lambda);
  const index = Int32Array.from(beta.keys()).filter((j) => beta[j] !== 0);
  const eta = linkAt({ lambda, intercept, index, value: Float64Array.from(index, (j) => beta[j]), devRatio: NaN }, nd.design);
  const mean = GLMNET_FAMILIES[model.family].mean;
  const fit = eta.map((e, i) => (nd.missing[i] ? NaN : (options.type === 'response' ? mean(e + (nd.offset?.[i] ?? 0)) : e + (nd.offset?.[i] ?? 0))));
  const messages = nd.unseen.map((u) => `${u.rows} row${u.rows === 1 ? ' has' : 's have'} a level of ${u.variable} the fit has not seen (${u.levels.slice(0, 3).join(', ')}${u.levels.length > 3 ? ', ...' : ''}): its indicators are 0`);
  let nmiss = 0;
  nd.missing.forEach((m) => (nmiss += m));
  if (nmiss > 0) messages.push(`${nmiss} row${nmiss === 1 ? ' has' : 's have'} a missing value: predicted as missing`);
  return { fit, lambda, messages };
}
