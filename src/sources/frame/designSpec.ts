/**
 * R's model matrix (frame/modelMatrix.ts's designMatrix) described instead of
 * evaluated: each column is a product of numeric variables (its monomial,
 * evaluated in SQL) times, for each categorical variable of its term, a
 * coefficient per level (the contrast or indicator column of that level).
 * Column names, order, term codings (contrasts or indicators, R's rule) and
 * the assign vector are designMatrix's. With the sums of products of the
 * monomials per cell of the categorical variables (one GROUP BY), any
 * cross-product of model-matrix columns is a weighted sum over cells.
 */
import { MixedModelsError } from '../../errors.js';
import type { TermList } from '../../formula/ast.js';
import { deparse } from '../../formula/deparse.js';
import { contrastFor, contrastMatrix, indicatorMatrix, termCodings, type ContrastsOption } from '../../frame/contrasts.js';
import type { SqlVariable } from './sqlVariables.js';

/** A categorical variable's coefficient per level in one column. */
export interface FactorCoding {
  variable: string;
  weights: Float64Array;
}

export interface ColumnSpec {
  name: string;
  /** Numeric factors of the column (variable labels, `label#j` for matrix columns), sorted. */
  monomial: string[];
  factors: FactorCoding[];
}

export interface DesignSpec {
  columns: ColumnSpec[];
  /** Per column: 0 for the intercept, t for `list.terms[t - 1]`. */
  assign: Int32Array;
}

/** The key of a monomial (sorted factor list). */
export function monomialKey(factors: readonly string[]): string {
  return factors.join('\u0001');
}

function cross(left: ColumnSpec[], right: ColumnSpec[]): ColumnSpec[] {
  const out: ColumnSpec[] = [];
  for (const r of right) {
    for (const l of left) {
      out.push({ name: l.name === '' ? r.name : `${l.name}:${r.name}`, monomial: [...l.monomial, ...r.monomial].sort(), factors: [...l.factors, ...r.factors] });
    }
  }
  return out;
}

function variableColumns(v: SqlVariable, levels: readonly string[] | undefined, coding: string, contrasts: ContrastsOption): ColumnSpec[] {
  if (v.kind === 'numeric') return [{ name: v.label, monomial: [v.label], factors: [] }];
  if (v.kind === 'matrix') return v.suffixes.map((s, j) => ({ name: v.label + s, monomial: [`${v.label}#${j}`], factors: [] }));
  const lv = levels ?? [];
  if (lv.length < 2) {
    const only = lv.length === 1 ? ` ('${lv[0]}')` : '';
    throw new MixedModelsError(`categorical variable '${v.label}' has a single level${only} in the rows used; it needs two or more levels`);
  }
  const m = coding === 'indicators' ? indicatorMatrix(lv) : contrastMatrix(contrastFor(contrasts, v.label, undefined), lv);
  return m.suffixes.map((s, j) => ({
    name: v.label + s,
    monomial: [],
    factors: [{ variable: v.label, weights: Float64Array.from(lv, (_, l) => m.values[l * m.ncol + j]) }],
  }));
}

/** designMatrix's columns for `list`, given every variable and the levels of the categorical ones. */
export function designSpec(
  list: TermList,
  variables: ReadonlyMap<string, SqlVariable>,
  levels: ReadonlyMap<string, readonly string[]>,
  contrasts: ContrastsOption = {},
): DesignSpec {
  const keys = list.terms.map((t) => t.variables.map(deparse));
  const nlevels = (key: string) => (variables.get(key)?.kind === 'categorical' ? levels.get(key)?.length ?? 0 : 0);
  const codings = termCodings(keys, list.intercept, nlevels);
  const columns: ColumnSpec[] = list.intercept ? [{ name: '(Intercept)', monomial: [], factors: [] }] : [];
  const assign: number[] = list.intercept ? [0] : [];
  keys.forEach((vars, t) => {
    const termColumns = vars.reduce<ColumnSpec[] | null>((acc, key, i) => {
      const v = variables.get(key);
      if (v === undefined) throw new MixedModelsError(`internal error: no variable '${key}'`);
      const right = variableColumns(v, levels.get(key), codings[t][i], contrasts);
      return acc === null ? right : cross(acc, right);
    }, null)!;
    for (const c of termColumns) {
      columns.push(c);
      assign.push(t + 1);
    }
  });
  return { columns, assign: Int32Array.from(assign) };
}
