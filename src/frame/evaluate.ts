import { meanSd } from './meanSd.js';
import type { DataTable } from '../data/types.js';
import { toFactor } from '../data/factor.js';
import { withReference } from '../data/levels.js';
import { FormulaError, closest } from '../errors.js';
import type { Node } from '../formula/ast.js';
import { deparse } from '../formula/deparse.js';
import { stripParens } from '../formula/walk.js';
import { poly } from './poly.js';
import { roundDigits, roundHalfEven } from './round.js';
import { contrastKind, type ContrastKind } from './contrasts.js';
import { constant, logicalArg, numberArg, numbersArg } from './constant.js';
import { splineBasis, splineColumns, splineSpec, type SplineArgs, type SplineSpec } from './splines/spline.js';
import { dropUnusedLevels, pickCodes, pickRows, type Value } from './value.js';

/** Where a formula variable is evaluated. */
export interface EvalContext {
  table: DataTable;
  /** The formula text, to point a caret at the culprit in errors. */
  text: string;
  /** Input rows to evaluate on, ascending. */
  rows: Int32Array;
  /** Reference level per categorical column (moved first, as R's `relevel`). */
  reference?: Readonly<Record<string, string>>;
  /** The columns of `reference` a categorical variable took its reference level from (modelFrame: a reference nothing used is an error). */
  referenced?: Set<string>;
}

type Num = Float64Array | number;

const MATH: Record<string, (x: number) => number> = {
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  log1p: Math.log1p,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: Math.sign,
  floor: Math.floor,
  ceiling: Math.ceil,
  trunc: Math.trunc,
  expm1: Math.expm1,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
};
const SPECIAL = ['I', 'round', 'scale', 'factor', 'as.factor', 'ordered', 'relevel', 'C', 'poly', 'ns', 'bs', 'cbind', 'offset'];
const FUNCTIONS = [...Object.keys(MATH), ...SPECIAL];

/**
 * The value of a formula variable (`Days`, `log(y)`, `I(Days^2)`, `factor(g)`,
 * `poly(x, 2)`, `cbind(s, f)`, `offset(log(n))`) on `ctx.rows`. Categorical
 * results keep only the levels those rows use. Data-dependent transforms
 * (`scale`, `poly`) are computed on the non-missing rows among `ctx.rows`,
 * so evaluating on the rows a model keeps gives R's results on complete cases.
 */
export function evaluate(node: Node, ctx: EvalContext): Value {
  switch (node.kind) {
    case 'name':
      return columnValue(node, ctx);
    case 'paren':
      return evaluate(node.expr, ctx);
    case 'call':
      return callValue(node, ctx);
    default:
      return { kind: 'numeric', values: numeric(node, ctx) };
  }
}

function callValue(node: Extract<Node, { kind: 'call' }>, ctx: EvalContext): Value {
  switch (node.fn) {
    case 'factor':
    case 'as.factor':
    case 'ordered':
      return factorValue(node, ctx);
    case 'relevel':
      return relevelValue(node, ctx);
    case 'C':
      return contrastValue(node, ctx);
    case 'poly':
      return polyValue(node, ctx);
    case 'ns':
    case 'bs': {
      const { spec, x } = splineCall(node, ctx);
      return splineValue(spec, x);
    }
    case 'cbind':
      return cbindValue(node, ctx);
    case 'offset':
      return { kind: 'numeric', values: numeric(matchArgs(node, ['object'], 1, ctx)[0]!, ctx) };
    default:
      return { kind: 'numeric', values: numeric(node, ctx) };
  }
}

function columnValue(node: Extract<Node, { kind: 'name' }>, ctx: EvalContext): Value {
  const column = lookup(node, ctx);
  if (column.kind === 'numeric') return { kind: 'numeric', values: pick(column.values, ctx) };
  return categorical(toFactor(column, node.name), node.name, ctx);
}

