import { MixedModelsError } from '../errors.js';
import type { TermList } from '../formula/ast.js';
import { deparse } from '../formula/deparse.js';
import { contrastFor, contrastMatrix, indicatorMatrix, termCodings, type Coding, type ContrastsOption } from './contrasts.js';
import type { Value } from './value.js';

/** A dense model matrix with R's column names. */
export interface DesignMatrix {
  n: number;
  p: number;
  /** Column-major n x p; zeros are +0, never -0. */
  values: Float64Array;
  colnames: string[];
  /** Per column: 0 for the intercept, t for `list.terms[t - 1]`. */
  assign: Int32Array;
}

interface Column {
  name: string;
  values: Float64Array;
}

/**
 * R's `model.matrix` for a term list: the intercept column, then each term's
 * columns. A term's columns are the products of its variables' columns, the
 * first variable varying fastest (`recipeB:temp`, `recipeC:temp`). Numeric
 * variables give their label (or label + suffix for matrices, `poly(x, 2)1`);
 * categorical variables give contrast or indicator columns as `termCodings`
 * decides, named label + level (treatment, indicators) or label + number (sum).
 *
 * `values` holds each variable's value on the n rows, keyed by its deparsed
 * label; `contrasts` picks the contrasts (contrasts.ts's ContrastsOption; treatment by default).
 */
export function designMatrix(
  list: TermList,
  values: ReadonlyMap<string, Value>,
  n: number,
  contrasts: ContrastsOption = {},
): DesignMatrix {
  const keys = list.terms.map((t) => t.variables.map(deparse));
  const valueOf = (key: string): Value => values.get(key) ?? missingValue(key);
  const nlevels = (key: string) => {
    const v = valueOf(key);
    return v.kind === 'categorical' ? v.levels.length : 0;
  };
  const codings = termCodings(keys, list.intercept, nlevels);
  const columns: Column[] = [];
  const assign: number[] = list.intercept ? [0] : [];
  keys.forEach((vars, t) => {
    const termColumns = vars.reduce<Column[] | null>((acc, key, i) => {
      const right = variableColumns(key, valueOf(key), codings[t][i], contrasts, n);
      return acc === null ? right : crossColumns(acc, right);
    }, null)!;
    for (const c of termColumns) {
      columns.push(c);
      assign.push(t + 1);
    }
  });
  // The intercept's column of ones is written straight into the matrix, the others copied after it.
  const first = list.intercept ? 1 : 0;
  const out = new Float64Array(n * (first + columns.length));
  if (first === 1) out.fill(1, 0, n);
  columns.forEach((c, j) => {
    const o = (first + j) * n;
    for (let i = 0; i < n; i++) out[o + i] = c.values[i] + 0;
  });
  const colnames = [...(first === 1 ? ['(Intercept)'] : []), ...columns.map((c) => c.name)];
  return { n, p: first + columns.length, values: out, colnames, assign: Int32Array.from(assign) };
}

/** Products of every column of `right` with every column of `left`, left varying fastest. */
function crossColumns(left: Column[], right: Column[]): Column[] {
  const out: Column[] = [];
  for (const r of right) {
    for (const l of left) {
      const values = new Float64Array(r.values.length);
      for (let i = 0; i < values.length; i++) values[i] = l.values[i] * r.values[i];
      out.push({ name: l.name === '' ? r.name : `${l.name}:${r.name}`, values });
    }
  }
  return out;
}

function variableColumns(
  label: string,
  value: Value,
  coding: Coding,
  contrasts: ContrastsOption,
  n: number,
): Column[] {
  if (value.kind === 'numeric') return [{ name: label, values: value.values }];
  if (value.kind === 'matrix') {
    return value.suffixes.map((s, j) => ({ name: label + s, values: value.values.subarray(j * n, (j + 1) * n) }));
  }
  if (value.levels.length < 2) {
    const only = value.levels.length === 1 ? ` ('${value.levels[0]}')` : '';
    throw new MixedModelsError(
      `categorical variable '${label}' has a single level${only} in the rows used; it needs two or more levels`,
    );
  }
  const matrix = coding === 'indicators' ? indicatorMatrix(value.levels) : contrastMatrix(contrastFor(contrasts, label, value.contrast), value.levels);
  const { codes } = value;
  return matrix.suffixes.map((s, j) => {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = matrix.values[codes[i] * matrix.ncol + j];
    return { name: label + s, values };
  });
}

function missingValue(key: string): never {
  throw new MixedModelsError(`internal error: no value for variable '${key}'`);
}
