/**
 * A fitted model's terms evaluated on new data (R's `model.frame(terms, newdata,
 * xlev = ...)` with the `predvars` of the fit): the fixed-effects rows and the
 * random-effects columns for rows the model has not seen.
 *
 * Three things must come from the original fit, not from the new rows:
 * - level sets: a categorical variable's codes index the levels it had in the
 *   rows the model used (reference level first), so contrasts and column names
 *   are the fit's; a level the fit never saw is an error in the fixed part;
 * - data-dependent transforms: `scale(x)` becomes (x - m) / s with m, s taken
 *   from the fit's rows, `poly(x, d)` is evaluated by the three-term recurrence
 *   of the fit's orthogonal polynomials (R's `predict.poly`);
 * - the grouping factors' levels: a new row's level is looked up by label
 *   (`308`, `a:b`) among the fit's levels; unknown labels are new levels.
 *
 * Missing values do not drop rows: `missing[i]` is 1 when a variable the
 * prediction needs is missing in row i, and that row's entries are NaN.
 * Values that are infinite, or undefined where the data are complete
 * (`log(x)` for x < 0), are refused, as when fitting (frame/valueChecks.ts).
 */
import { toTable, toFactor, type DataTable } from '../../data/index.js';
import { MixedModelsError, closest } from '../../errors.js';
import type { Node, RandomTerm } from '../../formula/ast.js';
import { deparse } from '../../formula/deparse.js';
import { evaluate, designMatrix, lme4Order, type EvalContext, type ModelFrame, type Value } from '../../frame/index.js';
import { splineCall, splineValue } from '../../frame/evaluate.js';
import type { ContrastsOption } from '../../frame/contrasts.js';
import { columnsOf } from '../../frame/variables.js';
import { isMissing } from '../../frame/value.js';
import { meanSd } from '../../frame/meanSd.js';
import { checkDefined, checkFinite, checkNumericUse, dataMissing } from '../../frame/valueChecks.js';

/** How the model's frame was built: the data it was fitted to and the frame options. */
export interface FrameSource {
  data: unknown;
  factors?: readonly string[];
  contrasts?: ContrastsOption;
  reference?: Readonly<Record<string, string>>;
}

/** One random-effects term (frame.reTerms order) on the new rows. */
export interface NewReTerm {
  group: string;
  /** Index into the fit's levels per row; -1 for a new level or a missing group. */
  refs: Int32Array;
  /** Row-major n x k, the term's columns (NaN where missing). */
  z: Float64Array;
  k: number;
  /** Labels of levels the fit has not seen, in order of first appearance. */
  newLevels: string[];
}

export interface NewFrame {
  n: number;
  /** Column-major n x p, columns as frame.colnames. */
  X: Float64Array;
  p: number;
  offset: Float64Array | null;
  /** Empty unless random terms were requested. */
  reTerms: NewReTerm[];
  /** 1 where a variable the prediction needs is missing. */
  missing: Uint8Array;
}

/**
 * `frame`'s terms evaluated on `newdata`. `random: false` evaluates the fixed
 * part only (population predictions need no grouping columns).
 */
