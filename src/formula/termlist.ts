/**
 * expandTerms: R's `terms()` algebra (EncodeVars in R's model.c) for one
 * right-hand side without random-effects bars.
 *
 * A term is a set of variables, held as the sorted indices of its variables in
 * `variables` (R's variable order: first appearance in the formula, response
 * first). Operators act on lists of such sets:
 *
 *     a + b      both lists, duplicates dropped
 *     a - b      terms of a not in b; `- 1` drops the intercept, `- 0` keeps it
 *     a : b      every union l ∪ r, l in a, r in b
 *     a * b      a + b + a:b
 *     a / b      a + (each r in b united with all variables of a)
 *     a %in% b   each l in a united with all variables of b
 *     a ^ n      a, a:a, ... n times (all interactions up to order n)
 *
 * `1` and `0` set the intercept (flipped under `-`); `offset(x)` goes to
 * `offsets`; `.` stands for every column not excluded. Terms are then ordered
 * by degree, keeping their order within a degree.
 */
import { FormulaError } from '../errors.js';
import type { Node, Term, TermList } from './ast.js';
import { deparse } from './deparse.js';

/** Most terms a formula may expand to (guards `(a + b + ... + z)^26`). */
export const MAX_TERMS = 10000;

export interface ExpandContext {
  text: string;
  /** Data column names, for `.`; undefined means `.` is an error. */
  columns?: readonly string[];
  /** Columns `.` leaves out (the response's variables, grouping factors). */
  dotExcludes: ReadonlySet<string>;
  /** The response: first in variable order, and dropped if it appears as a term. */
  response?: Node | null;
}

type Bits = readonly number[];

interface State {
  ctx: ExpandContext;
  variables: Node[];
  labels: string[];
  index: Map<string, number>;
  intercept: boolean;
  offsets: Node[];
}

/** The TermList of `node` (null: no terms, intercept only). */
export function expandTerms(node: Node | null, ctx: ExpandContext): TermList {
  const st: State = { ctx, variables: [], labels: [], index: new Map(), intercept: true, offsets: [] };
  const response = ctx.response ? install(st, ctx.response) : -1;
  const bits = node === null ? [] : encode(st, node, true);
  const kept = bits.filter((b) => !(b.length === 1 && b[0] === response));
  const byDegree = kept.map((b, i) => ({ b, i })).sort((x, y) => x.b.length - y.b.length || x.i - y.i);
  const list: TermList = { intercept: st.intercept, terms: byDegree.map(({ b }) => toTerm(st, b)), offsets: st.offsets };
  return kept.length < bits.length ? { ...list, responseDropped: true } : list;
}

function toTerm(st: State, bits: Bits): Term {
  return { label: bits.map((i) => st.labels[i]).join(':'), variables: bits.map((i) => st.variables[i]) };
}

/** The index of variable `node`, adding it at the end of the variable order if new. */
function install(st: State, node: Node): number {
  const label = deparse(node);
  let i = st.index.get(label);
  if (i === undefined) {
    i = st.variables.length;
    st.index.set(label, i);
    st.variables.push(node);
    st.labels.push(label);
  }
  return i;
}

/** The term list of `node`; `parity` is false inside the right of `-`. */
function encode(st: State, node: Node, parity: boolean): Bits[] {
  switch (node.kind) {
    case 'paren':
      return encode(st, node.expr, parity);
    case 'number':
      return encodeNumber(st, node, parity);
    case 'dot':
      return encodeDot(st, node);
    case 'string':
      throw new FormulaError('a quoted string is not a term (strings belong inside calls such as relevel(f, "a"))', st.ctx.text, node.start, node.end);
    case 'name':
      return [[install(st, node)]];
    case 'call':
      return encodeCall(st, node);
    case 'unary':
      return node.op === '+' ? encode(st, node.arg, parity) : negate(st, node.arg, parity);
    case 'binary':
      return encodeBinary(st, node, parity);
  }
}

/** `-x` alone: removes x from nothing, so no terms; `-1` / `-0` still set the intercept. */
function negate(st: State, arg: Node, parity: boolean): Bits[] {
  encode(st, arg, !parity);
  return [];
}

