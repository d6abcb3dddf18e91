/**
 * A penalised model's design on new rows (R's `model.matrix` with the fit's
 * `xlev`): each categorical variable is coded with the levels it had in the
 * rows the model used, in their order, so the columns are the fit's. A level
 * the fit has not seen gets zero in every indicator (its effect is taken as
 * 0, the reference of a one-hot coding) and is reported; a row with a missing
 * value is marked and predicted as NaN. Data-dependent transforms (`scale()`,
 * `poly()`) would need the fit's centres and are refused.
 */
import { toFactor } from '../data/factor.js';
import { toTable } from '../data/table.js';
import type { DataTable } from '../data/types.js';
import { MixedModelsError, closest } from '../errors.js';
import type { Node } from '../formula/ast.js';
import { deparse } from '../formula/deparse.js';
import { evaluate } from '../frame/evaluate.js';
import { markMissing, type Value } from '../frame/value.js';
import { columnsOf } from '../frame/variables.js';
import { walk } from '../formula/walk.js';
import type { PenalizedFrame } from './penalizedFrame.js';
import { sparseDesign, type SparseDesign } from './sparseDesign.js';

export interface NewDesign {
  design: SparseDesign;
  offset: Float64Array | null;
  /** 1 where a variable the prediction needs is missing. */
  missing: Uint8Array;
  /** Unseen levels per categorical variable, and how many rows have one. */
  unseen: { variable: string; levels: string[]; rows: number }[];
}

export function newDesign(frame: PenalizedFrame, newdata: unknown, factors: readonly string[] = [], offsetColumn?: string): NewDesign {
  const raw = toTable(newdata);
  const table = toTable(raw, { factors: factors.filter((f) => raw.columns.has(f)) });
  const fixed = frame.formula.fixed;
  const nodes = new Map<string, Node>();
  for (const t of fixed.terms) for (const v of t.variables) nodes.set(deparse(v), v);
  for (const o of fixed.offsets) nodes.set(deparse(o), o);
  checkNodes([...nodes.values()], table);
  const n = table.nrow;
  const ctx = { table, text: frame.formula.ast.text, rows: Int32Array.from({ length: n }, (_, i) => i) };
  const missing = new Uint8Array(n);
  const unseen: NewDesign['unseen'] = [];
  const values = new Map<string, Value>();
  for (const [label, node] of nodes) {
    const v = asFitKind(label, evaluate(node, ctx), frame);
    markMissing(v, missing);
    values.set(label, v.kind === 'categorical' ? recode(label, v, frame, unseen) : v);
  }
  let offset: Float64Array | null = null;
  if (frame.offset !== null) {
    offset = new Float64Array(n);
    for (const o of fixed.offsets) {
      const v = values.get(deparse(o))!;
      if (v.kind === 'numeric') v.values.forEach((x, i) => (offset![i] += x));
    }
    if (offsetColumn !== undefined) {
      const col = table.columns.get(offsetColumn);
      if (col?.kind !== 'numeric') throw new MixedModelsError(`the new data have no numeric offset column '${offsetColumn}'`);
      col.values.forEach((x, i) => (offset![i] += x));
    }
    offset.forEach((x, i) => Number.isNaN(x) && (missing[i] = 1));
  }
  return { design: sparseDesign(fixed, values, n), offset, missing, unseen };
}

function checkNodes(nodes: Node[], table: DataTable): void {
  for (const node of nodes) {
    walk(node, (n) => {
      if (n.kind === 'call' && (n.fn === 'scale' || n.fn === 'poly')) {
        throw new MixedModelsError(`'${deparse(node)}' depends on the fitted rows and cannot be evaluated on new data for a penalised model; transform the column beforehand`);
      }
      return true;
    });
    for (const name of columnsOf(node)) {
      if (table.columns.has(name)) continue;
      const near = closest(name, table.names);
      throw new MixedModelsError(`the new data have no column '${name}'${near === null ? '' : ` (did you mean '${near}'?)`}`);
    }
  }
}

/** A numeric value where the fit had a categorical one becomes categorical (numbers labelled as R prints them). */
function asFitKind(label: string, v: Value, frame: PenalizedFrame): Value {
  if (v.kind !== 'numeric' || !frame.levels.has(label)) return v;
  return { kind: 'categorical', ...toFactor({ kind: 'numeric', values: v.values }, label) };
}

/** Codes in the fit's levels of `label`; -1 for levels it has not seen (noted in `unseen`). */
function recode(label: string, v: Extract<Value, { kind: 'categorical' }>, frame: PenalizedFrame, unseen: NewDesign['unseen']): Value {
  const levels = frame.levels.get(label);
  if (levels === undefined) throw new MixedModelsError(`'${label}' is categorical in the new data but numeric in the fit`);
  const index = new Map(levels.map((l, k) => [l, k]));
  const map = v.levels.map((l) => index.get(l) ?? -1);
  const codes = v.codes.map((c) => (c < 0 ? -1 : map[c]));
  const newLevels = v.levels.filter((_, k) => map[k] < 0);
  if (newLevels.length > 0) {
    let rows = 0;
    v.codes.forEach((c) => c >= 0 && map[c] < 0 && rows++);
    unseen.push({ variable: label, levels: newLevels, rows });
  }
  return { kind: 'categorical', codes, levels: [...levels] };
}