export function newFrame(frame: ModelFrame, source: FrameSource, newdata: unknown, options: { random: boolean }): NewFrame {
  const formula = frame.formula;
  const original = toTable(source.data, { factors: source.factors });
  const table = asNewTable(newdata, source.factors);
  const text = formula.ast.text;
  const ctx0: EvalContext = { table: original, text, rows: frame.rows, reference: source.reference };
  const ctx1: EvalContext = { table, text, rows: Int32Array.from({ length: table.nrow }, (_, i) => i) };
  const randoms = options.random ? formula.random : [];
  const covariates = [...formula.fixed.terms, ...randoms.flatMap((r) => r.lhs.terms)].flatMap((t) => t.variables);
  const nodes = unique([...covariates, ...formula.fixed.offsets]);
  checkColumns([...nodes.values(), ...randoms.flatMap((r) => r.group)], table);
  checkNumericUse([...nodes.values()], table, source.factors);
  const values = new Map([...nodes].map(([key, node]) => [key, newValue(node, ctx0, ctx1)]));
  checkDefined(nodes, values, table, dataMissing(nodes, table, null), 'newdata: ');
  checkFinite(nodes, values, table, ctx1.rows, 'newdata: ');
  const n = table.nrow;
  const missing = new Uint8Array(n);
  for (const v of values.values()) for (let i = 0; i < n; i++) if (isMissing(v, i)) missing[i] = 1;
  return {
    n,
    ...fixedRows(frame, values, n, source.contrasts),
    offset: offsets(formula.fixed.offsets, values, n),
    reTerms: options.random ? newReTerms(frame, randoms, values, ctx0, ctx1, source.contrasts, missing) : [],
    missing,
  };
}

function asNewTable(newdata: unknown, factors: readonly string[] | undefined): DataTable {
  const plain = toTable(newdata);
  return toTable(plain, { factors: (factors ?? []).filter((f) => plain.columns.has(f)) });
}

function unique(nodes: readonly Node[]): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const node of nodes) {
    const key = deparse(node);
    if (!out.has(key)) out.set(key, node);
  }
  return out;
}

function checkColumns(nodes: readonly Node[], table: DataTable): void {
  for (const name of new Set(nodes.flatMap(columnsOf))) {
    if (table.columns.has(name)) continue;
    const near = closest(name, table.names);
    throw new MixedModelsError(`newdata has no column '${name}', which the model uses${near === null ? '' : ` (did you mean '${near}'?)`}`);
  }
}

/** The variable on the new rows, with the fit's levels and transform parameters. */
function newValue(node: Node, ctx0: EvalContext, ctx1: EvalContext): Value {
  const label = deparse(node);
  const core = stripParens(node);
  if (core.kind === 'call' && core.fn === 'poly') return polyValue(core, ctx0, ctx1);
  if (core.kind === 'call' && (core.fn === 'ns' || core.fn === 'bs')) {
    const frozen = freezeScale(core, ctx0) as typeof core;
    const { spec, x } = splineCall(frozen, ctx0, ctx1);
    return splineValue(spec, x);
  }
  const frozen = freezeScale(node, ctx0);
  const fitted = evaluate(frozen, ctx0);
  const value = evaluate(frozen, ctx1);
  if (fitted.kind !== 'categorical') {
    if (value.kind === 'categorical') throw new MixedModelsError(`'${label}' is numeric in the fitted data but categorical in newdata`);
    return value;
  }
  return { ...onLevels(value, fitted.levels, label), ...(fitted.contrast ? { contrast: fitted.contrast } : {}) };
}

/** Codes of `value` re-indexed to the fit's `levels` (by label); unseen levels are an error. */
function onLevels(value: Value, levels: readonly string[], label: string): Value {
  const f = value.kind === 'categorical' ? value : value.kind === 'numeric' ? toFactor(value, label) : null;
  if (f === null) throw new MixedModelsError(`'${label}' must be a single column in newdata`);
  const index = new Map(levels.map((l, i) => [l, i]));
  const unseen = f.levels.filter((l) => !index.has(l));
  if (unseen.length > 0) {
    throw new MixedModelsError(`newdata has level${unseen.length === 1 ? '' : 's'} ${unseen.map((l) => `'${l}'`).join(', ')} of '${label}' that the model was not fitted to (its levels: ${levels.join(', ')})`);
  }
  const remap = f.levels.map((l) => index.get(l)!);
  return { kind: 'categorical', codes: f.codes.map((c) => (c < 0 ? -1 : remap[c])), levels: [...levels] };
}

function stripParens(node: Node): Node {
  return node.kind === 'paren' ? stripParens(node.expr) : node;
}