/**
 * `factor(x, levels)` / `ordered(x, levels)`: x as categorical, levels sorted as R
 * sorts them or in the order given (values outside `levels` become missing, as in R);
 * `ordered` codes by polynomial contrasts (R's default for ordered factors).
 */
function factorValue(node: Extract<Node, { kind: 'call' }>, ctx: EvalContext): Value {
  const [arg, levelsNode] = matchArgs(node, node.fn === 'as.factor' ? ['x'] : ['x', 'levels'], 1, ctx);
  const { factor, key } = inputFactor(arg!, ctx);
  const given = levelsNode === undefined ? factor : onGivenLevels(factor, levelsNode, ctx);
  const value = categorical(given, key, ctx);
  return node.fn === 'ordered' && value.kind === 'categorical' ? { ...value, contrast: 'poly' } : value;
}

/** `relevel(x, ref)`: x as categorical with level `ref` (a label, or a 1-based index as in R) first. */
function relevelValue(node: Extract<Node, { kind: 'call' }>, ctx: EvalContext): Value {
  const [arg, refNode] = matchArgs(node, ['x', 'ref'], 2, ctx);
  const { factor, key } = inputFactor(arg!, ctx);
  const ref = constant(refNode!, ctx.text, 'the reference level of relevel()');
  let level: string;
  if (typeof ref === 'string') level = ref;
  else if (typeof ref === 'number' && Number.isInteger(ref) && ref >= 1 && ref <= factor.levels.length) level = factor.levels[ref - 1];
  else throw caret(`relevel(): 'ref' must be a level of ${deparse(arg!)} or its position (1 to ${factor.levels.length})`, refNode!, ctx);
  const reordered = withReference(factor.levels, level, deparse(arg!));
  const remap = Int32Array.from(factor.levels, (l) => reordered.indexOf(l));
  return categorical({ codes: factor.codes.map((c) => (c < 0 ? -1 : remap[c])), levels: reordered }, key, ctx);
}

/** `C(x, contr)`: x as categorical with its own contrasts (treatment, sum, helmert, poly, or R's contr.* names). */
function contrastValue(node: Extract<Node, { kind: 'call' }>, ctx: EvalContext): Value {
  const [arg, contrNode] = matchArgs(node, ['object', 'contr'], 2, ctx);
  const { factor, key } = inputFactor(arg!, ctx);
  const value = categorical(factor, key, ctx);
  const c = stripParens(contrNode!);
  const name = c.kind === 'name' ? c.name : c.kind === 'string' ? c.value : null;
  const kind: ContrastKind | null = name === null ? null : contrastKind(name);
  if (kind === null) throw caret("C(): the contrasts must be one of treatment, sum, helmert, poly (or R's contr.sum, ...)", contrNode!, ctx);
  return value.kind === 'categorical' ? { ...value, contrast: kind } : value;
}

/** The categorical codes of a factor()-like call's argument over all input rows, and the key its reference level is looked up by. */
function inputFactor(arg: Node, ctx: EvalContext): { factor: { codes: Int32Array; levels: string[] }; key: string } {
  const core = stripParens(arg);
  if (core.kind === 'name') return { factor: toFactor(lookup(core, ctx), core.name), key: core.name };
  const inner = core.kind === 'call' && ['factor', 'as.factor', 'ordered', 'relevel', 'C'].includes(core.fn) ? evaluate(core, { ...ctx, rows: allRows(ctx) }) : null;
  if (inner?.kind === 'categorical') return { factor: { codes: inner.codes, levels: inner.levels }, key: deparse(core) };
  const values = numeric(core, ctx);
  const all = new Int32Array(ctx.table.nrow).fill(-1);
  const f = toFactor({ kind: 'numeric', values }, deparse(core));
  for (let i = 0; i < ctx.rows.length; i++) all[ctx.rows[i]] = f.codes[i];
  return { factor: { codes: all, levels: f.levels }, key: deparse(core) };
}

function allRows(ctx: EvalContext): Int32Array {
  return Int32Array.from({ length: ctx.table.nrow }, (_, i) => i);
}

