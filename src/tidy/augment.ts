/**
 * broom's augment(): the rows the model was fitted to, each with its data
 * columns and the model's values for it.
 *
 * - `.fitted`: the fitted value on the link scale (broom's default
 *   type.predict = "link"): X beta + Z b + offset for mixed models, X beta +
 *   offset for lm and glm;
 * - `.resid`: residuals(m) as R gives them: y - fitted for lm and LMMs,
 *   deviance residuals sign(y - mu) sqrt(d_i) for glm and GLMMs;
 * - `.fixed` (mixed models): the population prediction X beta + offset, link scale
 *   (lme4's predict(m, re.form = NA, type = "link"));
 * - `.mu` (glm, lmm, glmm): the conditional mean on the response scale, g^-1(.fitted).
 *
 * Rows dropped for missing values are left out, as broom's augment without
 * newdata. `data`, when given, must be the table the model was fitted to (or
 * one with the same rows and more columns); otherwise the model's own data.
 */
import { checkModel } from '../api/arguments.js';
import type { FittedModel } from '../api/fit.js';
import { toTable } from '../data/index.js';
import type { DataTable } from '../data/types.js';
import { MixedModelsError } from '../errors.js';
import type { ModelFrame } from '../frame/types.js';
import { finite, type TidyRow } from './rows.js';

/** X beta + offset per row of the frame (beta in the frame's column order). */
function populationPredictor(frame: ModelFrame, beta: ArrayLike<number>): Float64Array {
  const { nobs: n, p, X, offset } = frame;
  const eta = offset === null ? new Float64Array(n) : Float64Array.from(offset);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) eta[i] += X[j * n + i] * beta[j];
  return eta;
}

function fittedBeta(m: FittedModel): Float64Array {
  if (m.kind === 'lmm' || m.kind === 'glmm') return m.fit.beta;
  const byTerm = new Map(m.fit.coefficients.map((c) => [c.term, c.estimate]));
  return Float64Array.from(m.frame.colnames, (name) => byTerm.get(name) ?? 0);
}

/** Per row: the model's columns (see the module comment). */
function modelColumns(m: FittedModel): Record<string, ArrayLike<number>> {
  switch (m.kind) {
    case 'lm':
      return { '.fitted': m.fit.fitted, '.resid': m.fit.residuals };
    case 'glm':
      return { '.fitted': m.fit.linearPredictor, '.resid': m.fit.residuals, '.mu': m.fit.fitted };
    case 'lmm':
      return { '.fitted': m.fit.fitted, '.resid': m.fit.residuals, '.fixed': populationPredictor(m.frame, fittedBeta(m)), '.mu': m.fit.fitted };
    case 'glmm':
      return { '.fitted': m.fit.linearPredictor, '.resid': m.fit.residuals, '.fixed': populationPredictor(m.frame, fittedBeta(m)), '.mu': m.fit.fitted };
  }
}

function dataOf(m: FittedModel, data: unknown): DataTable {
  if (data === undefined) return m.data;
  const table = toTable(data, { factors: m.options.factors });
  if (table.nrow !== m.data.nrow) {
    throw new MixedModelsError(`augment(): data has ${table.nrow} rows but the model was fitted to ${m.data.nrow}; pass the data it was fitted to (or leave data out)`);
  }
  return table;
}

/**
 * The fitted rows with broom's added columns, as `augment`: `.fitted`, `.resid`, `.fixed` (the
 * population prediction) and, for GLMs and GLMMs, `.mu`; `data` (default: the data the model was
 * fitted to) supplies the other columns.
 * @example
 * ```ts
 * const rows = augment(m); // [{ Reaction: 249.56, Days: 0, Subject: '308', '.fitted': 253.66, ... }]
 * ```
 */
export function augment(model: FittedModel, data?: unknown): TidyRow[] {
  checkModel('augment', model);
  const table = dataOf(model, data);
  const { rows, nobs } = model.frame;
  if (model.fit.fitted.length !== nobs || rows.length !== nobs) {
    throw new MixedModelsError("augment() needs the model's rows, and this fit was computed from sums where the data live: refit with the rows read (pushdown off)");
  }
  const extra = Object.entries(modelColumns(model));
  const out: TidyRow[] = new Array(nobs);
  for (let i = 0; i < nobs; i++) {
    const row: TidyRow = {};
    for (const name of table.names) {
      const col = table.columns.get(name)!;
      row[name] = col.kind === 'numeric' ? finite(col.values[rows[i]]) : col.values[rows[i]];
    }
    for (const [name, values] of extra) row[name] = finite(values[i]);
    out[i] = row;
  }
  return out;
}
