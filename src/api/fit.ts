/**
 * The convenience entry points: formula text + data -> fitted model. They only
 * compose the pipeline stages (parse -> expand -> frame -> fit), as lme4's
 * lmer() composes lFormula, mkLmerDevfun, optimizeLmer and mkMerMod.
 *
 * Which model: without random-effects bars, `lm` when no family is given and
 * `glm` when one is; with bars, `lmm` for gaussian/identity and `glmm` otherwise.
 */
import { MixedModelsError } from '../errors.js';
import { expandFormula, parseFormula } from '../formula/index.js';
import { toTable } from '../data/index.js';
import type { DataTable } from '../data/types.js';
import { modelFrame } from '../frame/index.js';
import type { ModelFrame } from '../frame/types.js';
import { lmFit, type LmFit } from '../lm/index.js';
import { glmFit, type GlmFit } from '../glm/index.js';
import { finishLmm, fitLmm, lmmProblem, type LmmFit } from '../lmm/index.js';
import { fitGlmm, type GlmmFit } from '../glmm/index.js';
import { checkResponseVaries, numericGroupingMessages } from './checks.js';
import type { Coefficient } from '../lm/coefficient.js';
import { lmmCoefficients, type DdfOption } from './coefficients.js';

export interface FitOptions {
  /** Numeric columns to treat as categorical. */
  factors?: readonly string[];
  /** GLM/GLMM family; absent means lm (no bars) or a gaussian LMM (bars). */
  family?: string;
  link?: string;
  /** Prior weights: a column name or one number per row. */
  weights?: string | ArrayLike<number>;
  /** LMMs: REML (default true) or ML. */
  REML?: boolean;
  /** GLMMs: 0 (PIRLS only), 1 (Laplace, default) or more adaptive Gauss-Hermite points. */
  nAGQ?: number;
  contrasts?: Record<string, 'treatment' | 'sum'>;
  /** Reference (first) level per categorical column. */
  reference?: Record<string, string>;
  /**
   * LMMs: denominator df of the coefficients' t tests. 'satterthwaite' always
   * computes them (lmerTest); 'kenward-roger' uses pbkrtest's adjusted
   * covariance and df; 'none' leaves df and p-values empty (lme4); 'auto'
   * (default) is Satterthwaite unless that would take more than about a second.
   */
  ddf?: DdfOption;
}

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
export interface LinearModel extends Common {
  readonly kind: 'lm';
  readonly fit: LmFit;
}
export interface GeneralizedLinearModel extends Common {
  readonly kind: 'glm';
  readonly fit: GlmFit;
}
export interface LinearMixedModel extends Common {
  readonly kind: 'lmm';
  readonly fit: LmmFit;
  /** t tests of the fixed effects, with Satterthwaite df and p-values when computed (see FitOptions.ddf). */
  readonly coefficients: readonly Coefficient[];
}
export interface GeneralizedLinearMixedModel extends Common {
  readonly kind: 'glmm';
  readonly fit: GlmmFit;
}
export type MixedModel = LinearMixedModel | GeneralizedLinearMixedModel;
export type FittedModel = LinearModel | GeneralizedLinearModel | MixedModel;

function isTable(data: unknown): data is DataTable {
  return typeof data === 'object' && data !== null && 'columns' in data && (data as DataTable).columns instanceof Map;
}

/** Parses, expands and evaluates `formula` on `data`. */
export function buildFrame(formula: string, data: unknown, options: FitOptions = {}): ModelFrame {
  return frameAndTable(formula, data, options).frame;
}

