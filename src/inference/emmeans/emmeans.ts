/**
 * Estimated marginal means (emmeans' emmeans(), version 1.8.4).
 *
 * For the factors in `specs` and `by` (together F), each combination c of
 * their levels gets the linear function
 *
 *   l_c = mean over grid rows g with F = c of x_g      (equal weights),
 *
 * averaging the reference grid (referenceGrid.ts) over every other predictor
 * with more than one reference value. Then, with beta, V and df(l) from the
 * model's basis (basis.ts):
 *
 *   estimate = l_c' beta + offset,  SE = sqrt(l_c' V l_c),  df = df(l_c),
 *   limits   = estimate -+ t_{df, (1 + level)/2} SE        (z for df = Infinity).
 *
 * With type 'response' and a model on a transformed scale (transform.ts) the
 * estimate becomes g^-1(estimate), the SE |d g^-1 / d eta| SE and the limits
 * g^-1 of the link-scale limits (emmeans' summary with type = "response").
 * Rows come in R's expand.grid order of (specs..., by...), the first fastest.
 */
import type { FittedModel } from '../../api/fit.js';
import { qt } from '../../distributions/index.js';
import { MixedModelsError, closest } from '../../errors.js';
import { columnsOf } from '../../frame/variables.js';
import { emmBasis, type BasisOptions, type EmmBasis, type EmmDdf } from './basis.js';
import { referenceGrid, type GridVariable, type ReferenceGrid } from './referenceGrid.js';
import { scaleInfo, type ScaleInfo } from './transform.js';

/** The options of `emmeans`: the `by` factors, df method, scale (link or response) and confidence level. */
export interface EmmeansOptions extends BasisOptions {
  /** Factors to condition on: the means (and later contrasts) are grouped by their levels. */
  by?: string | readonly string[];
  /** 'link' (default: the scale the model is linear on) or 'response' (back-transformed). */
  type?: 'link' | 'response';
  /** Confidence level of the intervals, default 0.95. */
  level?: number;
}

/**
 * One estimated marginal mean: the levels it is for, the estimate, its standard error, df and confidence limits.
 */
export interface EmmRow {
  /** The row's level of each specs and by variable. */
  levels: Record<string, string | number>;
  estimate: number;
  stdError: number;
  /** Infinity for asymptotic (z) intervals. */
  df: number;
  lower: number;
  upper: number;
}

/** Marginal means: the rows, and what contrasts and printing need to go on. */
export interface Emmeans {
  specs: string[];
  by: string[];
  /** The specs variables then the by variables, with their levels. */
  variables: GridVariable[];
  rows: EmmRow[];
  /** Link-scale linear functions, row-major rows x p. */
  linfct: Float64Array;
  /** Offset added to every link-scale estimate. */
  offset: number;
  basis: EmmBasis;
  scale: ScaleInfo;
  type: 'link' | 'response';
  level: number;
  /** emmeans' name of the estimate column: `emmean`, or `prob`, `rate`, `response` on the response scale. */
  estName: string;
  /** Predictors averaged over. */
  averagedOver: string[];
  /** The df method of an LMM (null otherwise). */
  dfMethod: EmmDdf | null;
  /** Lines emmeans prints under the table. */
  annotations: string[];
  /** Notes: interactions involving the factors, df fallbacks. */
  messages: string[];
}

/**
 * `specs` as emmeans reads it: names, or a formula such as `~ recipe | temperature`
 * (a left-hand side such as `pairwise ~ recipe` names contrasts, which contrast() takes; it is ignored here).
 */
export function parseSpecs(specs: string | readonly string[], by: string | readonly string[] | undefined): { specs: string[]; by: string[] } {
  const split = (s: string) => s.split(/[\s*+:,]+/).filter(Boolean);
  const list = (x: string | readonly string[] | undefined) => (x === undefined ? [] : typeof x === 'string' ? split(x) : x.flatMap(split));
  if (typeof specs === 'string') {
    const [rhs, cond] = specs.slice(specs.lastIndexOf('~') + 1).split('|');
    return { specs: split(rhs ?? ''), by: [...new Set([...split(cond ?? ''), ...list(by)])] };
  }
  return { specs: list(specs), by: list(by) };
}

function checkLevel(level: number): number {
  if (!(level > 0 && level < 1)) throw new MixedModelsError(`the confidence level must be between 0 and 1, not ${level}`);
  return level;
}

function findVariables(grid: ReferenceGrid, names: readonly string[]): number[] {
  return names.map((name) => {
    const at = grid.variables.findIndex((v) => v.name === name);
    if (at >= 0) return at;
    const known = grid.variables.map((v) => v.name);
    const near = closest(name, known);
    throw new MixedModelsError(`'${name}' is not a predictor of the fixed effects${near === null ? '' : ` (did you mean '${near}'?)`}; the reference grid has ${known.length ? known.join(', ') : 'no predictors'}`);
  });
}

/** l_c for every combination c of the variables `use` (module comment), row-major. */
function averageGrid(grid: ReferenceGrid, use: readonly number[]): { linfct: Float64Array; combos: number[][] } {
  const dims = grid.variables.map((v) => v.levels.length);
  const sizes = use.map((u) => dims[u]);
  const m = sizes.reduce((s, k) => s * k, 1), p = grid.p;
  const linfct = new Float64Array(m * p), count = new Float64Array(m);
  for (let g = 0; g < grid.n; g++) {
    let rest = g, c = 0;
    const index = dims.map((k) => { const i = rest % k; rest = Math.floor(rest / k); return i; });
    for (let u = use.length - 1; u >= 0; u--) c = c * sizes[u] + index[use[u]];
    count[c]++;
    for (let j = 0; j < p; j++) linfct[c * p + j] += grid.X[g * p + j];
  }
  for (let c = 0; c < m; c++) for (let j = 0; j < p; j++) linfct[c * p + j] /= count[c];
  const combos = Array.from({ length: m }, (_, c) => {
    let rest = c;
    return sizes.map((k) => { const i = rest % k; rest = Math.floor(rest / k); return i; });
  });
  return { linfct, combos };
}

