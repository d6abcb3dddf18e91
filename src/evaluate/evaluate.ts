/**
 * `evaluate`: one formula, several methods, scored on new data as the
 * click-through study does (a GLMM, a GLM with the users as a fixed factor,
 * cross-validated lasso and ridge; methods.ts), or by K-fold cross-validation
 * of every method on the training data when no new data are given: each
 * method is fitted to all folds but one and scored on that one (glmnet's own
 * lambda is then chosen by random inner folds).
 *
 * Result: per method its fit time, fixed effects (other than the grouping
 * factors), one score per new data set or fold (metrics.ts), their mean and
 * standard deviation.
 */
import { toTable } from '../data/table.js';
import type { DataTable } from '../data/types.js';
import { MixedModelsError, closest } from '../errors.js';
import { columnsOf, modelVariables } from '../frame/variables.js';
import { expandFormula, parseFormula } from '../formula/index.js';
import type { ModelFormula } from '../formula/ast.js';
import { deparse } from '../formula/deparse.js';
import { evaluate as evaluateNode } from '../frame/evaluate.js';
import { response } from '../frame/response.js';
import { columnOrValues } from '../glmnet/penalizedFrame.js';
import { checkFoldid } from '../glmnet/cv.js';
import { randomFoldid } from '../glmnet/foldid.js';
import { fixedFormula } from './fixedFormula.js';
import { checkMetric, score, type Metric, type Observed } from './metrics.js';
import { checkMethod, fitMethod, type Method, type MethodSettings } from './methods.js';
import { tableRows } from './tableRows.js';

/** The options of `evaluateMethods`: the methods, new data sets or folds, the metric, family and fit options. */
export interface EvaluateOptions {
  methods: readonly string[];
  /** New data sets to score on; without them, K-fold cross-validation. */
  newdata?: readonly unknown[];
  /** Names of the new data sets (e.g. file names) for the output. */
  newdataNames?: readonly string[];
  /** Default mspe. */
  metric?: string;
  family?: string;
  link?: string;
  nAGQ?: number;
  factors?: readonly string[];
  weights?: string;
  /** enet's alpha (default 0.5). */
  alpha?: number;
  /** glmnet's lambda for predictions: 'min' or '1se' (default). */
  s?: 'min' | '1se';
  /** Folds: the number (default 10) with a seed, or a column of the training data. */
  folds?: number;
  foldid?: string;
  seed?: number;
}

/**
 * One method's result in an Evaluation: scores per data set, their mean and sd, fit seconds, coefficients and messages.
 */
export interface MethodResult {
  method: Method;
  /** Seconds to fit to the (whole) training data. */
  fitSeconds: number;
  coefficients: { term: string; estimate: number }[];
  /** One per new data set or fold. */
  scores: number[];
  mean: number;
  sd: number;
  messages: string[];
}

/**
 * `evaluateMethods`' result: the metric, the data sets, and per method its scores, mean, sd, fit time and coefficients.
 */
export interface Evaluation {
  metric: Metric;
  family: string;
  /** 'newdata' or 'cross-validation'. */
  mode: 'newdata' | 'cross-validation';
  /** The new data sets' names, or fold numbers. */
  sets: string[];
  methods: MethodResult[];
}

/** The response of a table's rows as metrics.ts reads it (missing: NaN). */
function observed(f: ModelFormula, table: DataTable, family: string): Observed {
  const node = f.response!;
  const rows = Int32Array.from({ length: table.nrow }, (_, i) => i);
  const value = evaluateNode(node, { table, text: f.ast.text, rows });
  const res = response(node, new Map([[deparse(node), value]]), family);
  return { y: res.y, trials: res.trials ?? new Float64Array(table.nrow).fill(1) };
}

/** Every column the model uses (the response included, to score) must be in the new data. */
function checkColumns(f: ModelFormula, table: DataTable, name: string): void {
  for (const column of new Set([...modelVariables(f).values()].flatMap(columnsOf))) {
    if (table.columns.has(column)) continue;
    const near = closest(column, table.names);
    throw new MixedModelsError(`${name} has no column '${column}', which the model uses${near === null ? '' : ` (did you mean '${near}'?)`}`);
  }
}

