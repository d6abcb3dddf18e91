import { MixedModelsError } from '../errors.js';
import { sortLevels } from './levels.js';
import { formatNumber } from './rnumber.js';
import { takeTextCodes, type TextCodes } from './textCodes.js';
import type { Column } from './types.js';

/** A column seen as categorical: 0-based level index per row (-1 = missing) and the level labels. */
export interface Factor {
  codes: Int32Array;
  levels: string[];
}

/**
 * R's `factor()` of a column. Numbers become levels in numeric order,
 * labelled as R prints them (`1`, `2.5`, `308`); NaN is missing. Text keeps
 * the column's declared levels, or sorts its values with `sortLevels`.
 */
export function toFactor(column: Column, name: string): Factor {
  return column.kind === 'numeric' ? numericFactor(column.values) : textFactor(column, name);
}

/**
 * The codes of the categorical columns made by asCategorical, by column (columns are not
 * changed once made): R's factor() of such a column is those codes again, without looking
 * each label up among its levels (1e5 levels on 1.5e5 rows: 60 ms).
 */
const madeCodes = new WeakMap<Column, Factor>();

/** The same column as a categorical column (numbers labelled as R prints them). */
export function asCategorical(column: Column, name: string): Column {
  if (column.kind === 'categorical') return column;
  const factor = toFactor(column, name);
  const { codes, levels } = factor;
  const values = new Array<string | null>(codes.length);
  for (let i = 0; i < codes.length; i++) values[i] = codes[i] < 0 ? null : levels[codes[i]];
  const made: Column = { kind: 'categorical', values, levels };
  madeCodes.set(made, factor);
  return made;
}

function numericFactor(values: Float64Array): Factor {
  const distinct = distinctNumbers(values);
  const codes = new Int32Array(values.length);
  const min = distinct[0];
  const span = distinct[distinct.length - 1] - min;
  if (distinct.length > 0 && isIntegers(distinct) && span < 2 * values.length + 1024) {
    const table = new Int32Array(span + 1);
    for (let l = 0; l < distinct.length; l++) table[distinct[l] - min] = l;
    for (let i = 0; i < values.length; i++) codes[i] = Number.isNaN(values[i]) ? -1 : table[values[i] - min];
  } else {
    for (let i = 0; i < values.length; i++) codes[i] = Number.isNaN(values[i]) ? -1 : search(distinct, values[i]);
  }
  // A loop, not Array.from(distinct, formatNumber): its mapping call cost 0.3 us a value (47 of 60 ms for 100,000 ids).
  const labels = new Array<string>(distinct.length);
  for (let l = 0; l < distinct.length; l++) labels[l] = formatNumber(distinct[l]);
  return mergeEqualLabels(codes, labels);
}

/**
 * Levels whose labels are equal become one, as R's factor() makes them
 * (levels are as.character() of the sorted values, and equal labels merge:
 * 0.3 and 0.1 + 0.2 are one level "0.3"). Sorted numbers have sorted labels,
 * so equal ones are neighbours.
 */
function mergeEqualLabels(codes: Int32Array, labels: string[]): Factor {
  let same = false;
  for (let l = 1; l < labels.length && !same; l++) same = labels[l] === labels[l - 1];
  if (!same) return { codes, levels: labels };
  const to = new Int32Array(labels.length), levels: string[] = [];
  labels.forEach((label, l) => {
    if (l === 0 || label !== labels[l - 1]) levels.push(label);
    to[l] = levels.length - 1;
  });
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] = to[codes[i]];
  return { codes, levels };
}

/**
 * The distinct non-NaN values, ascending (0 and -0 are one value). Whole numbers in a range
 * not much wider than the column (ids, codes, counts) are marked in a table over that range
 * instead of sorting a copy (a TypedArray sort of 1e6 values takes about 0.2 s here).
 */
