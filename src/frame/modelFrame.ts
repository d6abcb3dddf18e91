import { toTable } from '../data/table.js';
import type { DataTable } from '../data/types.js';
import { MixedModelsError, closest, expectArgument } from '../errors.js';
import type { ModelFormula, Node } from '../formula/ast.js';
import { deparse } from '../formula/deparse.js';
import { parseFormula } from '../formula/parse.js';
import { expandFormula } from '../formula/terms.js';
import { dropAliased } from './aliased.js';
import { CONTRAST_KINDS, type ContrastsOption } from './contrasts.js';
import { evaluate, type EvalContext } from './evaluate.js';
import { designMatrix } from './modelMatrix.js';
import { reTerms } from './reTerms.js';
import { response } from './response.js';
import type { ModelFrame } from './types.js';
import { walk } from '../formula/walk.js';
import { markMissing, pickRows, subsetValue, type Value } from './value.js';
import { columnsOf, modelVariables } from './variables.js';
import { checkDefined, checkFinite, checkNumericUse, dataMissing } from './valueChecks.js';

/**
 * How `modelFrame` codes the data: categorical columns, contrasts, reference levels, weights and offsets (the subset of FitOptions that shapes the design).
 */
export interface ModelFrameOptions {
  /** Prior weights: a numeric column's name, or one number per data row. */
  weights?: string | ArrayLike<number>;
  /** Columns to treat as categorical (numbers become levels in numeric order). */
  factors?: readonly string[];
  /** Contrasts per categorical variable label (`recipe`, `factor(x)`); treatment by default. */
  contrasts?: ContrastsOption;
  /** Reference (first) level per categorical column. */
  reference?: Readonly<Record<string, string>>;
  /** The GLM family (`gaussian` when absent): `binomial` allows a two-level categorical response. */
  family?: string;
}

/**
 * The formula evaluated on the data (lme4's `lFormula`): every variable the
 * model uses is evaluated, rows where any is missing are dropped, then the
 * variables are taken on the kept rows (row-wise ones subset, those using
 * `scale` or `poly` evaluated again so they see only those rows), and the
 * response, weights, offset, fixed-effects matrix (aliased columns dropped)
 * and random-effects terms are built.
 */
export function modelFrame(formula: ModelFormula, data: DataTable, options: ModelFrameOptions = {}): ModelFrame {
  expectArgument('modelFrame', 'formula', formula, { object: 'an expanded formula (from expandFormula)', keys: ['ast', 'fixed', 'random'] });
  expectArgument('modelFrame', 'data', data, { object: 'a DataTable (from toTable or parseCsv)', keys: ['names', 'columns'] });
  const table = options.factors?.length ? toTable(data, { factors: options.factors }) : data;
  checkReferences(table, options.reference);
  const text = formula.ast.text;
  const variables = modelVariables(formula);
  const allRows = new Int32Array(table.nrow);
  for (let i = 0; i < allRows.length; i++) allRows[i] = i;
  checkNumericUse(numericNodes(formula), table, options.factors);
  const referenced = new Set<string>();
  const screen = evaluateAll(variables, { table, text, rows: allRows, reference: options.reference, referenced });
  checkReferencesUsed(options.reference, referenced, new Set([...variables.values()].flatMap(columnsOf)), table, options.factors);
  const weightsAll = readWeights(options.weights, table);
  const missing = dataMissing(variables, table, weightsAll);
  checkDefined(variables, screen, table, missing);
  // With bare columns only, the variables are missing exactly where their data (or the weight) are.
  const bare = [...variables.values()].every((node) => node.kind === 'name');
  const rows = keptRows(screen, weightsAll, allRows, bare ? missing : null);
  checkFinite(variables, screen, table, rows);
  const weights = weightsAll === null ? null : pickRows(weightsAll, rows, 1);
  checkSomeWeight(weights, options.weights);
  const values = onKeptRows(variables, screen, { table, text, rows, reference: options.reference });
  checkContrasts(options.contrasts, values);
  const n = rows.length;
  const fixed = dropAliased(designMatrix(formula.fixed, values, n, options.contrasts));
  const res = response(formula.response, values, options.family);
  const messages: string[] = [];
  if (formula.fixed.responseDropped) messages.push(`the response '${deparse(formula.response!)}' also appears on the right-hand side of the formula: that term was dropped (as R does)`);
  const nDropped = table.nrow - n;
  if (nDropped > 0) messages.push(`dropped ${nDropped} row${nDropped === 1 ? '' : 's'} with missing values`);
  if (fixed.aliased.length > 0) messages.push(`dropped aliased columns: ${fixed.aliased.join(', ')}`, ...fixed.notes);
  return {
    formula,
    nobs: n,
    rows,
    nDropped,
    responseName: formula.response === null ? '' : deparse(formula.response),
    ...res,
    weights,
    offset: sumOffsets(formula, values, n),
    X: fixed.design.values,
    p: fixed.design.p,
    colnames: fixed.design.colnames,
    assign: fixed.design.assign,
    aliased: fixed.aliased,
    reTerms: reTerms(formula.random, values, n, { contrasts: options.contrasts, allowNLevels: isGlm(options.family), X: fixed.design.values }),
    messages,
  };
}