function num(value: number, at: Node): Node {
  return { kind: 'number', value, text: String(value), start: at.start, end: at.end };
}

/** `node` with every `scale(x)` replaced by `(x - m) / s`, m and s from the fit's rows (as R's scale). */
function freezeScale(node: Node, ctx0: EvalContext): Node {
  switch (node.kind) {
    case 'paren':
      return { ...node, expr: freezeScale(node.expr, ctx0) };
    case 'unary':
      return { ...node, arg: freezeScale(node.arg, ctx0) };
    case 'binary':
      return { ...node, left: freezeScale(node.left, ctx0), right: freezeScale(node.right, ctx0) };
    case 'call': {
      const args = node.args.map((a) => freezeScale(a, ctx0));
      if (node.fn !== 'scale' || args.length !== 1) return { ...node, args };
      const x = evaluate(args[0], ctx0);
      if (x.kind !== 'numeric') return { ...node, args };
      const { mean, sd } = meanSd(x.values);
      const centred: Node = { kind: 'binary', op: '-', left: { kind: 'paren', expr: args[0], start: node.start, end: node.end }, right: num(mean, node), start: node.start, end: node.end };
      return { kind: 'binary', op: '/', left: { kind: 'paren', expr: centred, start: node.start, end: node.end }, right: num(sd, node), start: node.start, end: node.end };
    }
    default:
      return node;
  }
}

/**
 * `poly(x, d)` at new x: with t = x - mean(x_fit), the monic orthogonal
 * polynomials on the fit's points satisfy P_0 = 1, P_1 = t - a_0,
 * P_{j+1} = (t - a_j) P_j - (N_j / N_{j-1}) P_{j-1}, a_j = sum t P_j^2 / N_j,
 * N_j = sum P_j^2; column j is P_j / sqrt(N_j) (frame/poly.ts's basis).
 */
function polyValue(node: Extract<Node, { kind: 'call' }>, ctx0: EvalContext, ctx1: EvalContext): Value {
  const args = polyArguments(node);
  const degree = args.degree?.kind === 'number' ? args.degree.value : 1;
  const xNode = freezeScale(args.x, ctx0);
  const fit = numericValue(evaluate(xNode, ctx0), deparse(node));
  const x = numericValue(evaluate(xNode, ctx1), deparse(node));
  const { mean } = meanSd(fit);
  const t0 = fit.filter((v) => !Number.isNaN(v)).map((v) => v - mean);
  const a: number[] = [], norms: number[] = [];
  let prev = new Float64Array(t0.length), cur = new Float64Array(t0.length).fill(1);
  for (let j = 0; j <= degree; j++) {
    const N = cur.reduce((s, v) => s + v * v, 0);
    norms.push(N);
    a.push(cur.reduce((s, v, i) => s + t0[i] * v * v, 0) / N);
    const next = cur.map((v, i) => (t0[i] - a[j]) * v - (j > 0 ? (N / norms[j - 1]) * prev[i] : 0));
    prev = cur;
    cur = next;
  }
  const n = x.length, out = new Float64Array(n * degree);
  for (let i = 0; i < n; i++) {
    const t = x[i] - mean;
    let p0 = 0, p1 = 1;
    for (let j = 0; j < degree; j++) {
      const p2 = (t - a[j]) * p1 - (j > 0 ? (norms[j] / norms[j - 1]) * p0 : 0);
      p0 = p1;
      p1 = p2;
      out[i + j * n] = p2 / Math.sqrt(norms[j + 1]);
    }
  }
  return { kind: 'matrix', values: out, ncol: degree, suffixes: Array.from({ length: degree }, (_, j) => String(j + 1)) };
}

