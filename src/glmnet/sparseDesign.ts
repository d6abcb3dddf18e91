/**
 * The design of a penalised regression: R's `sparse.model.matrix` with every
 * categorical variable coded by one indicator per level (no reference level,
 * as `sparse.model.matrix(~ id - 1)` in glmnet's examples), stored by columns
 * (CSC), so that a 10,000-level factor costs one stored entry per row, never
 * a dense n x p matrix.
 *
 * A term's columns are the products of its variables' columns, the first
 * variable varying fastest (`x1:regioneast`, `x1:regionwest`), named as R
 * names them: numeric variables by their label (`x1`, `log(z)`), matrices by
 * label + suffix (`poly(x, 2)1`), categorical ones by label + level
 * (`regioncentre`). There is no intercept column: glmnet fits it apart.
 */
import { MixedModelsError } from '../errors.js';
import type { TermList } from '../formula/ast.js';
import { deparse } from '../formula/deparse.js';
import type { Value } from '../frame/value.js';

/** A column-compressed n x p matrix: column j's entries are rows rowIdx[k], values[k] for colPtr[j] <= k < colPtr[j + 1]. */
export interface CscMatrix {
  readonly n: number;
  readonly p: number;
  readonly colPtr: Int32Array;
  readonly rowIdx: Int32Array;
  readonly values: Float64Array;
}

export interface SparseDesign extends CscMatrix {
  readonly colnames: readonly string[];
  /** Per column: the index of its term in the term list. */
  readonly assign: Int32Array;
  /** Column sets of terms that are one categorical variable: each row is in exactly one of them. */
  readonly blocks: readonly Int32Array[];
}

/** One column while building: rows (ascending; null = every row) and their values. */
interface BuildColumn {
  name: string;
  rows: Int32Array | null;
  values: Float64Array;
}

/** Above this many stored entries the design is refused (about 1.6 GB). */
const MAX_ENTRIES = 2 ** 27;

/**
 * The design of the term list `list` on n rows, from each variable's value
 * (keyed by its deparsed label).
 */
export function sparseDesign(list: TermList, values: ReadonlyMap<string, Value>, n: number): SparseDesign {
  const columns: BuildColumn[] = [];
  const blocks: Int32Array[] = [];
  const assign: number[] = [];
  for (const [t, term] of list.terms.entries()) {
    const first = columns.length;
    let acc: BuildColumn[] = [{ name: '', rows: null, values: new Float64Array(n).fill(1) }];
    for (const node of term.variables) {
      const label = deparse(node);
      const value = values.get(label);
      if (value === undefined) throw new MixedModelsError(`internal error: no value for variable '${label}'`);
      acc = crossWith(acc, label, value, n);
    }
    // One by one: a factor of 1e5 levels spread into push's arguments would overflow the call stack.
    for (const column of acc) {
      columns.push(column);
      assign.push(t);
    }
    if (term.variables.length === 1 && values.get(deparse(term.variables[0]))?.kind === 'categorical') {
      blocks.push(Int32Array.from({ length: acc.length }, (_, k) => first + k));
    }
  }
  return { ...pack(columns, n), assign: Int32Array.from(assign), blocks };
}

/** Every column of `acc` times every column of the variable, `acc` varying fastest. */
function crossWith(acc: BuildColumn[], label: string, value: Value, n: number): BuildColumn[] {
  if (value.kind === 'categorical') return crossLevels(acc, label, value.codes, value.levels);
  const ncol = value.kind === 'numeric' ? 1 : value.ncol;
  const suffixes = value.kind === 'numeric' ? [''] : value.suffixes;
  const out: BuildColumn[] = [];
  for (let j = 0; j < ncol; j++) {
    const x = value.values.subarray(j * n, (j + 1) * n);
    for (const c of acc) out.push(scaleColumn(c, joinName(c.name, label + suffixes[j]), x));
  }
  return out;
}

