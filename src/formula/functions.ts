/**
 * validateFormula: the checks on a parsed formula that do not depend on term
 * expansion: every function called is one the model frame can evaluate,
 * `cbind()` only in the response, `offset()` only on the right, and `.` and
 * `|` only where they have a meaning. Throws FormulaError with a caret.
 */
import { FormulaError, closest } from '../errors.js';
import type { FormulaAST, Node } from './ast.js';
import { walk } from './walk.js';

/** Functions a formula may call (arithmetic is allowed inside their arguments). */
export const KNOWN_FUNCTIONS: readonly string[] = [
  'I', 'log', 'log2', 'log10', 'log1p', 'exp', 'expm1', 'sqrt', 'abs', 'sign', 'round', 'floor', 'ceiling', 'trunc',
  'sin', 'cos', 'tan', 'scale', 'poly', 'ns', 'bs', 'factor', 'as.factor', 'ordered', 'relevel', 'C', 'c', 'offset', 'cbind',
];

/** Calls that make their argument categorical with R's default levels (`factor(x)`, `as.factor(x)`). */
export function isFactorCall(node: Node): boolean {
  return node.kind === 'call' && (node.fn === 'factor' || node.fn === 'as.factor');
}

export function validateFormula(ast: FormulaAST): void {
  if (ast.lhs !== null) walk(ast.lhs, (node) => checkResponseNode(ast.text, node));
  walk(ast.rhs, (node) => checkPredictorNode(ast.text, node));
}

function checkResponseNode(text: string, node: Node): void {
  if (node.kind === 'binary' && (node.op === '|' || node.op === '||'))
    throw new FormulaError(`the response cannot contain '${node.op}'`, text, node.start, node.end);
  if (node.kind === 'dot') throw new FormulaError("'.' cannot be used in the response", text, node.start, node.end);
  if (node.kind !== 'call') return;
  checkKnown(text, node);
  if (node.fn === 'offset') throw new FormulaError('offset() belongs on the right of ~', text, node.start, node.end);
}

function checkPredictorNode(text: string, node: Node): void {
  if (node.kind !== 'call') return;
  checkKnown(text, node);
  if (node.fn === 'cbind') throw new FormulaError('cbind() is allowed only in the response', text, node.start, node.end);
  if (node.fn === 'offset' && node.args.length !== 1)
    throw new FormulaError('offset() takes exactly one argument', text, node.start, node.end);
  for (const arg of node.args) walk(arg, (n) => checkNoDot(text, n));
}

function checkNoDot(text: string, node: Node): void {
  if (node.kind === 'dot') throw new FormulaError("'.' can only stand alone as a term, not inside a call", text, node.start, node.end);
}

function checkKnown(text: string, call: Extract<Node, { kind: 'call' }>): void {
  if (KNOWN_FUNCTIONS.includes(call.fn)) return;
  const guess = closest(call.fn, KNOWN_FUNCTIONS);
  const hint = guess === null ? ` (known: ${KNOWN_FUNCTIONS.join(', ')})` : ` (did you mean ${guess}()?)`;
  throw new FormulaError(`unknown function ${call.fn}() in formula${hint}`, text, call.start, call.start + call.fn.length);
}