/** emmeans' note when some term involves every factor and more variables. */
function interactionNote(model: FittedModel, facs: readonly string[]): string | null {
  const involved = model.frame.formula.fixed.terms.some((t) => {
    const vars = new Set(t.variables.flatMap(columnsOf));
    return facs.every((f) => t.label.includes(f)) && vars.size > facs.length;
  });
  return involved ? 'NOTE: Results may be misleading due to involvement in interactions' : null;
}

/** x' A y for A p x p column-major. */
export function quadratic(p: number, x: Float64Array, A: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let j = 0; j < p; j++) {
    if (y[j] === 0) continue;
    let c = 0;
    for (let i = 0; i < p; i++) c += x[i] * A[i + j * p];
    s += c * y[j];
  }
  return s;
}

/** Estimate, SE and df of each row of `linfct` on the link scale. */
export function linearEstimates(basis: EmmBasis, linfct: Float64Array, offset: number): { estimate: number; stdError: number; df: number }[] {
  const p = basis.p, m = linfct.length / p;
  return Array.from({ length: m }, (_, c) => {
    const l = linfct.subarray(c * p, (c + 1) * p);
    let estimate = offset;
    for (let j = 0; j < p; j++) estimate += l[j] * basis.beta[j];
    const variance = quadratic(p, l, basis.V, l);
    return { estimate, stdError: Math.sqrt(Math.max(variance, 0)), df: basis.df(l) };
  });
}

/** Two-sided critical value of t (df) or z (df = Infinity). */
export function criticalValue(level: number, df: number): number {
  return qt(1 - (1 - level) / 2, df);
}

/** The lines emmeans prints under a table of means. */
function meansAnnotations(averagedOver: readonly string[], dfMethod: EmmDdf | null, scale: ScaleInfo, type: 'link' | 'response', level: number): string[] {
  const out: string[] = [];
  if (averagedOver.length > 0) out.push(`Results are averaged over the levels of: ${averagedOver.join(', ')}`);
  if (dfMethod !== null) out.push(`Degrees-of-freedom method: ${dfMethod}`);
  if (scale.means !== null && type === 'link') out.push(`Results are given on the ${scale.means.name} (not the response) scale.`);
  out.push(`Confidence level used: ${level}`);
  if (scale.means !== null && type === 'response') out.push(`Intervals are back-transformed from the ${scale.means.name} scale`);
  return out;
}

/**
 * Estimated marginal means of `model` for the factors in `specs` (module comment).
 * @example
 * ```ts
 * const means = emmeans(cake, 'recipe', { by: 'temperature' });
 * means.rows; // [{ levels, estimate, stdError, df, lower, upper }]
 * ```
 */
export function emmeans(model: FittedModel, specs: string | readonly string[], options: EmmeansOptions = {}): Emmeans {
  const parsed = parseSpecs(specs, options.by);
  const level = checkLevel(options.level ?? 0.95);
  const type = options.type ?? 'link';
  if (type !== 'link' && type !== 'response') throw new MixedModelsError(`type must be 'link' or 'response', not '${String(type)}'`);
  if (parsed.specs.length === 0) throw new MixedModelsError('specs must name at least one factor of the model');
  const grid = referenceGrid(model);
  const names = [...new Set([...parsed.specs, ...parsed.by])];
  const use = findVariables(grid, names);
  const basis = emmBasis(model, options);
  const scale = scaleInfo(model);
  const { linfct, combos } = averageGrid(grid, use);
  const back = type === 'response' ? scale.means : null;
  const rows = linearEstimates(basis, linfct, grid.offset).map((r, c): EmmRow => {
    const levels = Object.fromEntries(use.map((u, i) => [grid.variables[u].name, grid.variables[u].levels[combos[c][i]]]));
    const cv = criticalValue(level, r.df);
    const lo = r.estimate - cv * r.stdError, hi = r.estimate + cv * r.stdError;
    if (back === null) return { levels, ...r, lower: lo, upper: hi };
    const [a, b] = [back.linkinv(lo), back.linkinv(hi)];
    return { levels, estimate: back.linkinv(r.estimate), stdError: Math.abs(back.muEta(r.estimate) * r.stdError), df: r.df, lower: Math.min(a, b), upper: Math.max(a, b) };
  });
  const note = interactionNote(model, names);
  const averagedOver = grid.variables.filter((v, i) => v.levels.length > 1 && !use.includes(i)).map((v) => v.name);
  return {
    specs: parsed.specs,
    by: parsed.by.filter((b) => !parsed.specs.includes(b)),
    variables: use.map((u) => grid.variables[u]),
    rows,
    linfct,
    offset: grid.offset,
    basis,
    scale,
    type,
    level,
    estName: back === null ? 'emmean' : scale.responseLabel,
    averagedOver,
    dfMethod: basis.dfMethod,
    annotations: meansAnnotations(averagedOver, basis.dfMethod, scale, type, level),
    messages: [...(note === null ? [] : [note]), ...basis.messages],
  };
}
