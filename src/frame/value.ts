/**
 * The value of one formula variable on the rows of a model frame:
 * - numeric: one number per row (NaN = missing);
 * - matrix: several numeric columns, column-major n x ncol (`poly(x, 2)`, `cbind(s, f)`);
 *   R names its model-matrix columns label + suffix (`poly(x, 2)1`);
 * - categorical: a level index per row (-1 = missing) and the level labels; `contrast` is the
 *   variable's own coding when it has one (`C(f, sum)`, `ordered(f)` gives 'poly').
 */
import type { ContrastKind } from './contrasts.js';

export type Value =
  | { kind: 'numeric'; values: Float64Array }
  | { kind: 'matrix'; values: Float64Array; ncol: number; suffixes: string[] }
  | { kind: 'categorical'; codes: Int32Array; levels: string[]; contrast?: ContrastKind };

/** Whether row i of the value is missing (NaN in any column, or no level). */
export function isMissing(value: Value, i: number): boolean {
  if (value.kind === 'categorical') return value.codes[i] < 0;
  if (value.kind === 'numeric') return Number.isNaN(value.values[i]);
  const n = value.values.length / value.ncol;
  for (let j = 0; j < value.ncol; j++) if (Number.isNaN(value.values[i + j * n])) return true;
  return false;
}

/** The first infinite entry of row i, or 0 when all its entries are finite or missing. */
export function infiniteAt(value: Value, i: number): number {
  if (value.kind === 'categorical') return 0;
  const n = value.kind === 'numeric' ? value.values.length : value.values.length / value.ncol;
  const ncol = value.kind === 'numeric' ? 1 : value.ncol;
  for (let j = 0; j < ncol; j++) {
    const v = value.values[i + j * n];
    if (v === Infinity || v === -Infinity) return v;
  }
  return 0;
}

/** Sets mask[i] = 1 for every row i where the value is missing (as `isMissing`). */
export function markMissing(value: Value, mask: Uint8Array): void {
  if (value.kind === 'categorical') {
    const codes = value.codes;
    for (let i = 0; i < codes.length; i++) if (codes[i] < 0) mask[i] = 1;
    return;
  }
  const x = value.values;
  const n = value.kind === 'numeric' ? x.length : x.length / value.ncol;
  for (let k = 0; k < x.length; k += n) {
    for (let i = 0; i < n; i++) if (Number.isNaN(x[k + i])) mask[i] = 1;
  }
}

/**
 * The value on `rows` (indices into the value's rows, ascending): numbers
 * picked, matrices picked column by column, categorical codes picked with
 * unused levels dropped. Equals evaluating a row-wise expression on those rows.
 */
export function subsetValue(value: Value, rows: Int32Array): Value {
  if (value.kind === 'categorical') return { kind: 'categorical', ...dropUnusedLevels(pickCodes(value.codes, rows), value.levels) };
  if (value.kind === 'numeric') return { kind: 'numeric', values: pickRows(value.values, rows, 1) };
  return { ...value, values: pickRows(value.values, rows, value.ncol) };
}

/** Rows `rows` of each of the ncol columns of a column-major matrix (a copy). */
export function pickRows(x: Float64Array, rows: Int32Array, ncol: number): Float64Array {
  const n = x.length / ncol;
  const m = rows.length;
  const out = new Float64Array(m * ncol);
  for (let j = 0; j < ncol; j++) {
    const from = j * n;
    const to = j * m;
    for (let i = 0; i < m; i++) out[to + i] = x[from + rows[i]];
  }
  return out;
}

/** codes[rows[i]] for each i (a copy). */
export function pickCodes(codes: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = codes[rows[i]];
  return out;
}

/** Levels used by at least one row, in their order; codes renumbered. */
export function dropUnusedLevels(codes: Int32Array, levels: readonly string[]): { codes: Int32Array; levels: string[] } {
  const used = new Uint8Array(levels.length);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) used[codes[i]] = 1;
  const remap = new Int32Array(levels.length);
  const kept: string[] = [];
  for (let l = 0; l < levels.length; l++) {
    remap[l] = used[l] ? kept.length : -1;
    if (used[l]) kept.push(levels[l]);
  }
  if (kept.length === levels.length) return { codes, levels: kept };
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? -1 : remap[codes[i]];
  return { codes: out, levels: kept };
}
