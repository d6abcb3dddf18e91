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
import { fitLmm, type LmmFit } from '../lmm/index.js';
import { checkResponseVaries, numericGroupingMessages } from './checks.js';

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
}

interface Common {
  /** The formula as the user wrote it. */
  readonly formula: string;
  readonly frame: ModelFrame;
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
}
export type FittedModel = LinearModel | GeneralizedLinearModel | LinearMixedModel;

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
  const frame = buildFrame(formula, data, options);
  return { kind: 'lm', formula, frame, fit: lmFit(frame) };
}

/** Generalized linear model (R's glm). */
export function glm(formula: string, data: unknown, options: FitOptions = {}): GeneralizedLinearModel {
  const family = options.family ?? 'gaussian';
  const frame = buildFrame(formula, data, { ...options, family });
  return { kind: 'glm', formula, frame, fit: glmFit(frame, { family, link: options.link }) };
}

function requireBars(frame: ModelFrame, fn: string): void {
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

function lmmOf(formula: string, frame: ModelFrame, table: DataTable, options: FitOptions): LinearMixedModel {
  checkResponseVaries(frame);
  const fit = fitLmm(frame, { REML: options.REML ?? true });
  const notes = numericGroupingMessages(frame, table, options.factors);
  return { kind: 'lmm', formula, frame, fit: notes.length ? { ...fit, messages: [...notes, ...fit.messages] } : fit };
}

/** Fits whichever model the formula and options call for (see the module comment). */
export function fitModel(formula: string, data: unknown, options: FitOptions = {}): FittedModel {
  const { frame, table } = frameAndTable(formula, data, options);
  if (frame.reTerms.length === 0) {
    if (options.family === undefined && options.link === undefined) return { kind: 'lm', formula, frame, fit: lmFit(frame) };
    const family = options.family ?? 'gaussian';
    return { kind: 'glm', formula, frame, fit: glmFit(frame, { family, link: options.link }) };
  }
  const gaussian = (options.family ?? 'gaussian') === 'gaussian' && (options.link ?? 'identity') === 'identity';
  if (gaussian) return lmmOf(formula, frame, table, options);
  throw new MixedModelsError('generalized linear mixed models are not available yet');
}