/** Parses, expands and evaluates a formula: `modelFrame(expandFormula(parseFormula(text), columns), data)`. */
export function modelFrameFromText(text: string, data: DataTable, options: ModelFrameOptions = {}): ModelFrame {
  expectArgument('modelFrameFromText', 'data', data, { object: 'a DataTable (from toTable or parseCsv)', keys: ['names', 'columns'] });
  return modelFrame(expandFormula(parseFormula(text), data.names), data, options);
}

function isGlm(family: string | undefined): boolean {
  return family !== undefined && family !== 'gaussian';
}

function evaluateAll(variables: ReadonlyMap<string, Node>, ctx: EvalContext): Map<string, Value> {
  return new Map([...variables].map(([key, node]) => [key, evaluate(node, ctx)]));
}

/**
 * The variables' values on the kept rows `ctx.rows`, from their values on all
 * rows (`screen`): unchanged when no row was dropped, else subset, except that
 * variables using `scale` or `poly` are evaluated again on the kept rows.
 */
function onKeptRows(variables: ReadonlyMap<string, Node>, screen: Map<string, Value>, ctx: EvalContext): Map<string, Value> {
  if (ctx.rows.length === ctx.table.nrow) return screen;
  const values = new Map<string, Value>();
  for (const [key, node] of variables) {
    values.set(key, dependsOnRows(node) ? evaluate(node, ctx) : subsetValue(screen.get(key)!, ctx.rows));
  }
  return values;
}

/** Whether a node's value on a row depends on which other rows are evaluated (`scale`, `poly`). */
function dependsOnRows(node: Node): boolean {
  let found = false;
  walk(node, (n) => {
    if (n.kind === 'call' && (n.fn === 'scale' || n.fn === 'poly')) found = true;
    return !found;
  });
  return found;
}

/**
 * Rows where no variable (and no weight) is missing (`all`, every row, when none is); error if none is left.
 * `given`: those rows' marks when already known (dataMissing's, for bare columns), else null.
 */
function keptRows(values: ReadonlyMap<string, Value>, weights: Float64Array | null, all: Int32Array, given: Uint8Array | null): Int32Array {
  const nrow = all.length;
  let missing = given;
  if (missing === null) {
    missing = new Uint8Array(nrow);
    for (const value of values.values()) markMissing(value, missing);
    if (weights !== null) for (let i = 0; i < nrow; i++) if (Number.isNaN(weights[i])) missing[i] = 1;
  }
  let kept = 0;
  for (let i = 0; i < nrow; i++) kept += 1 - missing[i];
  if (kept === nrow && nrow > 0) return all;
  const rows = new Int32Array(kept);
  for (let i = 0, k = 0; i < nrow; i++) if (missing[i] === 0) rows[k++] = i;
  if (rows.length === 0) {
    const names = [...values.keys()].join(', ');
    throw new MixedModelsError(
      nrow === 0 ? 'the data have no rows' : `no rows left: each of the ${nrow} rows has a missing value in ${names}`,
    );
  }
  return rows;
}

/** The nodes whose columns are read as numbers if numeric: response, terms and offsets, not grouping factors. */
function numericNodes(formula: ModelFormula): Node[] {
  const lists = [formula.fixed, ...formula.random.map((r) => r.lhs)];
  return [...(formula.response ? [formula.response] : []), ...lists.flatMap((l) => [...l.terms.flatMap((t) => t.variables), ...l.offsets])];
}

/** Weights that are all zero leave nothing to fit (R's lm would return an empty fit). */
function checkSomeWeight(weights: Float64Array | null, given: ModelFrameOptions['weights']): void {
  if (weights === null || weights.some((w) => w > 0)) return;
  const what = typeof given === 'string' ? `weights column '${given}'` : 'the weights';
  throw new MixedModelsError(`${what} is zero in every row used: a row with weight zero does not count, so there is nothing to fit`);
}

