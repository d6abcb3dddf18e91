/**
 * deparse: a syntax tree back to text, as R's `deparse()` prints it (R's term
 * and column names come from it): spaces around `+ - * | || %in% ~`, none
 * around `/ : ^`; calls as `f(a, b)`; numbers with 15 significant digits in the
 * shorter of fixed and scientific notation (`2`, `0.5`, `1e-04`); names that
 * are not syntactic in backticks.
 *
 * Parentheses in the tree are printed as written; others are added only where
 * the tree would otherwise read back differently (R's `needsparens` rule), so
 * `parseFormula(formatFormula(f))` gives back the tree of `f`.
 */
import type { BinaryOp, FormulaAST, Node } from './ast.js';
import { PRECEDENCE, UNARY_PRECEDENCE, isRightAssoc } from './precedence.js';
import { expectArgument } from '../errors.js';

const TIGHT_OPS: ReadonlySet<BinaryOp> = new Set(['/', ':', '^']);

/** `lhs ~ rhs`, or `~rhs` for a one-sided formula (as R prints it). */
export function formatFormula(f: FormulaAST): string {
  expectArgument('formatFormula', 'the formula', f, { object: 'a parsed formula (from parseFormula)', keys: ['rhs'] });
  return f.lhs === null ? `~${deparse(f.rhs)}` : `${deparse(f.lhs)} ~ ${deparse(f.rhs)}`;
}

/**
 * A node as R's `deparse()` writes it (spaces around binary operators, R's quoting), e.g. the response's name in summaries.
 * @example
 * ```ts
 * deparse(parseFormula('log(y)~x').lhs!); // 'log(y)'
 * ```
 */
export function deparse(node: Node): string {
  switch (node.kind) {
    case 'name':
      return quoteName(node.name);
    case 'number':
      return formatNumber(node.value);
    case 'string':
      return quoteString(node.value);
    case 'dot':
      return '.';
    case 'paren':
      return `(${deparse(node.expr)})`;
    case 'call':
      return `${quoteName(node.fn)}(${node.args.map((a, i) => deparseArg(a, node.argNames?.[i] ?? null)).join(', ')})`;
    case 'unary':
      return node.op + operand(node.arg, UNARY_PRECEDENCE, false, false);
    case 'binary':
      return deparseBinary(node.op, node.left, node.right);
  }
}

function deparseArg(arg: Node, name: string | null): string {
  return name === null ? deparse(arg) : `${quoteName(name)} = ${deparse(arg)}`;
}

function deparseBinary(op: BinaryOp, left: Node, right: Node): string {
  const prec = PRECEDENCE[op];
  const rightAssoc = isRightAssoc(op);
  const sep = TIGHT_OPS.has(op) ? op : ` ${op} `;
  return operand(left, prec, rightAssoc, true) + sep + operand(right, prec, rightAssoc, false);
}

/**
 * An operand of an operator of precedence `prec`, parenthesised if it binds
 * more loosely, or equally on the side the operator does not associate to.
 * A unary operand never needs parentheses on the right (`a^-b`, `a - -b`).
 */
function operand(node: Node, prec: number, rightAssoc: boolean, isLeft: boolean): string {
  const text = deparse(node);
  const own = node.kind === 'binary' ? PRECEDENCE[node.op] : node.kind === 'unary' && isLeft ? UNARY_PRECEDENCE : Infinity;
  const parens = own < prec || (own === prec && isLeft === rightAssoc);
  return parens ? `(${text})` : text;
}

const SYNTACTIC = /^[\p{L}.][\p{L}\p{M}\p{N}._]*$/u;

/** `name` as R prints a symbol: bare if syntactic, else in backticks with `\` and `` ` `` escaped. */
export function quoteName(name: string): string {
  if (SYNTACTIC.test(name) && name !== '.' && !/^\.\d/.test(name)) return name;
  return '`' + name.replace(/[\\`]/g, (c) => '\\' + c) + '`';
}

/**
 * A number as R's deparse prints it: the fewest significant digits (at most
 * 15) that give the same value at 15 digits, in fixed notation unless
 * scientific notation is shorter (`1e+05`, `1e-04`, but `0.001`, `123456`).
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  if (value === 0) return '0';
  const sign = value < 0 ? '-' : '';
  const v = Math.abs(value);
  const digits = significantDigits(v);
  const [mantissa, expText] = v.toExponential(digits - 1).split('e');
  const exp = Number(expText);
  const sci = `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const decimals = Math.max(0, digits - 1 - exp);
  if (decimals > 100 || exp >= 21) return sign + sci;
  const fixed = v.toFixed(decimals);
  return sign + (fixed.length <= sci.length ? fixed : sci);
}

function significantDigits(v: number): number {
  const target = Number(v.toPrecision(15));
  for (let d = 1; d < 15; d++) if (Number(v.toPrecision(d)) === target) return d;
  return 15;
}

/** A string as R's deparse writes it: in double quotes, with backslash escapes. */
export function quoteString(value: string): string {
  const escaped = value.replace(/[\\"\n\t\r\0]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\0': '\\0' })[c]!);
  return `"${escaped}"`;
}