/** The factor recoded to the `levels` given in the call, in that order; other values become missing. */
function onGivenLevels(f: { codes: Int32Array; levels: string[] }, node: Node, ctx: EvalContext): { codes: Int32Array; levels: string[] } {
  const given = constant(node, ctx.text, 'the levels');
  const levels = (Array.isArray(given) ? given : [given]).map(String);
  if (new Set(levels).size !== levels.length) throw caret('the levels given contain duplicates', node, ctx);
  const at = new Map(levels.map((l, i) => [l, i]));
  const remap = f.levels.map((l) => at.get(l) ?? -1);
  return { codes: f.codes.map((c) => (c < 0 ? -1 : remap[c])), levels };
}

/** Codes on ctx.rows, reference level first, unused levels dropped. `codes` index the input rows. */
function categorical(f: { codes: Int32Array; levels: string[] }, column: string, ctx: EvalContext): Value {
  let { codes, levels } = f;
  const reference = ctx.reference?.[column];
  if (reference !== undefined) {
    ctx.referenced?.add(column);
    const reordered = withReference(levels, reference, column);
    const remap = Int32Array.from(levels, (l) => reordered.indexOf(l));
    const from = codes;
    codes = new Int32Array(from.length);
    for (let i = 0; i < from.length; i++) codes[i] = from[i] < 0 ? -1 : remap[from[i]];
    levels = reordered;
  }
  const picked = isAllRows(ctx) ? codes : pickCodes(codes, ctx.rows);
  return { kind: 'categorical', ...dropUnusedLevels(picked, levels) };
}

function polyValue(node: Extract<Node, { kind: 'call' }>, ctx: EvalContext): Value {
  const [xNode, degreeNode] = matchArgs(node, ['x', 'degree'], 1, ctx);
  let degree = 1;
  if (degreeNode !== undefined) {
    if (degreeNode.kind !== 'number' || !Number.isInteger(degreeNode.value) || degreeNode.value < 1) {
      throw caret('the degree of poly() must be a positive whole number', degreeNode, ctx);
    }
    degree = degreeNode.value;
  }
  const suffixes = Array.from({ length: degree }, (_, j) => String(j + 1));
  return { kind: 'matrix', values: poly(numeric(xNode!, ctx), degree, deparse(xNode!)), ncol: degree, suffixes };
}

/**
 * `ns(x, df, knots, intercept, Boundary.knots)` / `bs(x, df, knots, degree, intercept,
 * Boundary.knots)`: the spline's spec (knots from the non-missing x on ctx.rows, as
 * R computes them on complete cases), and x on `at` (default ctx): new data are
 * evaluated with the fit's spec.
 */
export function splineCall(node: Extract<Node, { kind: 'call' }>, ctx: EvalContext, at: EvalContext = ctx): { spec: SplineSpec; x: Float64Array } {
  const bs = node.fn === 'bs';
  const formals = bs ? ['x', 'df', 'knots', 'degree', 'intercept', 'Boundary.knots'] : ['x', 'df', 'knots', 'intercept', 'Boundary.knots'];
  const m = matchArgs(node, formals, 1, ctx);
  const arg = (name: string) => m[formals.indexOf(name)];
  const x = numeric(m[0]!, ctx);
  const args: SplineArgs = {};
  const label = deparse(node);
  const df = arg('df'), knots = arg('knots'), degree = arg('degree'), intercept = arg('intercept'), boundary = arg('Boundary.knots');
  if (df !== undefined) args.df = numberArg(df, ctx.text, `${node.fn}(): df`);
  if (knots !== undefined) args.knots = numbersArg(knots, ctx.text, `${node.fn}(): knots`);
  if (degree !== undefined) args.degree = numberArg(degree, ctx.text, `${node.fn}(): degree`);
  if (intercept !== undefined) args.intercept = logicalArg(intercept, ctx.text, `${node.fn}(): intercept`);
  if (boundary !== undefined) {
    const b = numbersArg(boundary, ctx.text, `${node.fn}(): Boundary.knots`);
    if (b.length !== 2) throw caret(`${node.fn}(): Boundary.knots must be two numbers`, boundary, ctx);
    args.boundary = [Math.min(b[0], b[1]), Math.max(b[0], b[1])];
  }
  return { spec: splineSpec(node.fn as 'bs' | 'ns', x, args, label), x: at === ctx ? x : numeric(m[0]!, at) };
}

