/** Shared helpers for the formula tests. */
import assert from 'node:assert/strict';
import { FormulaError } from '../../src/errors.js';
import type { Node } from '../../src/formula/ast.js';

/** A node as a fully bracketed S-expression: `a + b * c` gives `(+ a (* b c))`. */
export function sexpr(node: Node): string {
  switch (node.kind) {
    case 'name':
      return node.name;
    case 'number':
      return String(node.value);
    case 'string':
      return JSON.stringify(node.value);
    case 'dot':
      return '.';
    case 'paren':
      return `[${sexpr(node.expr)}]`;
    case 'call':
      return `${node.fn}(${node.args.map((a, i) => (node.argNames?.[i] ? `${node.argNames[i]}=` : '') + sexpr(a)).join(' ')})`;
    case 'unary':
      return `(${node.op} ${sexpr(node.arg)})`;
    case 'binary':
      return `(${node.op} ${sexpr(node.left)} ${sexpr(node.right)})`;
  }
}

/** `node` without positions, source text of numbers, or (optionally) parentheses. */
export function shape(node: Node, keepParens = true): unknown {
  switch (node.kind) {
    case 'name':
      return { name: node.name };
    case 'number':
      return { number: node.value };
    case 'string':
      return { string: node.value };
    case 'dot':
      return { dot: true };
    case 'paren':
      return keepParens ? { paren: shape(node.expr, keepParens) } : shape(node.expr, keepParens);
    case 'call':
      return { fn: node.fn, args: node.args.map((a) => shape(a, keepParens)), names: node.argNames ?? null };
    case 'unary':
      return { unary: node.op, arg: shape(node.arg, keepParens) };
    case 'binary':
      return { op: node.op, left: shape(node.left, keepParens), right: shape(node.right, keepParens) };
  }
}

/** The FormulaError `f()` throws (fails if it throws nothing or something else). */
export function formulaError(f: () => unknown): FormulaError {
  try {
    f();
  } catch (e) {
    if (e instanceof FormulaError) return e;
    throw e;
  }
  assert.fail('expected a FormulaError');
}

/** The column of the first caret in a FormulaError message (0-based, relative to the formula). */
export function caretColumn(e: FormulaError): number {
  const lines = e.message.split('\n');
  return lines[lines.length - 1].indexOf('^') - 2;
}
