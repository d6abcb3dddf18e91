/**
 * The convenience entry points: formula text + data -> fitted model. They only
 * compose the pipeline stages (parse -> expand -> frame -> fit), as lme4's
 * lmer() composes lFormula, mkLmerDevfun, optimizeLmer and mkMerMod.
 *
 * Which model: without random-effects bars, `lm` when no family is given and
 * `glm` when one is; with bars, `lmm` for gaussian/identity and `glmm` otherwise.
 */
import { diagnostics, withDiagnostics } from '../diagnostics.js';
import { MixedModelsError } from '../errors.js';
import { expandFormula, parseFormula } from '../formula/index.js';
import { toTable } from '../data/index.js';
import type { DataTable } from '../data/types.js';
import { modelFrame } from '../frame/index.js';
import type { ModelFrame } from '../frame/types.js';
import { lmFit, type LmFit } from '../lm/index.js';
import { glmFit, makeFamily, type GlmFit } from '../glm/index.js';
import { finishLmm, fitLmmProblem, lmmProblem, type LmmFit, type LmmProblem } from '../lmm/index.js';
import { fitGlmm, type GlmmFit } from '../glmm/index.js';
import { checkDenseSize, checkResponseVaries, numericGroupingMessages } from './checks.js';
import type { Coefficient } from '../lm/coefficient.js';
import { lmmCoefficients } from './coefficients.js';
import { checkFitOptions, type FitOptions } from './fitOptions.js';
import { describeValue } from './arguments.js';

export type { FitOptions } from './fitOptions.js';

/** Where a model's data were read and what ran there (the JSON's `source`; set by src/sources). */
export interface DataSourceSummary {
  /** `csv`, `arrow`, `duckdb`, `postgresql`, `clickhouse`. */
  engine: string;
  /** What the engine computed: `sums` (an LMM's blocks), `collapsed` (a GLMM's rows collapsed into counts), `pirls` (PIRLS in the engine), `none` (rows read). */
  pushdown: string;
  queries: number;
  rowsScanned: number;
  bytesFetched: number;
  seconds: number;
}

interface Common {
  /** The formula as the user wrote it. */
  readonly formula: string;
  /** Set when the data came through a source (src/sources). */
  readonly source?: DataSourceSummary;
  readonly frame: ModelFrame;
  /** The data the model was fitted to (needed to code new data as the fit did). */
  readonly data: DataTable;
  /** The options it was fitted with. */
  readonly options: FitOptions;
}
/**
 * A linear model (R's `lm`), from `lm()` or `fitModel()` without bars or family; `fit` holds coefficients, R^2, the F test.
 */
export interface LinearModel extends Common {
  readonly kind: 'lm';
  readonly fit: LmFit;
}
/** A generalized linear model (R's `glm`), from `glm()` or `fitModel()` with a family and no bars. */
export interface GeneralizedLinearModel extends Common {
  readonly kind: 'glm';
  readonly fit: GlmFit;
}
/**
 * A linear mixed model (lme4's `lmer` with lmerTest's tests), from `lmer()`; `fit` holds the variance components (`varCorr`), conditional modes (`ranefTable`), ICC, logLik and optimiser summary.
 * @example
 * ```ts
 * const m: LinearMixedModel = lmer('Reaction ~ Days + (Days | Subject)', data, { factors: ['Subject'] });
 * m.coefficients; // [{ term, estimate, stdError, statistic, df, pValue }]
 * ```
 */
export interface LinearMixedModel extends Common {
  readonly kind: 'lmm';
  readonly fit: LmmFit;
  /** t tests of the fixed effects, with Satterthwaite df and p-values when computed (see FitOptions.ddf). */
  readonly coefficients: readonly Coefficient[];
}
/**
 * A generalized linear mixed model (lme4's `glmer`), from `glmer()`; `fit` holds z tests of the coefficients, variance components and the Laplace or quadrature log-likelihood.
 */
export interface GeneralizedLinearMixedModel extends Common {
  readonly kind: 'glmm';
  readonly fit: GlmmFit;
}
/** A linear or generalized linear mixed model. */
export type MixedModel = LinearMixedModel | GeneralizedLinearMixedModel;
/** Any model the fitting functions return; `kind` tells which (`'lm'`, `'glm'`, `'lmm'`, `'glmm'`). */
export type FittedModel = LinearModel | GeneralizedLinearModel | MixedModel;

function isTable(data: unknown): data is DataTable {
  return typeof data === 'object' && data !== null && 'columns' in data && (data as DataTable).columns instanceof Map;
}

/**
 * Parses, expands and evaluates `formula` on `data`.
 * @example
 * ```ts
 * const frame = buildFrame('y ~ x + (1 | g)', data);
 * frame.X; // the fixed-effects design
 * ```
 */
export function buildFrame(formula: string, data: unknown, options: FitOptions = {}): ModelFrame {
  return frameAndTable('buildFrame', formula, data, options).frame;
}