function meanSd(xs: number[]): { mean: number; sd: number } {
  const ok = xs.filter(Number.isFinite);
  const mean = ok.reduce((a, b) => a + b, 0) / ok.length;
  const sd = ok.length > 1 ? Math.sqrt(ok.reduce((a, b) => a + (b - mean) ** 2, 0) / (ok.length - 1)) : NaN;
  return { mean, sd };
}

/**
 * Fits one formula by several methods (glmm, glm, lasso, ridge, ...) and scores each on new data sets or by cross-validation, as the click-through study compares them.
 * @example
 * ```ts
 * const e = evaluateMethods('cbind(clicks, expos - clicks) ~ display + (1 | id)', train, { methods: ['glmm', 'glm'], newdata: [future], family: 'binomial', factors: ['id'] });
 * ```
 */
export function evaluateMethods(formula: string, data: unknown, options: EvaluateOptions): Evaluation {
  const family = options.family ?? 'gaussian';
  const metric = checkMetric(options.metric ?? 'mspe', family);
  if (options.methods.length === 0) throw new MixedModelsError('give at least one method to evaluate');
  const methods = [...new Set(options.methods)].map((m) => checkMethod(m, family));
  const raw = toTable(data);
  const f = expandFormula(parseFormula(formula), raw.names);
  const fixed = fixedFormula(f);
  const factors = [...new Set([...(options.factors ?? []), ...fixed.groupColumns])].filter((c) => raw.columns.has(c));
  const table = toTable(raw, { factors });
  const settings: MethodSettings = {
    formula,
    fixed,
    family,
    link: options.link,
    nAGQ: options.nAGQ,
    factors,
    weights: options.weights,
    alpha: options.alpha,
    s: options.s === 'min' ? 'lambda.min' : 'lambda.1se',
    seed: options.seed,
  };
  if (options.newdata !== undefined && options.newdata.length > 0) {
    const names = options.newdataNames ? [...options.newdataNames] : options.newdata.map((_, k) => `newdata ${k + 1}`);
    const sets = options.newdata.map((d, k) => {
      const t = toTable(d);
      checkColumns(f, t, names[k]);
      return toTable(t, { factors: factors.filter((c) => t.columns.has(c)) });
    });
    const results = methods.map((m) => onNewData(m, table, sets, { ...settings, foldid: options.foldid, nfolds: options.folds }, f, metric));
    return { metric, family, mode: 'newdata', sets: names, methods: results };
  }
  const foldid = options.foldid !== undefined
    ? checkFoldid(columnOrValues(options.foldid, table, 'fold id')!, table.nrow)
    : randomFoldid(table.nrow, options.folds ?? 10, options.seed ?? 1);
  const K = foldid.reduce((a, b) => Math.max(a, b), 0);
  const results = methods.map((m) => crossValidate(m, table, foldid, K, settings, f, metric));
  return { metric, family, mode: 'cross-validation', sets: Array.from({ length: K }, (_, k) => `fold ${k + 1}`), methods: results };
}

function onNewData(method: Method, train: DataTable, sets: DataTable[], s: MethodSettings, f: ModelFormula, metric: Metric): MethodResult {
  const fit = fitMethod(method, train, s);
  const messages = [...fit.messages];
  const scores = sets.map((set) => {
    const p = fit.predict(set);
    messages.push(...p.messages);
    return score(metric, s.family, observed(f, set, s.family), p.mean);
  });
  return { method, fitSeconds: fit.fitSeconds, coefficients: fit.coefficients, scores, ...meanSd(scores), messages: [...new Set(messages)] };
}

/** Scores by fold; fit time and coefficients from the fit to all the training data. */
function crossValidate(method: Method, table: DataTable, foldid: Int32Array, K: number, s: MethodSettings, f: ModelFormula, metric: Metric): MethodResult {
  const full = fitMethod(method, table, s);
  const scores: number[] = [];
  const messages: string[] = [...full.messages];
  for (let k = 1; k <= K; k++) {
    const trainRows: number[] = [], testRows: number[] = [];
    foldid.forEach((fk, i) => (fk === k ? testRows : trainRows).push(i));
    const fit = fitMethod(method, tableRows(table, trainRows), s);
    const test = tableRows(table, testRows);
    const p = fit.predict(test);
    messages.push(...fit.messages, ...p.messages);
    scores.push(score(metric, s.family, observed(f, test, s.family), p.mean));
  }
  return { method, fitSeconds: full.fitSeconds, coefficients: full.coefficients, scores, ...meanSd(scores), messages: [...new Set(messages)] };
}
