/**
 * Constant arguments of formula calls, as R reads them: numbers (with a sign),
 * strings, TRUE/FALSE/T/F, NULL, and `c(...)` of those (`knots = c(2, 5)`,
 * `levels = c("low", "high")`). Anything else is not a constant.
 */
import { FormulaError } from '../errors.js';
import type { Node } from '../formula/ast.js';
import { stripParens } from '../formula/walk.js';

export type Constant = number | string | boolean | null | (number | string | boolean)[];

/** The constant `node` stands for; throws a FormulaError (with `what` in the message) otherwise. */
export function constant(node: Node, text: string, what: string): Constant {
  const n = stripParens(node);
  const value = scalar(n);
  if (value !== undefined) return value;
  if (n.kind === 'call' && n.fn === 'c' && n.argNames === undefined) {
    return n.args.map((a) => {
      const v = scalar(stripParens(a));
      if (v === undefined || v === null) throw new FormulaError(`${what} must be constants such as c(1, 2) or c("a", "b")`, text, a.start, a.end);
      return v;
    });
  }
  throw new FormulaError(`${what} must be a constant`, text, n.start, n.end);
}

function scalar(n: Node): number | string | boolean | null | undefined {
  if (n.kind === 'number') return n.value;
  if (n.kind === 'string') return n.value;
  if (n.kind === 'unary' && stripParens(n.arg).kind === 'number') {
    const v = (stripParens(n.arg) as Extract<Node, { kind: 'number' }>).value;
    return n.op === '-' ? -v : v;
  }
  if (n.kind === 'name') {
    if (n.name === 'TRUE' || n.name === 'T') return true;
    if (n.name === 'FALSE' || n.name === 'F') return false;
    if (n.name === 'NULL') return null;
  }
  return undefined;
}

/** A constant that must be a number. */
export function numberArg(node: Node, text: string, what: string): number {
  const v = constant(node, text, what);
  if (typeof v !== 'number') throw new FormulaError(`${what} must be a number`, text, node.start, node.end);
  return v;
}

/** A constant that must be numbers (one or `c(...)`). */
export function numbersArg(node: Node, text: string, what: string): number[] {
  const v = constant(node, text, what);
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === 'number')) throw new FormulaError(`${what} must be numbers`, text, node.start, node.end);
  return list as number[];
}

/** A constant that must be TRUE or FALSE. */
export function logicalArg(node: Node, text: string, what: string): boolean {
  const v = constant(node, text, what);
  if (typeof v !== 'boolean') throw new FormulaError(`${what} must be TRUE or FALSE`, text, node.start, node.end);
  return v;
}