/** The spline basis as a matrix value, columns named 1, 2, ... as R's. */
export function splineValue(spec: SplineSpec, x: Float64Array): Value {
  const ncol = splineColumns(spec);
  return { kind: 'matrix', values: splineBasis(spec, x), ncol, suffixes: Array.from({ length: ncol }, (_, j) => String(j + 1)) };
}

function cbindValue(node: Extract<Node, { kind: 'call' }>, ctx: EvalContext): Value {
  if (node.args.length === 0) throw caret('cbind() needs at least one argument', node, ctx);
  const n = ctx.rows.length;
  const values = new Float64Array(n * node.args.length);
  node.args.forEach((arg, j) => values.set(numeric(arg, ctx), j * n));
  const suffixes = node.args.map((a, j) => node.argNames?.[j] ?? (a.kind === 'name' ? a.name : String(j + 1)));
  return { kind: 'matrix', values, ncol: node.args.length, suffixes };
}

/** A node as one number per row. */
function numeric(node: Node, ctx: EvalContext): Float64Array {
  return broadcast(arithmetic(node, ctx), ctx.rows.length);
}

/**
 * A call's arguments matched to `formals` as R matches them: named arguments
 * by exact name, then the positional ones in order. The first `required`
 * formals must be given.
 */
function matchArgs(node: Extract<Node, { kind: 'call' }>, formals: string[], required: number, ctx: EvalContext): (Node | undefined)[] {
  const matched: (Node | undefined)[] = formals.map(() => undefined);
  const positional: Node[] = [];
  node.args.forEach((arg, i) => {
    const name = node.argNames?.[i] ?? null;
    if (name === null) return void positional.push(arg);
    const at = formals.indexOf(name);
    if (at < 0) throw caret(`${node.fn}() has no argument '${name}'; its arguments are ${formals.join(', ')}`, arg, ctx);
    matched[at] = arg;
  });
  for (const arg of positional) {
    const free = matched.findIndex((m) => m === undefined);
    if (free < 0) throw caret(`${node.fn}() takes at most ${formals.length} argument${formals.length === 1 ? '' : 's'}`, node, ctx);
    matched[free] = arg;
  }
  const absent = formals.slice(0, required).find((_, i) => matched[i] === undefined);
  if (absent !== undefined) throw caret(`${node.fn}() needs its argument '${absent}'`, node, ctx);
  return matched;
}

/** R arithmetic on numeric columns and numbers, as inside `I()` or a function's arguments. */
function arithmetic(node: Node, ctx: EvalContext): Num {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'name': {
      const column = lookup(node, ctx);
      if (column.kind !== 'numeric') throw caret(`column '${node.name}' is categorical; arithmetic needs numbers`, node, ctx);
      return pick(column.values, ctx);
    }
    case 'paren':
      return arithmetic(node.expr, ctx);
    case 'unary':
      return node.op === '-' ? map(arithmetic(node.arg, ctx), (x) => -x) : arithmetic(node.arg, ctx);
    case 'binary':
      return binary(node, ctx);
    case 'call':
      return callArithmetic(node, ctx);
    case 'dot':
      throw caret("'.' cannot be used here", node, ctx);
    case 'string':
      throw caret('a quoted string cannot be used in arithmetic', node, ctx);
  }
}

const OPS: Partial<Record<string, (a: number, b: number) => number>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': (a, b) => a ** b,
};

function binary(node: Extract<Node, { kind: 'binary' }>, ctx: EvalContext): Num {
  const op = OPS[node.op];
  if (op === undefined) throw caret(`operator '${node.op}' cannot be used in arithmetic; only + - * / ^`, node, ctx);
  return zip(arithmetic(node.left, ctx), arithmetic(node.right, ctx), op);
}