function frameAndTable(formula: string, data: unknown, options: FitOptions): { frame: ModelFrame; table: DataTable } {
  if (typeof formula !== 'string') throw new MixedModelsError('the formula must be a string such as "y ~ x + (1 | g)"');
  const table = isTable(data) ? data : toTable(data, { factors: options.factors });
  return { frame: frameOf(formula, table, options), table };
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

/** Least-squares linear model (R's lm). */
export function lm(formula: string, data: unknown, options: FitOptions = {}): LinearModel {
  const { frame, table } = frameAndTable(formula, data, options);
  return { kind: 'lm', formula, frame, data: table, options, fit: lmFit(frame) };
}

/** Generalized linear model (R's glm). */
export function glm(formula: string, data: unknown, options: FitOptions = {}): GeneralizedLinearModel {
  const o = { ...options, family: options.family ?? 'gaussian' };
  const { frame, table } = frameAndTable(formula, data, o);
  return { kind: 'glm', formula, frame, data: table, options: o, fit: glmFit(frame, { family: o.family, link: o.link }) };
}

function requireBars(frame: ModelFrame, fn: 'lmer' | 'glmer'): void {
  if (frame.reTerms.length === 0) {
    throw new MixedModelsError(`${fn}() needs at least one random-effects term such as (1 | group); use ${fn === 'lmer' ? 'lm' : 'glm'}() for a model without one`);
  }
}

/** Linear mixed model by REML (default) or ML (lme4's lmer). */
export function lmer(formula: string, data: unknown, options: FitOptions = {}): LinearMixedModel {
  const { frame, table } = frameAndTable(formula, data, options);
  requireBars(frame, 'lmer');
  return lmmOf(formula, frame, table, options);
}

/**
 * The LMM at given covariance parameters, without optimising: what a saved fit
 * reloads as (lme4's mkMerMod at a known theta). Same numbers as the original fit.
 */
export function lmerAt(formula: string, data: unknown, options: FitOptions, theta: ArrayLike<number>): LinearMixedModel {
  const { frame, table } = frameAndTable(formula, data, options);
  requireBars(frame, 'lmer');
  const prob = lmmProblem(frame, { REML: options.REML ?? true });
  if (theta.length !== prob.theta0.length) throw new MixedModelsError(`the saved fit has ${theta.length} covariance parameters; this model has ${prob.theta0.length}`);
  return lmmOf(formula, frame, table, options, finishLmm(prob, Float64Array.from(theta)));
}

function lmmOf(formula: string, frame: ModelFrame, table: DataTable, options: FitOptions, given?: LmmFit): LinearMixedModel {
  checkResponseVaries(frame);
  const fit = given ?? fitLmm(frame, { REML: options.REML ?? true });
  const model = { kind: 'lmm' as const, formula, frame, data: table, options, fit };
  const { coefficients, note } = lmmCoefficients(model, options.ddf ?? 'auto');
  const notes = [...numericGroupingMessages(frame, table, options.factors), ...(note ? [note] : [])];
  return { ...model, fit: notes.length ? { ...fit, messages: [...notes, ...fit.messages] } : fit, coefficients };
}

/** Generalized linear mixed model by Laplace (nAGQ = 1, default), quadrature (nAGQ > 1) or nAGQ = 0 (lme4's glmer). */
export function glmer(formula: string, data: unknown, options: FitOptions = {}): GeneralizedLinearMixedModel {
  if (options.family === undefined) throw new MixedModelsError("glmer() needs a family, e.g. { family: 'binomial' }");
  const { frame, table } = frameAndTable(formula, data, options);
  requireBars(frame, 'glmer');
  return glmmOf(formula, frame, table, options);
}

function glmmOf(formula: string, frame: ModelFrame, table: DataTable, options: FitOptions): GeneralizedLinearMixedModel {
  const fit = fitGlmm(frame, { family: options.family ?? 'gaussian', link: options.link, nAGQ: options.nAGQ });
  const notes = numericGroupingMessages(frame, table, options.factors);
  const withNotes = notes.length ? { ...fit, messages: [...notes, ...fit.messages] } : fit;
  return { kind: 'glmm', formula, frame, data: table, options, fit: withNotes };
}

/** Fits whichever model the formula and options call for (see the module comment). */
export function fitModel(formula: string, data: unknown, options: FitOptions = {}): FittedModel {
  const { frame, table } = frameAndTable(formula, data, options);
  if (frame.reTerms.length === 0) {
    if (options.family === undefined && options.link === undefined) return { kind: 'lm', formula, frame, data: table, options, fit: lmFit(frame) };
    const family = options.family ?? 'gaussian';
    return { kind: 'glm', formula, frame, data: table, options, fit: glmFit(frame, { family, link: options.link }) };
  }
  const gaussian = (options.family ?? 'gaussian') === 'gaussian' && (options.link ?? 'identity') === 'identity';
  return gaussian ? lmmOf(formula, frame, table, options) : glmmOf(formula, frame, table, options);
}
