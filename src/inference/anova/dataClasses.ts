/**
 * Which fixed-effects variables are plain numeric (R's dataClasses
 * "numeric", as lmerTest's type II containment reads them): a variable whose
 * value on the model's rows is one number per row. Factors, logical and
 * character columns, and matrices such as `poly(x, 2)`, are not.
 */
import type { FittedModel } from '../../api/fit.js';
import { toTable } from '../../data/index.js';
import { deparse } from '../../formula/deparse.js';
import { evaluate, type EvalContext } from '../../frame/evaluate.js';

/** The labels (deparsed) of the numeric fixed-effects variables. */
export function numericVariables(model: FittedModel): Set<string> {
  const { frame } = model;
  const table = toTable(model.data, { factors: model.options.factors });
  const ctx: EvalContext = { table, text: frame.formula.ast.text, rows: frame.rows, reference: model.options.reference };
  const out = new Set<string>();
  for (const term of frame.formula.fixed.terms) {
    for (const node of term.variables) {
      const label = deparse(node);
      if (!out.has(label) && evaluate(node, ctx).kind === 'numeric') out.add(label);
    }
  }
  return out;
}