/** The checked arguments of a fitting function `fn`: formula text, data, options (see fitOptions.ts). */
function checkArguments(fn: string, formula: unknown, data: unknown, options: unknown): FitOptions {
  if (typeof formula !== 'string') throw new MixedModelsError(`${fn}(): the formula must be a string such as "y ~ x + (1 | g)", not ${describeValue(formula)}`);
  const checked = checkFitOptions(fn, options);
  // An unknown family, or a link the family does not have, is refused before the data are looked at.
  if (checked.family !== undefined || checked.link !== undefined) makeFamily(checked.family ?? 'gaussian', checked.link);
  if (data === null || data === undefined) throw new MixedModelsError(`${fn}(): data must be an object of columns, an array of row objects or an Arrow table, not ${data}`);
  return checked;
}

function frameAndTable(fn: string, formula: string, data: unknown, given: FitOptions): { frame: ModelFrame; table: DataTable; options: FitOptions } {
  const options = checkArguments(fn, formula, data, given);
  const table = isTable(data) ? data : toTable(data, { factors: options.factors });
  return { frame: frameOf(formula, table, options), table, options };
}

/** nAGQ chooses how a GLMM's likelihood is approximated; for any other model it would be silently ignored. */
function checkNoQuadrature(fn: string, options: FitOptions, kind: 'lm' | 'glm' | 'lmm'): void {
  if (options.nAGQ === undefined) return;
  const what = { lm: 'a linear model', glm: 'a generalized linear model without random effects', lmm: 'a linear mixed model' }[kind];
  throw new MixedModelsError(`${fn}(): nAGQ (--nagq) applies to generalized linear mixed models only, and this is ${what}: leave it out`);
}

/** lm() and glm() fit no random effects: a bar in their formula would be silently ignored. */
function requireNoBars(frame: ModelFrame, fn: 'lm' | 'glm'): void {
  if (frame.reTerms.length === 0) return;
  throw new MixedModelsError(`${fn}() fits no random effects, but the formula has ${frame.reTerms.length === 1 ? 'a random-effects term' : 'random-effects terms'} such as (1 | ${frame.reTerms[0].group}): use ${fn === 'lm' ? 'lmer' : 'glmer'}() (or fitModel())`);
}

function frameOf(formula: string, table: DataTable, options: FitOptions): ModelFrame {
  const expanded = expandFormula(parseFormula(formula), table.names);
  if (expanded.response === null) throw new MixedModelsError(`the formula has no response: write it as 'y ~ ${formula.replace(/^\s*~\s*/, '')}'`);
  return modelFrame(expanded, table, {
    factors: options.factors,
    weights: options.weights,
    contrasts: options.contrasts,
    reference: options.reference,
    family: options.family,
  });
}

/**
 * Least-squares linear model (R's lm).
 * @example
 * ```ts
 * const m = lm('distance ~ bow + archer', data);
 * m.fit.coefficients; // [{ term, estimate, stdError, statistic, df, pValue }]
 * ```
 */
export function lm(formula: string, data: unknown, given: FitOptions = {}): LinearModel {
  const { frame, table, options } = frameAndTable('lm', formula, data, given);
  requireNoBars(frame, 'lm');
  checkNoQuadrature('lm', options, 'lm');
  return { kind: 'lm', formula, frame, data: table, options, fit: lmFit(frame) };
}

/**
 * Generalized linear model (R's glm).
 * @example
 * ```ts
 * glm('cbind(incidence, size - incidence) ~ period', cbpp, { family: 'binomial' });
 * ```
 */
export function glm(formula: string, data: unknown, options: FitOptions = {}): GeneralizedLinearModel {
  const o = { ...checkFitOptions('glm', options), family: options.family ?? 'gaussian' };
  const { frame, table } = frameAndTable('glm', formula, data, o);
  requireNoBars(frame, 'glm');
  checkNoQuadrature('glm', o, 'glm');
  return { kind: 'glm', formula, frame, data: table, options: o, fit: glmFit(frame, { family: o.family, link: o.link, nbTheta: o.nbTheta }) };
}

function requireBars(frame: ModelFrame, fn: 'lmer' | 'glmer'): void {
  if (frame.reTerms.length === 0) {
    throw new MixedModelsError(`${fn}() needs at least one random-effects term such as (1 | group); use ${fn === 'lmer' ? 'lm' : 'glm'}() for a model without one`);
  }
}

/**
 * Linear mixed model by REML (default) or ML (lme4's lmer).
 * @example
 * ```ts
 * const m = lmer('Reaction ~ Days + (Days | Subject)', data, { factors: ['Subject'] });
 * m.fit.varCorr; m.fit.icc.adjusted; m.coefficients;
 * ```
 */
export function lmer(formula: string, data: unknown, given: FitOptions = {}): LinearMixedModel {
  const { frame, table, options } = frameAndTable('lmer', formula, data, given);
  requireBars(frame, 'lmer');
  checkNoQuadrature('lmer', options, 'lmm');
  return lmmOf(formula, frame, table, options);
}