/** Column c times the numeric column x (on c's rows). */
function scaleColumn(c: BuildColumn, name: string, x: Float64Array): BuildColumn {
  const values = new Float64Array(c.values.length);
  if (c.rows === null) for (let i = 0; i < values.length; i++) values[i] = c.values[i] * x[i] + 0;
  else for (let k = 0; k < values.length; k++) values[k] = c.values[k] * x[c.rows[k]] + 0;
  return { name, rows: c.rows, values };
}

/**
 * Each column of `acc` split by the level of each of its rows: one column per
 * (level, column). A row with code -1 (a level the fit has not seen, when coding
 * new data) is in none of them.
 */
function crossLevels(acc: BuildColumn[], label: string, codes: Int32Array, levels: readonly string[]): BuildColumn[] {
  const k = levels.length;
  const split = acc.map((c) => splitByLevel(c, codes, k));
  const out: BuildColumn[] = [];
  for (let l = 0; l < k; l++) {
    acc.forEach((c, ci) => out.push({ name: joinName(c.name, label + levels[l]), ...split[ci][l] }));
  }
  return out;
}

function splitByLevel(c: BuildColumn, codes: Int32Array, k: number): { rows: Int32Array; values: Float64Array }[] {
  const m = c.values.length;
  const counts = new Int32Array(k);
  for (let t = 0; t < m; t++) {
    const l = codes[c.rows === null ? t : c.rows[t]];
    if (l >= 0) counts[l]++;
  }
  const parts = Array.from(counts, (len) => ({ rows: new Int32Array(len), values: new Float64Array(len) }));
  const fill = new Int32Array(k);
  for (let t = 0; t < m; t++) {
    const i = c.rows === null ? t : c.rows[t];
    const l = codes[i];
    if (l < 0) continue;
    parts[l].rows[fill[l]] = i;
    parts[l].values[fill[l]++] = c.values[t];
  }
  return parts;
}

function joinName(left: string, right: string): string {
  return left === '' ? right : `${left}:${right}`;
}

function pack(columns: BuildColumn[], n: number): Omit<SparseDesign, 'blocks' | 'assign'> {
  const p = columns.length;
  const colPtr = new Int32Array(p + 1);
  for (let j = 0; j < p; j++) {
    colPtr[j + 1] = colPtr[j] + columns[j].values.length;
    if (colPtr[j + 1] > MAX_ENTRIES || colPtr[j + 1] < colPtr[j]) {
      throw new MixedModelsError(`the design has more than ${MAX_ENTRIES} nonzero entries (${p} columns on ${n} rows); simplify the formula`);
    }
  }
  const rowIdx = new Int32Array(colPtr[p]);
  const values = new Float64Array(colPtr[p]);
  columns.forEach((c, j) => {
    const at = colPtr[j];
    values.set(c.values, at);
    if (c.rows === null) for (let i = 0; i < n; i++) rowIdx[at + i] = i;
    else rowIdx.set(c.rows, at);
  });
  return { n, p, colPtr, rowIdx, values, colnames: columns.map((c) => c.name) };
}

/** Rows `rows` (ascending) of a CSC matrix, renumbered 0..rows.length - 1. */
export function cscRows(x: CscMatrix, rows: Int32Array): CscMatrix {
  const map = new Int32Array(x.n).fill(-1);
  rows.forEach((r, i) => (map[r] = i));
  const colPtr = new Int32Array(x.p + 1);
  for (let j = 0; j < x.p; j++) {
    let m = 0;
    for (let k = x.colPtr[j]; k < x.colPtr[j + 1]; k++) if (map[x.rowIdx[k]] >= 0) m++;
    colPtr[j + 1] = colPtr[j] + m;
  }
  const rowIdx = new Int32Array(colPtr[x.p]);
  const values = new Float64Array(colPtr[x.p]);
  for (let j = 0, at = 0; j < x.p; j++) {
    for (let k = x.colPtr[j]; k < x.colPtr[j + 1]; k++) {
      const i = map[x.rowIdx[k]];
      if (i < 0) continue;
      rowIdx[at] = i;
      values[at++] = x.values[k];
    }
  }
  return { n: rows.length, p: x.p, colPtr, rowIdx, values };
}
