/**
 * The formula of a penalised regression evaluated on the data: the rows where
 * no variable the model uses is missing, the response (glm's reading of it:
 * numbers, `cbind(s, f)` as proportions with trials, a two-level factor as
 * 0/1), prior weights, offsets (`offset()` terms and an offset column) and the
 * sparse design (sparseDesign.ts). Random-effects bars are not allowed here:
 * `fixedFormula` (evaluate/) turns them into fixed factors first.
 */
import { toTable } from '../data/table.js';
import type { DataTable } from '../data/types.js';
import { MixedModelsError, closest } from '../errors.js';
import type { ModelFormula, Node } from '../formula/ast.js';
import { deparse } from '../formula/deparse.js';
import { evaluate, type EvalContext } from '../frame/evaluate.js';
import { response } from '../frame/response.js';
import { infiniteAt, markMissing, type Value } from '../frame/value.js';
import { modelVariables } from '../frame/variables.js';
import { sparseDesign, type SparseDesign } from './sparseDesign.js';

export interface PenalizedFrameOptions {
  /** Numeric columns to treat as categorical. */
  factors?: readonly string[];
  /** Prior weights: a numeric column's name or one number per data row. */
  weights?: string | ArrayLike<number>;
  /** An offset column, added to the formula's `offset()` terms. */
  offset?: string;
  /** `binomial` allows a two-level categorical response. */
  family?: string;
}

/** `penalizedFrame`'s result: the sparse design, its column names, the response, weights and offset. */
export interface PenalizedFrame {
  readonly formula: ModelFormula;
  readonly nobs: number;
  /** Input rows used, ascending. */
  readonly rows: Int32Array;
  readonly nDropped: number;
  /** The response as R deparses it. */
  readonly responseName: string;
  /** Numbers; proportions for `cbind(s, f)`; 0/1 for a two-level factor. */
  readonly y: Float64Array;
  /** `cbind(s, f)`: s + f per row; else null. */
  readonly trials: Float64Array | null;
  readonly responseLevels: [string, string] | null;
  /** User prior weights (null when not given). */
  readonly weights: Float64Array | null;
  readonly offset: Float64Array | null;
  /** The formula's intercept (`~ 0 + x` has none). */
  readonly intercept: boolean;
  readonly design: SparseDesign;
  /** Levels of each categorical variable (by label) in the rows used: new data are coded with them. */
  readonly levels: ReadonlyMap<string, readonly string[]>;
  readonly messages: readonly string[];
}

/**
 * The design of a penalised model: numeric columns as they are, one indicator per level of a categorical variable (no reference level), stored sparse.
 */
export function penalizedFrame(formula: ModelFormula, data: DataTable, options: PenalizedFrameOptions = {}): PenalizedFrame {
  if (formula.random.length > 0) throw new MixedModelsError('glmnet takes no random-effects terms such as (1 | g); write the grouping factor as a fixed term');
  if (formula.response === null) throw new MixedModelsError('the formula has no response: write it as `y ~ ...`');
  const table = options.factors?.length ? toTable(data, { factors: options.factors }) : data;
  const variables = modelVariables(formula);
  const text = formula.ast.text;
  const all = Int32Array.from({ length: table.nrow }, (_, i) => i);
  const weightsAll = columnOrValues(options.weights, table, 'weights');
  const offsetAll = columnOrValues(options.offset, table, 'offset');
  const screen = evaluateAll(variables, { table, text, rows: all });
  const rows = keptRows(screen, [weightsAll, offsetAll], table.nrow);
  const values = rows.length === table.nrow ? screen : evaluateAll(variables, { table, text, rows });
  checkFinite(values, rows.length);
  const n = rows.length;
  const res = response(formula.response, values, options.family);
  const weights = weightsAll === null ? null : Float64Array.from(rows, (r) => weightsAll[r]);
  if (weights !== null) {
    const bad = weights.findIndex((w) => !(w >= 0 && w < Infinity));
    if (bad >= 0) throw new MixedModelsError(`weights must be finite and non-negative: row ${rows[bad] + 1} has ${weights[bad]}`);
  }
  const nDropped = table.nrow - n;
  return {
    formula,
    nobs: n,
    rows,
    nDropped,
    responseName: deparse(formula.response),
    ...res,
    weights,
    offset: sumOffsets(formula, values, offsetAll, rows),
    intercept: formula.fixed.intercept,
    design: sparseDesign(formula.fixed, values, n),
    levels: categoricalLevels(values),
    messages: nDropped > 0 ? [`dropped ${nDropped} row${nDropped === 1 ? '' : 's'} with missing values`] : [],
  };
}

