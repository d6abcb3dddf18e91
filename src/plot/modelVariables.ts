/**
 * A fitted model's predictors as the plots need them: which data columns the
 * fixed part uses and whether the model reads each as a number, their values
 * on the model's rows, the predictor a plot puts on its x axis, and a row of
 * typical values (numeric predictors at their mean, categorical ones at
 * their first value) for predictions over one predictor.
 */
import type { FittedModel, MixedModel } from '../api/fit.js';
import type { Column } from '../data/types.js';
import { MixedModelsError, closest } from '../errors.js';
import { isFactorCall } from '../formula/functions.js';
import { columnsOf } from '../frame/variables.js';

/** True when the model reads column `name` as numbers: numeric in the data, not in `factors`, not wrapped in `factor()`. */
export function isNumericIn(m: FittedModel, name: string): boolean {
  if (m.data.columns.get(name)?.kind !== 'numeric' || (m.options.factors ?? []).includes(name)) return false;
  const variables = m.frame.formula.fixed.terms.flatMap((t) => t.variables);
  return !variables.some((v) => isFactorCall(v) && columnsOf(v).includes(name));
}

/** The data columns the fixed part uses, in formula order. */
export function predictorsOf(m: FittedModel): string[] {
  return [...new Set(m.frame.formula.fixed.terms.flatMap((t) => t.variables.flatMap(columnsOf)))];
}

/** The numeric data columns the fixed part uses, in formula order. */
export function numericPredictors(m: FittedModel): string[] {
  return predictorsOf(m).filter((n) => isNumericIn(m, n));
}

/** The x-axis predictor: `x` when given (checked), else the first numeric one, else (when `anyKind`) the first. */
export function chooseX(m: FittedModel, x: string | undefined, kind: string, anyKind: boolean): string {
  const all = predictorsOf(m);
  if (x !== undefined) {
    if (!all.includes(x)) {
      const near = closest(x, all);
      throw new MixedModelsError(`'${x}' is not a predictor of the model${near ? ` (did you mean '${near}'?)` : ''}; predictors: ${all.join(', ') || 'none'}`);
    }
    return x;
  }
  const numeric = numericPredictors(m);
  if (numeric.length > 0) return numeric[0];
  if (anyKind && all.length > 0) return all[0];
  throw new MixedModelsError(`a ${kind} plot needs a numeric predictor in the fixed effects; this model has ${all.length ? all.join(', ') : 'none'}`);
}

/** A numeric column's values on the model's rows (empty for a categorical column). */
export function values(col: Column | undefined, rows: Int32Array): Float64Array {
  if (!col || col.kind !== 'numeric') return new Float64Array(0);
  return Float64Array.from(rows, (r) => col.values[r]);
}

/** The grouping columns of the random part and the columns its terms use. */
export function randomColumns(m: MixedModel): string[] {
  return [...new Set(m.frame.formula.random.flatMap((r) => [...r.group.flatMap(columnsOf), ...r.lhs.terms.flatMap((t) => t.variables.flatMap(columnsOf))]))];
}

/** Per column in `names` but those in `skip`: its mean on the model's rows if the model reads it as numbers, else its first value. */
export function typicalRow(m: FittedModel, names: readonly string[], skip: ReadonlySet<string>): Record<string, unknown> {
  const rows = m.frame.rows;
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const c = m.data.columns.get(name);
    if (skip.has(name) || !c) continue;
    if (c.kind === 'numeric' && isNumericIn(m, name)) {
      const v = values(c, rows);
      out[name] = v.reduce((a, b) => a + b, 0) / v.length;
    } else out[name] = c.kind === 'numeric' ? String(c.values[rows[0]]) : c.values[rows[0]];
  }
  return out;
}
