/**
 * The reference grid of a fitted model (emmeans' ref_grid, emmeans 1.8.4):
 * every combination of the predictors' reference values, and the
 * fixed-effects row x_g of each combination g, so that x_g' beta is the
 * model's prediction there (on the link scale).
 *
 * Predictors are the data columns the fixed-effects terms use, in order of
 * first use. Their reference values, from the rows the model used:
 * - a categorical column: its levels, in the model's order;
 * - a numeric column made categorical in the formula (`factor(period)`): its
 *   distinct values, sorted;
 * - a numeric column with at most two distinct values: both (emmeans'
 *   cov.keep = 2), so it is averaged over like a factor;
 * - any other numeric column: its mean (emmeans' cov.reduce = mean), which
 *   then enters every term through the formula (`log(x)` is log(mean x),
 *   `poly(x, 2)` is the fit's polynomial at mean x).
 * Columns that only an offset uses sit at their mean; the offset itself is
 * emmeans' `.offset.`, reduced like a numeric predictor: the mean of the
 * offsets over the rows (or of its two values when it has at most two).
 *
 * Nested factors (nesting.ts) are refused. Rows are ordered as R's
 * expand.grid: the first predictor varies fastest.
 * x_g is the model's fixed-effects terms evaluated on row g with the fit's
 * levels, contrasts and data-dependent transforms (predict/newFrame.ts).
 */
import type { FittedModel } from '../../api/fit.js';
import { toTable } from '../../data/index.js';
import type { Column, DataTable } from '../../data/types.js';
import { MixedModelsError } from '../../errors.js';
import { evaluate, type EvalContext } from '../../frame/evaluate.js';
import { columnsOf } from '../../frame/variables.js';
import { newFrame } from '../predict/newFrame.js';
import { findNesting } from './nesting.js';

export interface GridVariable {
  /** The data column. */
  name: string;
  /** Reference values: numbers for numeric columns, level labels for categorical ones. */
  levels: readonly (string | number)[];
  /** Categorical in the data or made so in the formula (emmeans lists it as a factor). */
  factor: boolean;
}

export interface ReferenceGrid {
  variables: GridVariable[];
  /** Number of grid rows: the product of the numbers of levels. */
  n: number;
  p: number;
  /** Row-major n x p: X[g * p + j] is column j of the fixed-effects row of grid row g. */
  X: Float64Array;
  /** The `.offset.` added to every row's linear predictor (0 without offsets). */
  offset: number;
  /** The fixed-effects column names (the model's). */
  colnames: readonly string[];
}

/** Largest grid built (emmeans' rg.limit). */
export const GRID_LIMIT = 10000;

/** Distinct values, ascending. */
function sortedUnique(values: Iterable<number>): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

function rowValues(column: Extract<Column, { kind: 'numeric' }>, rows: Int32Array): Float64Array {
  return Float64Array.from(rows, (r) => column.values[r]);
}

/** The data columns the fixed terms use, and which numeric ones a categorical formula variable coerces. */
function predictorColumns(model: FittedModel, data: DataTable): { names: string[]; coerced: Set<string> } {
  const { frame } = model;
  const ctx: EvalContext = { table: data, text: frame.formula.ast.text, rows: frame.rows, reference: model.options.reference };
  const names: string[] = [];
  const coerced = new Set<string>();
  for (const term of frame.formula.fixed.terms) {
    for (const node of term.variables) {
      const cols = columnsOf(node);
      for (const c of cols) if (!names.includes(c)) names.push(c);
      if (evaluate(node, ctx).kind !== 'categorical') continue;
      for (const c of cols) if (data.columns.get(c)?.kind === 'numeric') coerced.add(c);
    }
  }
  return { names, coerced };
}

/** The reference values of one predictor column (module comment). */
function gridVariable(model: FittedModel, data: DataTable, name: string, coerced: boolean): GridVariable {
  const { frame } = model;
  const column = data.columns.get(name);
  if (column === undefined) throw new MixedModelsError(`internal error: no column '${name}'`);
  if (column.kind === 'categorical') {
    const ctx: EvalContext = { table: data, text: name, rows: frame.rows, reference: model.options.reference };
    const value = evaluate({ kind: 'name', name, start: 0, end: name.length }, ctx);
    if (value.kind !== 'categorical') throw new MixedModelsError(`internal error: '${name}' is not categorical`);
    return { name, levels: value.levels, factor: true };
  }
  const values = rowValues(column, frame.rows);
  const unique = sortedUnique(values);
  if (coerced || unique.length <= 2) return { name, levels: unique, factor: coerced };
  return { name, levels: [values.reduce((s, v) => s + v, 0) / values.length], factor: false };
}

/** The grid rows as a data table: each variable's value per row, first variable fastest. */
function gridTable(variables: readonly GridVariable[], n: number, extra: Map<string, number>): Record<string, (string | number)[]> {
  const table: Record<string, (string | number)[]> = {};
  let stride = 1;
  for (const v of variables) {
    const k = v.levels.length, s = stride;
    table[v.name] = Array.from({ length: n }, (_, g) => v.levels[Math.floor(g / s) % k]);
    stride *= k;
  }
  for (const [name, value] of extra) table[name] = new Array<number>(n).fill(value);
  return table;
}

/** emmeans' `.offset.`: the mean offset, or the mean of its values when it has at most two. */
function offsetValue(offset: Float64Array | null): number {
  if (offset === null) return 0;
  const unique = sortedUnique(offset);
  const values = unique.length <= 2 ? unique : Array.from(offset);
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** The reference grid of a fitted model (module comment). */
export function referenceGrid(model: FittedModel): ReferenceGrid {
  const { frame } = model;
  const data = toTable(model.data, { factors: model.options.factors });
  if (frame.aliased.length > 0) {
    throw new MixedModelsError(`marginal means need a full-rank design, but ${frame.aliased.join(', ')} ${frame.aliased.length === 1 ? 'is' : 'are'} aliased (empty cells?)`);
  }
  const { names, coerced } = predictorColumns(model, data);
  const variables = names.map((name) => gridVariable(model, data, name, coerced.has(name)));
  const nested = findNesting(model, data, variables);
  if (nested.length > 0) {
    throw new MixedModelsError(`the model has nested factors (${nested.join(', ')}): their marginal means average over the observed combinations only, which is not supported yet`);
  }
  const n = variables.reduce((s, v) => s * v.levels.length, 1);
  if (n > GRID_LIMIT) throw new MixedModelsError(`the reference grid would have ${n} rows (more than ${GRID_LIMIT}): too many combinations of ${variables.filter((v) => v.levels.length > 1).map((v) => v.name).join(', ')}`);
  const offsetColumns = new Map<string, number>();
  for (const node of frame.formula.fixed.offsets) {
    for (const c of columnsOf(node)) {
      const column = data.columns.get(c);
      if (names.includes(c) || column?.kind !== 'numeric') continue;
      const values = rowValues(column, frame.rows);
      offsetColumns.set(c, values.reduce((s, v) => s + v, 0) / values.length);
    }
  }
  const source = { data: model.data, factors: model.options.factors, contrasts: model.options.contrasts, reference: model.options.reference };
  const rows = newFrame(frame, source, gridTable(variables, n, offsetColumns), { random: false });
  const p = frame.p, X = new Float64Array(n * p);
  for (let g = 0; g < n; g++) for (let j = 0; j < p; j++) X[g * p + j] = rows.X[g + j * n];
  return { variables, n, p, X, offset: offsetValue(frame.offset), colnames: frame.colnames };
}
