/**
 * Nested factors in a reference grid (emmeans' .find_nests). emmeans treats a
 * factor A as nested in B when, in the data, each level of A occurs with one
 * level of B only, or when A enters the model only in interactions with a
 * factor B whose own margin is absent there (no main effect of A:
 * `y ~ B + B:A`; a covariate in place of B is no nesting). Its marginal means then average over the observed
 * combinations only; that is not implemented here, so such models are
 * refused rather than given means averaged over combinations that do not exist.
 */
import type { FittedModel } from '../../api/fit.js';
import type { DataTable } from '../../data/types.js';
import { evaluate, type EvalContext } from '../../frame/evaluate.js';
import { columnsOf } from '../../frame/variables.js';
import type { GridVariable } from './referenceGrid.js';

/** Each used row's level index of a grid variable. */
function levelIndices(model: FittedModel, data: DataTable, v: GridVariable): Int32Array {
  const rows = model.frame.rows;
  const column = data.columns.get(v.name)!;
  if (column.kind === 'numeric') {
    const at = new Map(v.levels.map((l, i) => [l as number, i]));
    return Int32Array.from(rows, (r) => at.get(column.values[r]) ?? -1);
  }
  const ctx: EvalContext = { table: data, text: v.name, rows, reference: model.options.reference };
  const value = evaluate({ kind: 'name', name: v.name, start: 0, end: v.name.length }, ctx);
  return value.kind === 'categorical' ? value.codes : new Int32Array(rows.length).fill(-1);
}

/** Whether every level of `a` occurs with a single level of `b`. */
function determines(a: Int32Array, b: Int32Array): boolean {
  const seen = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const prev = seen.get(a[i]);
    if (prev === undefined) seen.set(a[i], b[i]);
    else if (prev !== b[i]) return false;
  }
  return true;
}

/**
 * R's factor-matrix code of variable w in term i is 1 when the term without w
 * is empty or lies within an earlier term, else 2 (w's margin is absent).
 */
function marginal(terms: readonly string[][], i: number, w: string): boolean {
  const rest = terms[i].filter((x) => x !== w);
  return rest.length === 0 || terms.slice(0, i).some((t) => rest.every((x) => t.includes(x)));
}

/** Descriptions `A %in% B` of the nestings emmeans would find (module comment); empty when none. */
export function findNesting(model: FittedModel, data: DataTable, variables: readonly GridVariable[]): string[] {
  const multi = variables.filter((v) => v.levels.length > 1);
  if (multi.length < 2) return [];
  const codes = multi.map((v) => levelIndices(model, data, v));
  const found: string[] = [];
  const nestedIn = new Map<string, string[]>();
  multi.forEach((a, i) => {
    const outer = multi.filter((b, j) => j !== i && !(nestedIn.get(b.name) ?? []).includes(a.name) && determines(codes[i], codes[j]));
    if (outer.length > 0) {
      nestedIn.set(a.name, outer.map((b) => b.name));
      found.push(`${a.name} %in% ${outer.map((b) => b.name).join('*')}`);
    }
  });
  const terms = model.frame.formula.fixed.terms.map((t) => [...new Set(t.variables.flatMap(columnsOf))]);
  const names = multi.map((v) => v.name);
  for (const v of multi) {
    if (nestedIn.has(v.name) || terms.some((t) => t.length === 1 && t[0] === v.name)) continue;
    const outer = terms.flatMap((t, i) => (t.includes(v.name) ? t.filter((w) => w !== v.name && names.includes(w) && !marginal(terms, i, w)) : []));
    if (outer.length > 0) found.push(`${v.name} %in% ${[...new Set(outer)].join('*')}`);
  }
  return found;
}