function encodeNumber(st: State, node: Extract<Node, { kind: 'number' }>, parity: boolean): Bits[] {
  if (node.value !== 0 && node.value !== 1)
    throw new FormulaError(`'${node.text}' is not a term: only 0 and 1 (the intercept) can stand alone`, st.ctx.text, node.start, node.end);
  st.intercept = node.value === 1 ? parity : !parity;
  return [];
}

function encodeDot(st: State, node: Node): Bits[] {
  const { columns, dotExcludes, text } = st.ctx;
  if (columns === undefined) throw new FormulaError("'.' needs the data's column names", text, node.start, node.end);
  return columns
    .filter((c) => !dotExcludes.has(c))
    .map((name) => [install(st, { kind: 'name', name, start: node.start, end: node.end })]);
}

function encodeCall(st: State, node: Extract<Node, { kind: 'call' }>): Bits[] {
  if (node.fn !== 'offset') return [[install(st, node)]];
  st.offsets.push(node.args[0]);
  return [];
}

function encodeBinary(st: State, node: Extract<Node, { kind: 'binary' }>, parity: boolean): Bits[] {
  if (node.op === '|' || node.op === '||')
    throw new FormulaError(
      `a random-effects term (... ${node.op} g) must be in parentheses and added with '+'`,
      st.ctx.text, node.start, node.end,
    );
  if (node.op === '^') return power(st, node, encode(st, node.left, parity), exponent(st, node.right));
  const left = encode(st, node.left, parity);
  const right = encode(st, node.right, node.op === '-' ? !parity : parity);
  switch (node.op) {
    case '+':
      return unique([...left, ...right]);
    case '-':
      return without(left, right);
    case ':':
      return interact(st, node, left, right);
    case '*':
      return unique([...left, ...right, ...interact(st, node, left, right)]);
    case '/':
      return unique([...left, ...right.map((r) => union(r, allOf(left)))]);
    case '%in%':
      return unique(left.map((l) => union(l, allOf(right))));
  }
}

/** The whole number n of `(...)^n`. */
function exponent(st: State, node: Node): number {
  let n = node;
  while (n.kind === 'paren') n = n.expr;
  if (n.kind !== 'number' || !Number.isInteger(n.value) || n.value < 1)
    throw new FormulaError('the power in (...)^n must be a whole number of at least 1', st.ctx.text, node.start, node.end);
  return n.value;
}

/** R's PowerTerms: `n - 1` interactions with `base`, stopping early at a fixed point. */
function power(st: State, node: Node, base: Bits[], n: number): Bits[] {
  let result = base;
  for (let i = 1; i < n; i++) {
    const next = interact(st, node, base, result);
    if (sameList(next, result)) break;
    result = next;
  }
  return unique(result);
}

function sameList(a: Bits[], b: Bits[]): boolean {
  return a.length === b.length && a.every((x, i) => x.join(',') === b[i].join(','));
}

function interact(st: State, node: Node, left: Bits[], right: Bits[]): Bits[] {
  checkSize(st, node, left.length * right.length);
  return unique(left.flatMap((l) => right.map((r) => union(l, r))));
}

function checkSize(st: State, node: Node, count: number): void {
  if (count > MAX_TERMS) throw new FormulaError(`formula expands to more than ${MAX_TERMS} terms`, st.ctx.text, node.start, node.end);
}

function union(a: Bits, b: Bits): Bits {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

function allOf(list: Bits[]): Bits {
  return list.reduce<Bits>((acc, b) => union(acc, b), []);
}

/** `list` without empty terms and repeats (first occurrence kept): R's TrimRepeats. */
function unique(list: Bits[]): Bits[] {
  const seen = new Set<string>();
  return list.filter((b) => {
    const key = b.join(',');
    if (b.length === 0 || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function without(list: Bits[], remove: Bits[]): Bits[] {
  const gone = new Set(remove.map((b) => b.join(',')));
  return list.filter((b) => !gone.has(b.join(',')));
}