function distinctNumbers(values: Float64Array): Float64Array {
  const n = values.length;
  let min = Infinity, max = -Infinity, whole = true;
  for (let i = 0; i < n && whole; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) whole = false;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (whole && min <= max && max - min < 2 * n + 1024) {
    const seen = new Uint8Array(max - min + 1);
    let m = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (Number.isNaN(v)) continue;
      const k = v - min;
      if (seen[k] === 0) {
        seen[k] = 1;
        m++;
      }
    }
    const out = new Float64Array(m);
    for (let k = 0, j = 0; j < m; k++) if (seen[k] === 1) out[j++] = min + k + 0;
    return out;
  }
  const sorted = values.slice().sort();
  let m = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i];
    if (Number.isNaN(v)) break;
    if (m === 0 || v !== sorted[m - 1]) sorted[m++] = v;
  }
  return sorted.subarray(0, m);
}

function isIntegers(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isInteger(x[i])) return false;
  return true;
}

/** The index of v in the ascending array x (v is present). */
function search(x: Float64Array, v: number): number {
  let lo = 0;
  let hi = x.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function textFactor(column: Extract<Column, { kind: 'categorical' }>, name: string): Factor {
  const made = madeCodes.get(column);
  if (made !== undefined) return { codes: made.codes.slice(), levels: [...made.levels] };
  return column.levels ? declaredFactor(column.values, [...column.levels], name) : sortedFactor(column.values);
}

/** Codes against declared levels; error at the first value that is not one of them. */
function declaredFactor(values: ReadonlyArray<string | null>, levels: string[], name: string): Factor {
  const index = new Map<string, number>();
  levels.forEach((l, i) => index.set(l, i));
  const codes = new Int32Array(values.length);
  let last: string | null = null;
  let lastCode = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== last) {
      const code = v === null ? -1 : index.get(v);
      if (code === undefined) {
        throw new MixedModelsError(`column '${name}' has value '${v}' in row ${i + 1}, which is not one of its levels`);
      }
      last = v;
      lastCode = code;
    }
    codes[i] = lastCode;
  }
  return { codes, levels };
}

/** Codes in order of first appearance, then renumbered to `sortLevels` order of the distinct values. */
function sortedFactor(values: ReadonlyArray<string | null>): Factor {
  const encoded = takeTextCodes(values);
  if (encoded !== undefined) {
    const made = encodedFactor(values, encoded);
    if (made !== null) return made;
  }
  const index = new Map<string, number>();
  const seen: string[] = [];
  const codes = new Int32Array(values.length);
  let last: string | null = null;
  let lastCode = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== last) {
      let code = v === null ? -1 : index.get(v);
      if (code === undefined) {
        code = seen.length;
        index.set(v!, code);
        seen.push(v!);
      }
      last = v;
      lastCode = code;
    }
    codes[i] = lastCode;
  }
  return renumbered(codes, seen, index);
}

/** `codes` (first-appearance numbers of `seen`, -1 missing) renumbered in place to sortLevels order. */
function renumbered(codes: Int32Array, seen: string[], index: Map<string, number>): Factor {
  const levels = sortLevels(seen);
  const remap = new Int32Array(seen.length);
  for (let l = 0; l < levels.length; l++) remap[index.get(levels[l])!] = l;
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] = remap[codes[i]];
  return { codes, levels };
}

/**
 * sortedFactor from the reader's dictionary encoding (data/textCodes.ts): the distinct texts
 * of the entries used, in entry order, are the values' distinct texts in order of first
 * appearance, so the levels come out the same; a row whose value is not its entry's text
 * (the encoding does not hold) gives null, and the plain way.
 */
function encodedFactor(values: ReadonlyArray<string | null>, { codes: raw, dictionary }: TextCodes): Factor | null {
  const n = values.length, entryText = new Int32Array(dictionary.length).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = raw[i];
    if (c < 0 ? values[i] !== null : values[i] !== dictionary[c]) return null;
    if (c >= 0) entryText[c] = 0;
  }
  const index = new Map<string, number>(), seen: string[] = [];
  for (let d = 0; d < dictionary.length; d++) {
    if (entryText[d] < 0) continue;
    const text = dictionary[d];
    let t = index.get(text);
    if (t === undefined) {
      t = seen.length;
      index.set(text, t);
      seen.push(text);
    }
    entryText[d] = t;
  }
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = raw[i] < 0 ? -1 : entryText[raw[i]];
  return renumbered(codes, seen, index);
}
