/**
 * Operator precedence of R's formula operators, as in R's `?Syntax` (higher
 * binds tighter):
 *
 *     ~  <  | ||  <  + -  <  * /  <  %in%  <  :  <  unary + -  <  ^
 *
 * All binary operators are left-associative except `^`. Shared by the parser
 * (which reads it) and the deparser (which adds parentheses only where it must).
 */
import type { BinaryOp } from './ast.js';

export const UNARY_PRECEDENCE = 6;

export const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  '|': 1,
  '||': 1,
  '+': 2,
  '-': 2,
  '*': 3,
  '/': 3,
  '%in%': 4,
  ':': 5,
  '^': 7,
};

/** True for the one right-associative formula operator, `^`. */
export function isRightAssoc(op: BinaryOp): boolean {
  return op === '^';
}

export function isBinaryOp(text: string): text is BinaryOp {
  return Object.prototype.hasOwnProperty.call(PRECEDENCE, text);
}
