/**
 * parseFormula: R formula text to a FormulaAST, by precedence climbing over
 * the table in precedence.ts. Every node carries its [start, end) offsets.
 *
 * Contract: for any input string, either returns a tree or throws a
 * FormulaError (caret under the culprit); it never throws anything else and
 * always terminates (nesting deeper than MAX_NESTING, or a tree deeper than
 * MAX_DEPTH, is an error rather than a stack overflow here or later).
 */
import { FormulaError, expectArgument } from '../errors.js';
import type { FormulaAST, Node } from './ast.js';
import { PRECEDENCE, UNARY_PRECEDENCE, isBinaryOp, isRightAssoc } from './precedence.js';
import { tokenize, type Token } from './tokenize.js';
import { children } from './walk.js';
import { quoteString } from './deparse.js';

/** Deepest nesting of parentheses, calls, unary operators and `^` accepted. */
export const MAX_NESTING = 200;

/** Deepest tree accepted (later stages recurse over it; a long `a + b + ...` chain is this deep). */
export const MAX_DEPTH = 2000;

interface Parser {
  text: string;
  tokens: Token[];
  pos: number;
  nesting: number;
}

/**
 * Parses formula text in R's language into its syntax tree; a FormulaError (with a caret line) when it is malformed.
 * @example
 * ```ts
 * const ast = parseFormula('Reaction ~ Days + (Days | Subject)');
 * ast.lhs; // the response's node
 * ```
 */
export function parseFormula(text: string): FormulaAST {
  expectArgument('parseFormula', 'the formula', text, 'string');
  if (text.trim() === '') throw new FormulaError('empty formula', text, 0, Math.max(1, text.length));
  const p: Parser = { text, tokens: tokenize(text), pos: 0, nesting: 0 };
  let lhs: Node | null = null;
  if (peek(p).kind !== '~') {
    lhs = parseExpr(p, 1);
    if (peek(p).kind === 'eof') throw new FormulaError("formula has no '~' (write response ~ predictors)", text, 0, text.length);
  }
  expect(p, '~');
  const rhs = parseExpr(p, 1);
  expectEnd(p);
  if (lhs !== null) checkDepth(text, lhs);
  checkDepth(text, rhs);
  return { text, lhs, rhs };
}

function peek(p: Parser, ahead = 0): Token {
  return p.tokens[Math.min(p.pos + ahead, p.tokens.length - 1)];
}

function next(p: Parser): Token {
  const t = peek(p);
  if (p.pos < p.tokens.length - 1) p.pos++;
  return t;
}

function previous(p: Parser): Token | null {
  return p.pos > 0 ? p.tokens[p.pos - 1] : null;
}

function expect(p: Parser, kind: Token['kind']): Token {
  if (peek(p).kind !== kind) unexpected(p, peek(p));
  return next(p);
}

function expectEnd(p: Parser): void {
  const t = peek(p);
  if (t.kind === 'eof') return;
  if (t.kind === '~') throw new FormulaError("a formula has only one '~'", p.text, t.start, t.end);
  if (t.kind === ')') throw new FormulaError("unmatched ')'", p.text, t.start, t.end);
  unexpected(p, t);
}

/** Binary operators of precedence >= minPrec, left-associative except `^`. */
function parseExpr(p: Parser, minPrec: number): Node {
  enter(p);
  let left = parsePrefix(p);
  for (let t = peek(p); t.kind === 'op' && isBinaryOp(t.text) && PRECEDENCE[t.text] >= minPrec; t = peek(p)) {
    const op = t.text;
    next(p);
    const right = parseExpr(p, isRightAssoc(op) ? PRECEDENCE[op] : PRECEDENCE[op] + 1);
    left = { kind: 'binary', op, left, right, start: left.start, end: right.end };
  }
  p.nesting--;
  return left;
}

function enter(p: Parser): void {
  if (++p.nesting > MAX_NESTING) {
    const t = peek(p);
    throw new FormulaError(`formula is nested more than ${MAX_NESTING} levels deep`, p.text, t.start, t.end);
  }
}

