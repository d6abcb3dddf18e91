/**
 * Checks on the model's variables before any row is dropped or any number is
 * fitted, so that no bad value turns silently into a dropped row or a wrong fit.
 * Each names the variable, the first row and the data values behind it.
 *
 * - A column read as text though it looks numeric (`looksNumeric`, e.g. a CSV
 *   column of numbers with one `n/a`) may not be used as a number: R's
 *   read.csv would make it a factor and fit one coefficient per value.
 * - A transform that is undefined on complete data (`log(x)` for x < 0,
 *   `sqrt(-1)`, `0/0`) is an error, not a missing value: R drops such rows
 *   with a warning that is easy to miss.
 * - ±Infinity, in a data column or made by a transform, is an error.
 * - Finite numbers too large to square (|x| > LARGE) are an error: sums of
 *   squares of n such values overflow to Infinity in the fit.
 */
import type { DataTable } from '../data/types.js';
import { formatNumber } from '../data/rnumber.js';
import { MixedModelsError } from '../errors.js';
import type { Node } from '../formula/ast.js';
import { isFactorCall } from '../formula/functions.js';
import { walk } from '../formula/walk.js';
import { markMissing, type Value } from './value.js';
import { columnsOf } from './variables.js';

/** Largest magnitude accepted: n x^2 stays finite for n up to 1e8 (sqrt(1.8e308 / 1e8) = 1.3e150). */
export const LARGE = 1e150;

/**
 * Refuses a column with `looksNumeric` used as a number: anywhere in `nodes`
 * other than as the argument of `factor()`, unless named in `factors`.
 * (Grouping factors are not passed here: any column can group.)
 */
export function checkNumericUse(nodes: readonly Node[], table: DataTable, factors: readonly string[] = []): void {
  for (const node of nodes) {
    walk(node, (n) => {
      if (isFactorCall(n)) return false;
      if (n.kind !== 'name') return;
      const column = table.columns.get(n.name);
      if (column?.kind !== 'categorical' || column.looksNumeric === undefined || factors.includes(n.name)) return;
      throw new MixedModelsError(
        `column '${n.name}' ${column.looksNumeric}, and the model uses it as a number: ` +
          `fix that value (an empty field or NA is a missing value), or treat the column as categorical with --factor ${n.name} (library: factors: ['${n.name}'])`,
      );
    });
  }
}

/** Rows where a column the variables use (or the weight) is missing. */
export function dataMissing(variables: ReadonlyMap<string, Node>, table: DataTable, weights: Float64Array | null): Uint8Array {
  const missing = new Uint8Array(table.nrow);
  const names = new Set([...variables.values()].flatMap(columnsOf));
  for (const name of names) {
    const column = table.columns.get(name);
    if (column === undefined) continue;
    // Plain loops: forEach with a callback costs about 25 ms per million rows and column.
    const values = column.values;
    if (column.kind === 'numeric') {
      for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) missing[i] = 1;
    } else {
      for (let i = 0; i < values.length; i++) if (values[i] === null) missing[i] = 1;
    }
  }
  if (weights !== null) for (let i = 0; i < weights.length; i++) if (Number.isNaN(weights[i])) missing[i] = 1;
  return missing;
}

/**
 * A variable that is missing (NaN, no level) on a row whose data are complete
 * was made so by a transform: refuse it. `where` prefixes the message (`newdata: `).
 */
export function checkDefined(variables: ReadonlyMap<string, Node>, values: ReadonlyMap<string, Value>, table: DataTable, missing: Uint8Array, where = ''): void {
  for (const [label, value] of values) {
    // A bare column is missing exactly where its data are: two passes over the rows spared.
    if (variables.get(label)!.kind === 'name') continue;
    const mask = new Uint8Array(table.nrow);
    markMissing(value, mask);
    let first = -1, count = 0;
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] === 0 || missing[i] === 1) continue;
      if (first < 0) first = i;
      count++;
    }
    if (first < 0) continue;
    const more = count > 1 ? ` and in ${count - 1} more row${count === 2 ? '' : 's'}` : '';
    const consequence = where === ''
      ? `R would drop ${count === 1 ? 'that row' : `those ${count} rows`} as missing, which changes the data silently`
      : `R would predict NA there`;
    throw new MixedModelsError(
      `${where}'${label}' is not defined (NaN) in row ${first + 1}${inputs(variables.get(label)!, table, first)}${more}: ` +
        `the transform has no value there; ${consequence}: subset the data or change the transform`,
    );
  }
}

/** ±Infinity or |x| > LARGE on a kept row: in a data column, or in a variable made from it. `where` prefixes the message. */
export function checkFinite(variables: ReadonlyMap<string, Node>, values: ReadonlyMap<string, Value>, table: DataTable, rows: Int32Array, where = ''): void {
  const columns = new Set([...variables.values()].flatMap(columnsOf));
  for (const name of columns) {
    const column = table.columns.get(name);
    if (column?.kind !== 'numeric') continue;
    const at = firstBad(column.values, rows, 1);
    if (at !== null) throw badNumber(`${where}column '${name}'`, at.value, at.row, '');
  }
  for (const [label, value] of values) {
    // A bare numeric column's value is its data, checked above.
    if (value.kind === 'categorical' || variables.get(label)!.kind === 'name') continue;
    const at = firstBad(value.values, rows, value.kind === 'numeric' ? 1 : value.ncol);
    if (at !== null) throw badNumber(`${where}'${label}'`, at.value, at.row, inputs(variables.get(label)!, table, at.row));
  }
}

function badNumber(what: string, value: number, row: number, from: string): MixedModelsError {
  const reason = Number.isFinite(value)
    ? `: numbers beyond ±${LARGE.toExponential(0)} overflow when squared in the fit; rescale (divide by a power of ten, or take a log)`
    : ': infinite values cannot be fitted';
  return new MixedModelsError(`${what} is ${short(value)} in row ${row + 1}${from}${reason}`);
}

/** The first kept row where a column of the column-major matrix x (ncol columns) is infinite or beyond LARGE. */
function firstBad(x: Float64Array, rows: Int32Array, ncol: number): { row: number; value: number } | null {
  const n = x.length / ncol;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    for (let j = 0; j < ncol; j++) {
      const v = x[row + j * n];
      if (Math.abs(v) > LARGE) return { row, value: v };
    }
  }
  return null;
}

/** ` (where x = 2.5, y = -1)`: the numeric data values a node reads on a row; '' for a bare column. */
function inputs(node: Node, table: DataTable, row: number): string {
  if (node.kind === 'name') return '';
  const parts = columnsOf(node).flatMap((name) => {
    const column = table.columns.get(name);
    return column?.kind === 'numeric' ? [`${name} = ${short(column.values[row])}`] : [];
  });
  return parts.length === 0 ? '' : ` (where ${parts.slice(0, 4).join(', ')})`;
}

/** A number for a message: six significant digits at most, `Inf`, `NA`. */
function short(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : formatNumber(x);
}
