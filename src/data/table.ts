import { MixedModelsError, closest } from '../errors.js';
import { asCategorical } from './factor.js';
import type { Column, DataTable } from './types.js';

export interface TableOptions {
  /** Columns to treat as categorical even when they hold numbers (R's `factor(x)`). */
  factors?: readonly string[];
}

/**
 * Reads user data into a `DataTable`. Accepts
 * - an object of columns: arrays of numbers, strings, booleans, null/undefined, or typed arrays;
 * - an array of row objects (columns in order of first appearance);
 * - an Arrow-style table (`schema.fields[i].name`, `getChild(name).toArray()`);
 * - a `DataTable` (returned with the `factors` option applied).
 *
 * Numbers make numeric columns (null, undefined and NaN are missing); strings
 * and booleans (`FALSE`/`TRUE`) make categorical columns. A Float64Array is
 * used as is, without copying; the input is never modified.
 */
export function toTable(data: unknown, options: TableOptions = {}): DataTable {
  const columns = readColumns(data);
  const names = [...columns.keys()];
  const nrow = columns.size === 0 ? 0 : columnLength(columns.values().next().value as Column);
  for (const name of options.factors ?? []) {
    const column = columns.get(name);
    if (column === undefined) throw unknownColumn(name, names, 'factors');
    columns.set(name, asCategorical(column, name));
  }
  return { names, nrow, columns };
}

/** The table's column names, in order. */
export function columnNames(table: DataTable): string[] {
  return [...table.names];
}

function readColumns(data: unknown): Map<string, Column> {
  if (isDataTable(data)) return new Map(data.columns);
  if (isArrowTable(data)) return fromArrow(data);
  if (Array.isArray(data)) return fromRows(data);
  if (data !== null && typeof data === 'object' && !ArrayBuffer.isView(data)) return fromColumns(data as Record<string, unknown>);
  throw new MixedModelsError('data must be an object of columns, an array of row objects or an Arrow table');
}

function fromColumns(data: Record<string, unknown>): Map<string, Column> {
  const columns = new Map<string, Column>();
  let first: string | null = null;
  for (const [name, values] of Object.entries(data)) {
    if (!Array.isArray(values) && !isNumericTypedArray(values)) {
      throw new MixedModelsError(`column '${name}' is not an array`);
    }
    const column = toColumn(name, values as ArrayLike<unknown>);
    if (first !== null && columnLength(column) !== columnLength(columns.get(first)!)) {
      throw new MixedModelsError(
        `column '${name}' has ${columnLength(column)} values but column '${first}' has ${columnLength(columns.get(first)!)}`,
      );
    }
    first ??= name;
    columns.set(name, column);
  }
  return columns;
}

function fromRows(rows: readonly unknown[]): Map<string, Column> {
  const names = new Set<string>();
  rows.forEach((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new MixedModelsError(`row ${i + 1} of the data is not an object`);
    }
    for (const key of Object.keys(row)) names.add(key);
  });
  const columns = new Map<string, Column>();
  for (const name of names) {
    columns.set(name, toColumn(name, rows.map((row) => (row as Record<string, unknown>)[name])));
  }
  return columns;
}

interface ArrowVector {
  toArray(): ArrayLike<unknown>;
  nullCount?: number;
  isValid?(i: number): boolean;
  get?(i: number): unknown;
}

interface ArrowTable {
  schema: { fields: ReadonlyArray<{ name: string }> };
  getChild(name: string): ArrowVector | null;
}

function fromArrow(table: ArrowTable): Map<string, Column> {
  const columns = new Map<string, Column>();
  for (const { name } of table.schema.fields) {
    const vector = table.getChild(name);
    if (vector === null || typeof vector?.toArray !== 'function') {
      throw new MixedModelsError(`Arrow column '${name}' cannot be read`);
    }
    columns.set(name, arrowColumn(name, vector));
  }
  return columns;
}

/** Arrow primitive vectors give typed arrays whose null slots hold arbitrary numbers: mark those NaN. */
function arrowColumn(name: string, vector: ArrowVector): Column {
  const values = vector.toArray();
  const nulls = vector.nullCount ?? 0;
  if (!isNumericTypedArray(values) || nulls === 0) return toColumn(name, values);
  const out = Float64Array.from(values as ArrayLike<number | bigint>, Number);
  for (let i = 0; i < out.length; i++) {
    const valid = vector.isValid ? vector.isValid(i) : vector.get?.(i) != null;
    if (!valid) out[i] = NaN;
  }
  return { kind: 'numeric', values: out };
}

/** One column from an array of values: numeric, or categorical from strings / booleans. */
function toColumn(name: string, values: ArrayLike<unknown>): Column {
  if (values instanceof Float64Array) return { kind: 'numeric', values };
  if (isNumericTypedArray(values)) return { kind: 'numeric', values: Float64Array.from(values as ArrayLike<number | bigint>, Number) };
  const kind = valueKind(name, values);
  if (kind === 'numeric') {
    return { kind, values: Float64Array.from(values, (v) => (v === null || v === undefined ? NaN : Number(v))) };
  }
  return { kind: 'categorical', values: Array.from(values, textValue) };
}

type ValueType = 'number' | 'string' | 'boolean';

/** The column's kind; error when it mixes numbers with text or holds objects. */
function valueKind(name: string, values: ArrayLike<unknown>): Column['kind'] {
  const seen = new Map<ValueType, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    const type = typeof v === 'bigint' ? 'number' : typeof v;
    if (type !== 'number' && type !== 'string' && type !== 'boolean') {
      const what = v instanceof Date ? 'a Date' : `a value of type ${type}`;
      throw new MixedModelsError(`column '${name}' holds ${what} in row ${i + 1}; use numbers, strings or booleans`);
    }
    if (!seen.has(type)) seen.set(type, i);
    if (seen.size > 1) throw mixedColumn(name, values, seen);
  }
  return seen.has('number') || seen.size === 0 ? 'numeric' : 'categorical';
}

function mixedColumn(name: string, values: ArrayLike<unknown>, seen: Map<ValueType, number>): MixedModelsError {
  const parts = [...seen].map(([type, row]) => `row ${row + 1} is the ${type} ${JSON.stringify(values[row])}`);
  return new MixedModelsError(`column '${name}' mixes value types: ${parts.join(', ')}`);
}

function textValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return v as string;
}

function columnLength(column: Column): number {
  return column.values.length;
}

function isNumericTypedArray(x: unknown): boolean {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function isDataTable(x: unknown): x is DataTable {
  const t = x as DataTable;
  return x !== null && typeof x === 'object' && t.columns instanceof Map && Array.isArray(t.names) && typeof t.nrow === 'number';
}

function isArrowTable(x: unknown): x is ArrowTable {
  const t = x as ArrowTable;
  return x !== null && typeof x === 'object' && Array.isArray(t.schema?.fields) && typeof t.getChild === 'function';
}

function unknownColumn(name: string, names: readonly string[], option: string): MixedModelsError {
  const near = closest(name, names);
  const hint = near === null ? '' : ` (did you mean '${near}'?)`;
  return new MixedModelsError(`unknown column '${name}' in option '${option}'${hint}`);
}