function evaluateAll(variables: ReadonlyMap<string, Node>, ctx: EvalContext): Map<string, Value> {
  return new Map([...variables].map(([key, node]) => [key, evaluate(node, ctx)]));
}

/** A numeric column by name (an error naming the closest column when unknown), or numbers given directly. */
export function columnOrValues(spec: string | ArrayLike<number> | undefined, table: DataTable, what: string): Float64Array | null {
  if (spec === undefined) return null;
  if (typeof spec !== 'string') {
    if (spec.length !== table.nrow) throw new MixedModelsError(`${what} have ${spec.length} values but the data have ${table.nrow} rows`);
    return Float64Array.from(spec, (v) => (v === null || v === undefined ? NaN : v));
  }
  const column = table.columns.get(spec);
  if (column === undefined) {
    const near = closest(spec, table.names);
    throw new MixedModelsError(`unknown ${what} column '${spec}'${near === null ? '' : ` (did you mean '${near}'?)`}`);
  }
  if (column.kind !== 'numeric') throw new MixedModelsError(`${what} column '${spec}' is not numeric`);
  return column.values;
}

/** Rows where no variable, weight or offset is missing; an error when none is left. */
function keptRows(values: ReadonlyMap<string, Value>, extra: (Float64Array | null)[], nrow: number): Int32Array {
  const missing = new Uint8Array(nrow);
  for (const value of values.values()) markMissing(value, missing);
  for (const x of extra) if (x !== null) for (let i = 0; i < nrow; i++) if (Number.isNaN(x[i])) missing[i] = 1;
  const rows: number[] = [];
  for (let i = 0; i < nrow; i++) if (missing[i] === 0) rows.push(i);
  if (rows.length === 0) throw new MixedModelsError(nrow === 0 ? 'the data have no rows' : `no rows left: each of the ${nrow} rows has a missing value`);
  return Int32Array.from(rows);
}

function checkFinite(values: ReadonlyMap<string, Value>, n: number): void {
  for (const [label, value] of values) {
    for (let i = 0; i < n; i++) {
      const v = infiniteAt(value, i);
      if (v !== 0) throw new MixedModelsError(`'${label}' is ${v} in row ${i + 1} of the rows used`);
    }
  }
}

function sumOffsets(formula: ModelFormula, values: ReadonlyMap<string, Value>, column: Float64Array | null, rows: Int32Array): Float64Array | null {
  const nodes = formula.fixed.offsets;
  if (nodes.length === 0 && column === null) return null;
  const total = column === null ? new Float64Array(rows.length) : Float64Array.from(rows, (r) => column[r]);
  for (const node of nodes) {
    const value = values.get(deparse(node))!;
    if (value.kind !== 'numeric') throw new MixedModelsError(`offset(${deparse(node)}) must be numeric`);
    value.values.forEach((v, i) => (total[i] += v));
  }
  const bad = total.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new MixedModelsError(`the offset is ${total[bad]} in row ${rows[bad] + 1}`);
  return total;
}

function categoricalLevels(values: ReadonlyMap<string, Value>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [label, v] of values) if (v.kind === 'categorical') out.set(label, v.levels);
  return out;
}
