/**
 * Messages between the page and its fit worker. Every request carries an id;
 * the worker answers with events for that id (`progress`, `part`) and ends
 * with exactly one `done` or `error`. Only plain data crosses: text, numbers,
 * arrays (structured clone).
 */
import type { FitOptions } from '../../../src/index.js';

/** A confint method, or 'default': the model's own (an lm's t intervals, R's confint.lm; otherwise the profile). */
export type ConfintChoice = 'wald' | 'profile' | 'boot' | 'default';

export interface ColumnInfo {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Missing values (empty, NA). */
  missing: number;
  /** Distinct non-missing values. */
  distinct: number;
}

export interface DataPreview {
  /** The file name, as errors name it. */
  source: string;
  nrow: number;
  columns: ColumnInfo[];
  /** The first rows as the CSV wrote them (missing as ''). */
  rows: string[][];
}

export type PlotKindName = 'caterpillar' | 'forest' | 'residuals' | 'qq' | 'groups' | 'effect';
/** The plots the page draws for every fit, in tab order. */
export const PLOT_KIND_NAMES: readonly PlotKindName[] = ['caterpillar', 'forest', 'residuals', 'qq', 'groups', 'effect'];

export interface VarianceShare {
  /** The grouping factor. */
  group: string;
  /** Its random effects' share of the variance left after the fixed effects. */
  share: number;
}

export interface IccReading {
  value: number;
  /** 'observed' for LMMs; 'latent' for GLMMs (the link scale, performance::icc's definition). */
  scale: 'observed' | 'latent';
  shares: VarianceShare[];
}

export interface FitResult {
  formula: string;
  kind: 'lm' | 'glm' | 'lmm' | 'glmm';
  /** The CLI's text summary (`mixedmodels fit`). */
  summary: string;
  /** The CLI's JSON (`mixedmodels fit --format json`): the same fields, numbers to the last bits of the browser's Math functions. */
  json: string;
  nobs: number;
  ngrps: Record<string, number>;
  icc: IccReading | null;
  r2: { marginal: number; conditional: number } | null;
  messages: string[];
  /** Wall time of the fit in the worker. */
  seconds: number;
}

export interface CoefPair {
  term: string;
  fixed: { estimate: number; stdError: number } | null;
  mixed: { estimate: number; stdError: number } | null;
}

export interface LrtRow {
  formula: string;
  npar: number;
  AIC: number;
  BIC: number;
  logLik: number;
  chisq: number | null;
  df: number | null;
  pValue: number | null;
}

export interface Lrt {
  rows: LrtRow[];
  chisq: number | null;
  df: number | null;
  pValue: number | null;
  refitted: boolean;
  messages: string[];
}

export interface Comparison {
  /** The model compared with: the fixed-effects-only formula, or one the user gave. */
  formula: string;
  coefficients: CoefPair[];
  lrt: Lrt | null;
  /** Why there is no test (e.g. the models use different rows), when there is none. */
  note: string | null;
}

export interface PlotResult {
  kind: PlotKindName;
  /** The SVG text from the library's renderer, or null with `reason` when the plot does not apply. */
  svg: string | null;
  reason: string | null;
}

export interface IntervalRow {
  parameter: string;
  lower: number | null;
  upper: number | null;
}

export interface PredictionRows {
  fit: number[];
  lower: number[] | null;
  upper: number[] | null;
  messages: string[];
}

export type Request =
  | { id: number; type: 'load'; bytes: ArrayBuffer; name: string }
  | { id: number; type: 'check'; formula: string; options: FitOptions }
  | { id: number; type: 'fit'; formula: string; options: FitOptions; extras: boolean }
  | { id: number; type: 'compare'; formula: string }
  | { id: number; type: 'confint'; method: ConfintChoice; level: number }
  | { id: number; type: 'predict'; csv: string; population: boolean; interval: 'none' | 'confidence' | 'prediction'; level: number }
  | { id: number; type: 'report'; provenance: { data: string; command: string } };

export type Part =
  | { key: 'result'; value: FitResult }
  | { key: 'comparison'; value: Comparison | null }
  | { key: 'plot'; value: PlotResult };

export type Reply =
  | { id: number; type: 'progress'; stage: string }
  | ({ id: number; type: 'part' } & Part)
  | { id: number; type: 'done'; value: unknown }
  | { id: number; type: 'error'; message: string; internal: boolean };