/**
 * The LMM at given covariance parameters, without optimising: what a saved fit
 * reloads as (lme4's mkMerMod at a known theta). Same numbers as the original fit.
 */
export function lmerAt(formula: string, data: unknown, given: FitOptions, theta: ArrayLike<number>): LinearMixedModel {
  const { frame, table, options } = frameAndTable('lmerAt', formula, data, given);
  requireBars(frame, 'lmer');
  checkNoQuadrature('lmerAt', options, 'lmm');
  const prob = lmmProblem(frame, { REML: options.REML ?? true });
  checkTheta(theta, prob.lower);
  return lmmOf(formula, frame, table, options, finishLmm(prob, Float64Array.from(theta)));
}

/** Covariance parameters for a model whose lower bounds are `lower`: as many, finite, within the bounds. */
function checkTheta(theta: ArrayLike<number>, lower: ArrayLike<number>): void {
  if (theta === null || typeof theta !== 'object' || typeof theta.length !== 'number') throw new MixedModelsError(`theta must be an array of numbers, not ${describeValue(theta)}`);
  if (theta.length !== lower.length) throw new MixedModelsError(`theta has ${theta.length} covariance parameters; this model has ${lower.length}`);
  for (let i = 0; i < lower.length; i++) {
    const t = theta[i];
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new MixedModelsError(`theta[${i}] must be a finite number, not ${describeValue(t)}`);
    if (t < lower[i]) throw new MixedModelsError(`theta[${i}] is ${t}, below its lower bound ${lower[i]} (a standard deviation's factor cannot be negative)`);
  }
}

function lmmOf(formula: string, frame: ModelFrame, table: DataTable, options: FitOptions, given?: LmmFit): LinearMixedModel {
  checkResponseVaries(frame);
  checkDenseSize(frame);
  const fitted: { fit: LmmFit; problem?: LmmProblem } = given === undefined ? fitLmmProblem(frame, { REML: options.REML ?? true }) : { fit: given };
  const fit = fitted.fit;
  const model = { kind: 'lmm' as const, formula, frame, data: table, options, fit };
  const { coefficients, note } = lmmCoefficients(model, options.ddf ?? 'auto', fitted.problem);
  const notes = diagnostics('note', [...numericGroupingMessages(frame, table, options.factors), ...(note ? [note] : [])]);
  return { ...model, fit: withDiagnostics(fit, notes), coefficients };
}

/**
 * Generalized linear mixed model by Laplace (nAGQ = 1, default), quadrature (nAGQ > 1) or nAGQ = 0 (lme4's glmer).
 * @example
 * ```ts
 * glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, { family: 'binomial', factors: ['herd', 'period'] });
 * ```
 */
export function glmer(formula: string, data: unknown, given: FitOptions = {}): GeneralizedLinearMixedModel {
  if (checkFitOptions('glmer', given).family === undefined) throw new MixedModelsError("glmer() needs a family, e.g. { family: 'binomial' }");
  const { frame, table, options } = frameAndTable('glmer', formula, data, given);
  requireBars(frame, 'glmer');
  return glmmOf(formula, frame, table, options);
}

function glmmOf(formula: string, frame: ModelFrame, table: DataTable, options: FitOptions): GeneralizedLinearMixedModel {
  checkDenseSize(frame);
  const fit = fitGlmm(frame, { family: options.family ?? 'gaussian', link: options.link, nAGQ: options.nAGQ, nbTheta: options.nbTheta, optimizer: options.optimizer });
  const notes = diagnostics('note', numericGroupingMessages(frame, table, options.factors));
  return { kind: 'glmm', formula, frame, data: table, options, fit: withDiagnostics(fit, notes) };
}

/**
 * Fits whichever model the formula and options call for (see the module comment).
 * @example
 * ```ts
 * fitModel('y ~ x', data);                                     // lm
 * fitModel('y ~ x + (1 | g)', data, { family: 'poisson' });      // glmm
 * ```
 */
export function fitModel(formula: string, data: unknown, given: FitOptions = {}): FittedModel {
  const { frame, table, options } = frameAndTable('fitModel', formula, data, given);
  if (frame.reTerms.length === 0) {
    if (options.family === undefined && options.link === undefined) {
      checkNoQuadrature('fitModel', options, 'lm');
      return { kind: 'lm', formula, frame, data: table, options, fit: lmFit(frame) };
    }
    checkNoQuadrature('fitModel', options, 'glm');
    const family = options.family ?? 'gaussian';
    return { kind: 'glm', formula, frame, data: table, options, fit: glmFit(frame, { family, link: options.link, nbTheta: options.nbTheta }) };
  }
  const gaussian = (options.family ?? 'gaussian') === 'gaussian' && (options.link ?? 'identity') === 'identity';
  if (gaussian) checkNoQuadrature('fitModel', options, 'lmm');
  return gaussian ? lmmOf(formula, frame, table, options) : glmmOf(formula, frame, table, options);
}
