/**
 * The value of one formula variable on the rows of a model frame:
 * - numeric: one number per row (NaN = missing);
 * - matrix: several numeric columns, column-major n x ncol (`poly(x, 2)`, `cbind(s, f)`);
 *   R names its model-matrix columns label + suffix (`poly(x, 2)1`);
 * - categorical: a level index per row (-1 = missing) and the level labels.
 */
export type Value =
  | { kind: 'numeric'; values: Float64Array }
  | { kind: 'matrix'; values: Float64Array; ncol: number; suffixes: string[] }
  | { kind: 'categorical'; codes: Int32Array; levels: string[] };

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

/** Levels used by at least one row, in their order; codes renumbered. */
export function dropUnusedLevels(codes: Int32Array, levels: readonly string[]): { codes: Int32Array; levels: string[] } {
  const used = new Uint8Array(levels.length);
  for (const c of codes) if (c >= 0) used[c] = 1;
  const remap = new Int32Array(levels.length);
  const kept: string[] = [];
  levels.forEach((l, i) => {
    remap[i] = used[i] ? kept.length : -1;
    if (used[i]) kept.push(l);
  });
  if (kept.length === levels.length) return { codes, levels: kept };
  return { codes: codes.map((c) => (c < 0 ? -1 : remap[c])), levels: kept };
}