function readWeights(weights: ModelFrameOptions['weights'], table: DataTable): Float64Array | null {
  if (weights === undefined) return null;
  let values: Float64Array;
  if (typeof weights === 'string') {
    const column = table.columns.get(weights);
    if (column === undefined) {
      const near = closest(weights, table.names);
      throw new MixedModelsError(`unknown weights column '${weights}'${near === null ? '' : ` (did you mean '${near}'?)`}`);
    }
    if (column.kind !== 'numeric') throw new MixedModelsError(`weights column '${weights}' is not numeric`);
    values = column.values;
  } else {
    if (weights.length !== table.nrow) {
      throw new MixedModelsError(`weights have ${weights.length} values but the data have ${table.nrow} rows`);
    }
    values = Float64Array.from(weights, (w) => (w === null || w === undefined ? NaN : w));
  }
  const bad = values.findIndex((w) => w < 0 || w === Infinity);
  if (bad >= 0) throw new MixedModelsError(`weights must be finite and non-negative: row ${bad + 1} has ${values[bad]}`);
  return values;
}

function sumOffsets(formula: ModelFormula, values: ReadonlyMap<string, Value>, n: number): Float64Array | null {
  const offsets = formula.fixed.offsets;
  if (offsets.length === 0) return null;
  const total = new Float64Array(n);
  for (const node of offsets) {
    const label = deparse(node);
    const value = values.get(label)!;
    if (value.kind !== 'numeric') throw new MixedModelsError(`offset(${label}) must be numeric`);
    value.values.forEach((v, i) => (total[i] += v));
  }
  return total;
}

function checkReferences(table: DataTable, reference: ModelFrameOptions['reference']): void {
  for (const name of Object.keys(reference ?? {})) {
    if (!table.columns.has(name)) throw unknownReferenceError(name, table.names);
  }
}

/** A reference level for a column the data do not have (here, and from a source: sources/fitSource.ts). */
export function unknownReferenceError(name: string, columns: readonly string[]): MixedModelsError {
  const near = closest(name, columns);
  return new MixedModelsError(`reference level given for unknown column '${name}'${near === null ? '' : ` (did you mean '${near}'?)`}`);
}

/** A reference level for a column no categorical variable of the model comes from: one the model does not use, a numeric one, or (neither) one it uses otherwise. */
export function unusedReferenceError(name: string, used: boolean, numeric: boolean): MixedModelsError {
  const why = !used ? 'the model does not use it'
    : numeric ? `it is numeric here (make it categorical with --factor ${name}, or factor(${name}) in the formula)`
    : 'the model does not use it as a categorical variable';
  return new MixedModelsError(`reference level given for '${name}', which is not a categorical variable of the model: ${why}`);
}

/** A reference level given for a column no categorical variable of the model comes from would be ignored: said instead. */
function checkReferencesUsed(reference: ModelFrameOptions['reference'], referenced: ReadonlySet<string>, used: ReadonlySet<string>, table: DataTable, factors: readonly string[] | undefined): void {
  for (const name of Object.keys(reference ?? {})) {
    if (referenced.has(name)) continue;
    throw unusedReferenceError(name, used.has(name), table.columns.get(name)?.kind === 'numeric' && !(factors ?? []).includes(name));
  }
}

function checkContrasts(contrasts: ModelFrameOptions['contrasts'], values: ReadonlyMap<string, Value>): void {
  const known = (kind: unknown) => (CONTRAST_KINDS as readonly unknown[]).includes(kind);
  const use = `use ${CONTRAST_KINDS.map((k) => `'${k}'`).join(', ')}`;
  if (typeof contrasts === 'string') {
    if (!known(contrasts)) throw new MixedModelsError(`unknown contrasts '${contrasts}': ${use}`);
    return;
  }
  const categorical = [...values].filter(([, v]) => v.kind === 'categorical').map(([k]) => k);
  for (const [label, kind] of Object.entries(contrasts ?? {})) {
    if (!known(kind)) throw new MixedModelsError(`unknown contrasts '${kind}' for '${label}': ${use}`);
    if (categorical.includes(label)) continue;
    const near = closest(label, categorical);
    const hint = near === null ? '' : ` (did you mean '${near}'?)`;
    throw new MixedModelsError(`contrasts given for '${label}', which is not a categorical variable of the model${hint}`);
  }
}