function callArithmetic(node: Extract<Node, { kind: 'call' }>, ctx: EvalContext): Num {
  const fn = MATH[node.fn];
  if (node.fn === 'I') return arithmetic(matchArgs(node, ['x'], 1, ctx)[0]!, ctx);
  if (node.fn === 'round') {
    const [x, digits] = matchArgs(node, ['x', 'digits'], 1, ctx);
    return digits === undefined ? map(arithmetic(x!, ctx), roundHalfEven) : zip(arithmetic(x!, ctx), arithmetic(digits, ctx), roundDigits);
  }
  if (node.fn === 'scale') return standardise(numeric(matchArgs(node, ['x'], 1, ctx)[0]!, ctx), node, ctx);
  if (node.fn === 'log') {
    const [x, base] = matchArgs(node, ['x', 'base'], 1, ctx);
    if (base !== undefined) return zip(arithmetic(x!, ctx), arithmetic(base, ctx), (v, b) => Math.log(v) / Math.log(b));
  }
  if (fn !== undefined) return map(arithmetic(matchArgs(node, ['x'], 1, ctx)[0]!, ctx), fn);
  if (SPECIAL.includes(node.fn)) throw caret(`${node.fn}() cannot be used inside an arithmetic expression`, node, ctx);
  const near = closest(node.fn, FUNCTIONS);
  const hint = near === null ? `; known functions: ${FUNCTIONS.join(', ')}` : ` (did you mean '${near}'?)`;
  throw new FormulaError(`unknown function '${node.fn}'${hint}`, ctx.text, node.start, node.start + node.fn.length);
}

/** R's `scale(x)`: (x - mean) / sd over the non-missing values. */
function standardise(x: Float64Array, node: Node, ctx: EvalContext): Float64Array {
  const { mean, sd } = meanSd(x);
  if (!(sd > 0)) throw caret(`cannot scale: '${deparse(node)}' needs at least two different values`, node, ctx);
  return x.map((v) => (v - mean) / sd);
}

function lookup(node: Extract<Node, { kind: 'name' }>, ctx: EvalContext) {
  const column = ctx.table.columns.get(node.name);
  if (column !== undefined) return column;
  const near = closest(node.name, ctx.table.names);
  const hint = near === null ? '' : ` (did you mean '${near}'?)`;
  throw caret(`unknown column '${node.name}'${hint}`, node, ctx);
}

function caret(reason: string, node: Node, ctx: EvalContext): FormulaError {
  return new FormulaError(reason, ctx.text, node.start, node.end);
}

/** Whether `ctx.rows` is every row of the table (0, 1, ..., nrow - 1, as the rows are ascending). */
function isAllRows(ctx: EvalContext): boolean {
  return ctx.rows.length === ctx.table.nrow;
}

/**
 * A numeric column on ctx.rows: the column itself when every row is used (values
 * are never written, and a copy of a 1e6-row column is 8 MB), else its rows.
 */
function pick(values: Float64Array, ctx: EvalContext): Float64Array {
  return isAllRows(ctx) ? values : pickRows(values, ctx.rows, 1);
}

function broadcast(x: Num, n: number): Float64Array {
  return typeof x === 'number' ? new Float64Array(n).fill(x) : x;
}

function map(x: Num, f: (v: number) => number): Num {
  if (typeof x === 'number') return f(x);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
  return out;
}

function zip(a: Num, b: Num, f: (x: number, y: number) => number): Num {
  if (typeof a === 'number' && typeof b === 'number') return f(a, b);
  const n = typeof a === 'number' ? (b as Float64Array).length : a.length;
  const out = new Float64Array(n);
  if (typeof a === 'number') for (let i = 0; i < n; i++) out[i] = f(a, (b as Float64Array)[i]);
  else if (typeof b === 'number') for (let i = 0; i < n; i++) out[i] = f(a[i], b);
  else for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  return out;
}
