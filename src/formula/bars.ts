/**
 * splitBars: lme4's `findbars` and `nobars` in one pass. The random-effects
 * terms `(lhs | g)` and `(lhs || g)` are the parenthesised bars added at the
 * top level of the right-hand side (through `+`, the left of `-`, and
 * parentheses); the fixed part is what remains. A bar anywhere else is an
 * error: an unparenthesised one at the top level gets a hint to add parentheses.
 */
import { FormulaError } from '../errors.js';
import type { Node } from './ast.js';
import { deparse } from './deparse.js';
import { stripParens } from './walk.js';

export type BarNode = Extract<Node, { kind: 'binary' }> & { op: '|' | '||' };

/** One `(lhs | g)` as written; start/end span its parentheses. */
export interface Bar {
  bar: BarNode;
  start: number;
  end: number;
}

export interface SplitFormula {
  /** The right-hand side without its bars; null if nothing else is left. */
  fixed: Node | null;
  bars: Bar[];
}

export function splitBars(rhs: Node, text: string): SplitFormula {
  const bars: Bar[] = [];
  return { fixed: split(rhs, bars, text), bars };
}

export function isBar(node: Node): node is BarNode {
  return node.kind === 'binary' && (node.op === '|' || node.op === '||');
}

function split(node: Node, bars: Bar[], text: string): Node | null {
  const inner = stripParens(node);
  if (node.kind === 'paren' && isBar(inner)) {
    bars.push({ bar: inner, start: node.start, end: node.end });
    return null;
  }
  if (isBar(node))
    throw new FormulaError(`put the random-effects term in parentheses: (${deparse(node)})`, text, node.start, node.end);
  if (node.kind === 'paren') return rewrap(node, split(node.expr, bars, text));
  if (node.kind !== 'binary' || (node.op !== '+' && node.op !== '-')) return node;
  const left = split(node.left, bars, text);
  const right = node.op === '+' ? split(node.right, bars, text) : node.right;
  if (left === node.left && right === node.right) return node;
  if (left === null && node.op === '-') return { kind: 'unary', op: '-', arg: node.right, start: node.start, end: node.end };
  if (left === null || right === null) return left ?? right;
  return { ...node, left, right };
}

function rewrap(paren: Extract<Node, { kind: 'paren' }>, expr: Node | null): Node | null {
  if (expr === paren.expr) return paren;
  return expr === null ? null : { ...paren, expr };
}