/** An operand: unary +/-, a parenthesised expression, a call, a name, a number, a string or `.`. */
function parsePrefix(p: Parser): Node {
  const t = peek(p);
  switch (t.kind) {
    case 'op':
      if (t.text === '+' || t.text === '-') return parseUnary(p);
      return unexpected(p, t);
    case '(':
      return parseParen(p);
    case 'name':
      next(p);
      return peek(p).kind === '(' ? parseCall(p, t) : { kind: 'name', name: t.text, start: t.start, end: t.end };
    case 'number':
      next(p);
      return { kind: 'number', value: Number(t.text), text: t.text, start: t.start, end: t.end };
    case 'dot':
      next(p);
      return { kind: 'dot', start: t.start, end: t.end };
    case 'string':
      next(p);
      return { kind: 'string', value: t.text, start: t.start, end: t.end };
    default:
      return unexpected(p, t);
  }
}

function parseUnary(p: Parser): Node {
  const t = next(p);
  const arg = parseExpr(p, UNARY_PRECEDENCE);
  return { kind: 'unary', op: t.text as '+' | '-', arg, start: t.start, end: arg.end };
}

function parseParen(p: Parser): Node {
  const open = next(p);
  if (peek(p).kind === ')') throw new FormulaError('empty parentheses', p.text, open.start, peek(p).end);
  const expr = parseExpr(p, 1);
  const close = peek(p);
  if (close.kind === 'eof') throw new FormulaError("unclosed '('", p.text, open.start, open.end);
  if (close.kind !== ')') unexpected(p, close);
  next(p);
  return { kind: 'paren', expr, start: open.start, end: close.end };
}

/** `fn(arg, name = arg, ...)`; `fn()` has no arguments; an empty argument is an error. */
function parseCall(p: Parser, fn: Token): Node {
  const open = next(p);
  const args: Node[] = [];
  const names: (string | null)[] = [];
  enter(p);
  while (peek(p).kind !== ')' || args.length > 0) {
    const t = peek(p);
    if (t.kind === ',' || t.kind === ')') throw new FormulaError(`empty argument in call to ${fn.text}()`, p.text, t.start, t.end);
    names.push(parseArgName(p));
    args.push(parseExpr(p, 1));
    const sep = peek(p);
    if (sep.kind === 'eof') throw new FormulaError(`unclosed '(' in call to ${fn.text}()`, p.text, open.start, open.end);
    if (sep.kind === ')') break;
    if (sep.kind !== ',') unexpected(p, sep);
    next(p);
  }
  p.nesting--;
  const close = next(p);
  const call = { kind: 'call', fn: fn.text, args, start: fn.start, end: close.end } as const;
  return names.some((n) => n !== null) ? { ...call, argNames: names } : call;
}

/** The `name =` before a named argument, or null. */
function parseArgName(p: Parser): string | null {
  if (peek(p).kind !== 'name' || peek(p, 1).kind !== '=') return null;
  const name = next(p).text;
  next(p);
  return name;
}

/** Throws if the tree under `root` is deeper than MAX_DEPTH (measured without recursion). */
function checkDepth(text: string, root: Node): void {
  const stack: [Node, number][] = [[root, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (depth > MAX_DEPTH) throw new FormulaError(`formula is nested more than ${MAX_DEPTH} levels deep`, text, node.start, node.end);
    for (const child of children(node)) stack.push([child, depth + 1]);
  }
}

/** Throws the FormulaError for token `t` where an operand or operator was expected. */
function unexpected(p: Parser, t: Token): never {
  const prev = previous(p);
  const after = prev !== null && (prev.kind === 'op' || prev.kind === '~' || prev.kind === '=') ? prev : null;
  if (t.kind === 'eof' && after !== null) throw new FormulaError(`formula ends after '${after.text}'`, p.text, after.start, after.end);
  if (t.kind === 'eof') throw new FormulaError('formula ends unexpectedly', p.text, t.start, t.end);
  if (after?.text === '|' || after?.text === '||') throw new FormulaError(`missing grouping factor after '${after.text}'`, p.text, t.start, t.end);
  if (t.kind === '~') throw new FormulaError("'~' can appear only once, at the top level of a formula", p.text, t.start, t.end);
  throw new FormulaError(`unexpected ${describe(t)}`, p.text, t.start, t.end);
}

function describe(t: Token): string {
  if (t.kind === 'name') return `name '${t.text}'`;
  if (t.kind === 'number') return `number '${t.text}'`;
  if (t.kind === 'string') return `string ${quoteString(t.text)}`;
  return `'${t.text}'`;
}
