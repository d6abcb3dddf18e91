/**
 * The model's variables (frame/variables.ts's modelVariables: response, fixed
 * and random terms' variables, offsets, grouping variables) as SQL, as the
 * in-memory frame evaluates them (frame/evaluate.ts):
 *
 * - numeric: a double expression (sqlExpression.ts);
 * - matrix: several (`cbind(s, f)`), named label + suffix as R names them;
 * - categorical: a key expression, text or (for numeric columns made factors by
 *   `--factor` or `factor(x)`) a double, whose distinct values on the complete
 *   rows are the levels (read from the query results, sorted as R sorts them).
 *
 * Every variable is NULL where the in-memory value is missing, so the complete
 * rows are those where no variable is NULL.
 */
import type { ModelFormula, Node } from '../../formula/ast.js';
import { deparse } from '../../formula/deparse.js';
import { isFactorCall } from '../../formula/functions.js';
import { stripParens } from '../../formula/walk.js';
import { modelVariables } from '../../frame/variables.js';
import { lookupColumn, numericSql, type ExpressionContext } from './sqlExpression.js';
import { PushdownUnsupported } from './unsupported.js';

export type SqlVariable =
  /** `column`: the variable is that numeric column as it is (no transform). */
  | { kind: 'numeric'; label: string; sql: string; column?: string }
  | { kind: 'matrix'; label: string; sql: string[]; suffixes: string[] }
  | { kind: 'categorical'; label: string; sql: string; numeric: boolean; column: string };

/** A column read as categorical: text as is (booleans as TRUE/FALSE), numbers as doubles (NaN missing). */
function categoricalColumn(ctx: ExpressionContext, node: Extract<Node, { kind: 'name' }>, label: string): SqlVariable {
  const c = lookupColumn(ctx, node);
  const d = ctx.dialect, id = d.ident(c.name);
  if (c.kind === 'boolean') return { kind: 'categorical', label, sql: `CASE WHEN ${id} THEN 'TRUE' WHEN NOT ${id} THEN 'FALSE' END`, numeric: false, column: c.name };
  if (c.kind === 'text') return { kind: 'categorical', label, sql: d.text(id), numeric: false, column: c.name };
  const sql = c.kind === 'float' ? `CASE WHEN NOT ${d.isNaN(d.double(id))} THEN ${d.double(id)} END` : d.double(id);
  return { kind: 'categorical', label, sql, numeric: true, column: c.name };
}

function variable(ctx: ExpressionContext, node: Node, label: string): SqlVariable {
  const n = stripParens(node);
  if (n.kind === 'name') {
    const c = lookupColumn(ctx, n);
    if (c.kind === 'text' || c.kind === 'boolean' || ctx.factors.has(c.name)) return categoricalColumn(ctx, n, label);
    return { kind: 'numeric', label, sql: numericSql(ctx, n), column: c.name };
  }
  if (n.kind === 'call' && isFactorCall(n)) {
    const arg = n.args.length === 1 && !n.argNames?.some((x) => x !== null) ? stripParens(n.args[0]) : null;
    if (arg?.kind !== 'name') throw new PushdownUnsupported(label, 'factor() of an expression is not translated');
    return categoricalColumn(ctx, arg, label);
  }
  if (n.kind === 'call' && n.fn === 'poly') throw new PushdownUnsupported(label, 'orthogonal polynomials are computed in memory');
  if (n.kind === 'call' && n.fn === 'cbind') {
    const suffixes = n.args.map((a, j) => n.argNames?.[j] ?? (a.kind === 'name' ? a.name : String(j + 1)));
    return { kind: 'matrix', label, sql: n.args.map((a) => numericSql(ctx, a)), suffixes };
  }
  if (n.kind === 'call' && n.fn === 'offset') return { kind: 'numeric', label, sql: numericSql(ctx, n.args[0]) };
  return { kind: 'numeric', label, sql: numericSql(ctx, n) };
}

/** Every variable of the model keyed by its deparsed label (modelVariables' order). */
export function sqlVariables(formula: ModelFormula, ctx: ExpressionContext): Map<string, SqlVariable> {
  const out = new Map<string, SqlVariable>();
  for (const [label, node] of modelVariables(formula)) out.set(label, variable(ctx, node, label));
  return out;
}

/** The variable's SQL expressions (one per column). */
export function variableSql(v: SqlVariable): string[] {
  return v.kind === 'matrix' ? v.sql : [v.sql];
}