/** `poly`'s arguments (x, degree) matched as R matches them: by name, then positional ones in order. */
function polyArguments(node: Extract<Node, { kind: 'call' }>): { x: Node; degree: Node | undefined } {
  const formals = ['x', 'degree'];
  const matched: (Node | undefined)[] = [undefined, undefined];
  const positional: Node[] = [];
  node.args.forEach((arg, i) => {
    const at = formals.indexOf(node.argNames?.[i] ?? '');
    if (at >= 0) matched[at] = arg;
    else positional.push(arg);
  });
  for (const arg of positional) matched[matched.findIndex((m) => m === undefined)] = arg;
  return { x: matched[0]!, degree: matched[1] };
}

function numericValue(v: Value, label: string): Float64Array {
  if (v.kind !== 'numeric') throw new MixedModelsError(`the argument of '${label}' must be numeric`);
  return v.values;
}

/** The fixed-effects rows, columns as the fit's (aliased ones dropped). */
function fixedRows(frame: ModelFrame, values: ReadonlyMap<string, Value>, n: number, contrasts: FrameSource['contrasts']): { X: Float64Array; p: number } {
  const design = designMatrix(frame.formula.fixed, values, n, contrasts);
  const at = new Map(design.colnames.map((c, j) => [c, j]));
  const p = frame.p, X = new Float64Array(n * p);
  frame.colnames.forEach((c, j) => {
    const src = at.get(c);
    if (src === undefined) throw new MixedModelsError(`internal error: column '${c}' cannot be rebuilt on newdata`);
    X.set(design.values.subarray(src * n, (src + 1) * n), j * n);
  });
  return { X, p };
}

function offsets(nodes: readonly Node[], values: ReadonlyMap<string, Value>, n: number): Float64Array | null {
  if (nodes.length === 0) return null;
  const total = new Float64Array(n);
  for (const node of nodes) {
    const v = values.get(deparse(node))!;
    if (v.kind === 'numeric') v.values.forEach((x, i) => (total[i] += x));
  }
  return total;
}

/** Grouping labels as the frame writes levels: the group variables' labels joined by ':'. */
function groupLabels(r: RandomTerm, ctx: EvalContext): (string | null)[] {
  const factors = r.group.map((node) => {
    const v = evaluate(node, ctx);
    if (v.kind === 'matrix') throw new MixedModelsError(`grouping factor '${deparse(node)}' must be a single column`);
    return v.kind === 'categorical' ? v : toFactor(v, deparse(node));
  });
  return Array.from(ctx.rows, (_, i) => (factors.some((f) => f.codes[i] < 0) ? null : factors.map((f) => f.levels[f.codes[i]]).join(':')));
}

function newReTerms(
  frame: ModelFrame,
  randoms: readonly RandomTerm[],
  values: ReadonlyMap<string, Value>,
  ctx0: EvalContext,
  ctx1: EvalContext,
  contrasts: FrameSource['contrasts'],
  missing: Uint8Array,
): NewReTerm[] {
  const nl = randoms.map((r) => new Set(groupLabels(r, ctx0)).size);
  const n = ctx1.rows.length;
  return lme4Order(nl).map((i, pos) => {
    const fitted = frame.reTerms[pos];
    const r = randoms[i];
    const design = designMatrix(r.lhs, values, n, contrasts);
    const k = fitted.k, z = new Float64Array(n * k);
    const at = fitted.cnames.map((c) => design.colnames.indexOf(c));
    for (let c = 0; c < k; c++) for (let row = 0; row < n; row++) z[row * k + c] = design.values[row + at[c] * n];
    const index = new Map(fitted.levels.map((l, lev) => [l, lev]));
    const labels = groupLabels(r, ctx1);
    const newLevels = new Set<string>();
    const refs = Int32Array.from(labels, (label, row) => {
      if (label === null) {
        missing[row] = 1;
        return -1;
      }
      const lev = index.get(label);
      if (lev === undefined) newLevels.add(label);
      return lev ?? -1;
    });
    return { group: fitted.group, refs, z, k, newLevels: [...newLevels] };
  });
}
