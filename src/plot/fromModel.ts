/**
 * Fitted models -> plot inputs -> Vega-Lite specifications. The one place
 * that knows both the models' fields and the plots' inputs.
 *
 * Kinds: `caterpillar` (conditional modes with condVar intervals, per term),
 * `forest` (fixed effects with Wald intervals), `residuals` (against fitted),
 * `qq` (residuals and each random-effects term), `groups` (observations and
 * per-group fitted lines beside the pooled least-squares line: Simpson's
 * paradox), `effect` (population predictions over one predictor, others at
 * their mean or reference level, with a confidence band), `emmeans` (the
 * estimated marginal means of `specs`, within `by`, with confidence intervals).
 */
import type { FittedModel, MixedModel } from '../api/fit.js';
import type { Column } from '../data/types.js';
import { qnorm } from '../distributions/index.js';
import { MixedModelsError, closest } from '../errors.js';
import { columnsOf } from '../frame/variables.js';
import { predict } from '../inference/predict/predict.js';
import { emmeans } from '../inference/emmeans/emmeans.js';
import { formatNumber } from '../data/rnumber.js';
import type { RanefGroup } from '../lmm/types.js';
import { caterpillarSpec } from './caterpillar.js';
import { effectSpec } from './effect.js';
import { emmeansSpec } from './emmeans.js';
import { forestSpec } from './forest.js';
import { groupLinesSpec } from './groupLines.js';
import { qqSpec } from './qq.js';
import { residualSpec } from './residuals.js';
import type { CaterpillarInput, Line, PlotSpec, QQInput } from './types.js';

/** The plots `modelPlot` draws: caterpillar, forest, residuals, qq, groups, effect and emmeans. */
export const PLOT_KINDS = ['caterpillar', 'forest', 'residuals', 'qq', 'groups', 'effect', 'emmeans'] as const;
/** One of PLOT_KINDS. */
export type PlotKind = (typeof PLOT_KINDS)[number];

/** The options of `modelPlot`: which effect or group to draw, emmeans' specs, sizes. */
export interface ModelPlotOptions {
  /** Interval coverage (default 0.95). */
  level?: number;
  /** `groups` and `effect`: the predictor on the x axis (default: the first numeric one). */
  x?: string;
  /** `groups`: the grouping factor (default: the first). */
  group?: string;
  /** `emmeans`: the factors whose marginal means are plotted, and those they are grouped by. */
  specs?: string;
  by?: string;
  /** `emmeans`: 'link' (default) or 'response'. */
  type?: 'link' | 'response';
}

function isMixed(m: FittedModel): m is MixedModel {
  return m.kind === 'lmm' || m.kind === 'glmm';
}

function coefficientsOf(m: FittedModel): { term: string; estimate: number; stdError: number }[] {
  if (m.kind === 'lmm') return m.fit.coefnames.map((term, j) => ({ term, estimate: m.fit.beta[j], stdError: m.fit.se[j] }));
  return [...m.fit.coefficients];
}

function ranefInputs(ranef: readonly RanefGroup[], level: number): CaterpillarInput[] {
  return ranef.flatMap((g) =>
    g.cnames.map((term, c) => ({
      group: g.group,
      term,
      levels: g.levels,
      values: Float64Array.from(g.levels, (_, l) => g.values[l * g.k + c]),
      condSd: Float64Array.from(g.levels, (_, l) => Math.sqrt(g.condVar[l * g.k * g.k + c * (g.k + 1)])),
      level,
    })),
  );
}

function requireMixed(m: FittedModel, kind: PlotKind): MixedModel {
  if (!isMixed(m)) throw new MixedModelsError(`a ${kind} plot needs a mixed model: add a random-effects term such as (1 | group)`);
  return m;
}

/** True when the model reads column `name` as numbers: numeric in the data, not in `factors`, not wrapped in `factor()`. */
function isNumericIn(m: FittedModel, name: string): boolean {
  if (m.data.columns.get(name)?.kind !== 'numeric' || (m.options.factors ?? []).includes(name)) return false;
  const variables = m.frame.formula.fixed.terms.flatMap((t) => t.variables);
  return !variables.some((v) => v.kind === 'call' && v.fn === 'factor' && columnsOf(v).includes(name));
}

/** The numeric data columns the fixed part uses, in formula order. */
function numericPredictors(m: FittedModel): string[] {
  const names = m.frame.formula.fixed.terms.flatMap((t) => t.variables.flatMap(columnsOf));
  return [...new Set(names)].filter((n) => isNumericIn(m, n));
}

function predictorsOf(m: FittedModel): string[] {
  return [...new Set(m.frame.formula.fixed.terms.flatMap((t) => t.variables.flatMap(columnsOf)))];
}

function chooseX(m: FittedModel, x: string | undefined, kind: PlotKind): string {
  const all = predictorsOf(m);
  if (x !== undefined) {
    if (!all.includes(x)) {
      const near = closest(x, all);
      throw new MixedModelsError(`'${x}' is not a predictor of the model${near ? ` (did you mean '${near}'?)` : ''}; predictors: ${all.join(', ') || 'none'}`);
    }
    return x;
  }
  const numeric = numericPredictors(m);
  if (numeric.length > 0) return numeric[0];
  if (kind === 'effect' && all.length > 0) return all[0];
  throw new MixedModelsError(`a ${kind} plot needs a numeric predictor in the fixed effects; this model has ${all.length ? all.join(', ') : 'none'}`);
}

function values(col: Column | undefined, rows: Int32Array): Float64Array {
  if (!col || col.kind !== 'numeric') return new Float64Array(0);
  return Float64Array.from(rows, (r) => col.values[r]);
}

function leastSquaresLine(x: ArrayLike<number>, y: ArrayLike<number>): Line {
  let mx = 0, my = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { intercept: my - slope * mx, slope };
}

function groupsPlot(m: MixedModel, o: ModelPlotOptions): PlotSpec {
  const xName = chooseX(m, o.x, 'groups');
  if (m.data.columns.get(xName)?.kind !== 'numeric') throw new MixedModelsError(`a groups plot needs a numeric x; '${xName}' is categorical`);
  const g = o.group === undefined ? m.fit.ranef[0] : m.fit.ranef.find((r) => r.group === o.group);
  if (!g) throw new MixedModelsError(`'${o.group}' is not a grouping factor of the model; groups: ${m.fit.ranef.map((r) => r.group).join(', ')}`);
  const term = m.frame.reTerms.find((t) => t.group === g.group)!;
  const x = values(m.data.columns.get(xName), m.frame.rows);
  const y = m.frame.y;
  const beta = (name: string) => { const j = m.fit.coefnames.indexOf(name); return j < 0 ? 0 : m.fit.beta[j]; };
  const b = (l: number, name: string) => { const c = g.cnames.indexOf(name); return c < 0 ? 0 : g.values[l * g.k + c]; };
  const groups = g.levels.map((level, l) => ({ level, intercept: beta('(Intercept)') + b(l, '(Intercept)'), slope: beta(xName) + b(l, xName) }));
  return groupLinesSpec({
    x, y, xName, yName: m.frame.responseName,
    group: { codes: term.refs, levels: term.levels },
    pooled: leastSquaresLine(x, y),
    groups,
    title: `${m.frame.responseName} by ${g.group}: per-group fitted lines and the pooled line`,
  });
}

/** Newdata varying `xName` over a grid, every other variable at its mean or reference level. */
function effectGrid(m: MixedModel, xName: string): { newdata: Record<string, unknown[]>; x: number[] | string[] } {
  const used = new Set([...predictorsOf(m), ...m.frame.formula.random.flatMap((r) => [...r.group.flatMap(columnsOf), ...r.lhs.terms.flatMap((t) => t.variables.flatMap(columnsOf))])]);
  const col = m.data.columns.get(xName)!;
  const rows = m.frame.rows;
  let x: number[] | string[];
  if (col.kind === 'numeric' && isNumericIn(m, xName)) {
    const v = values(col, rows);
    const lo = v.reduce((a, b) => Math.min(a, b), Infinity), hi = v.reduce((a, b) => Math.max(a, b), -Infinity);
    x = Array.from({ length: 50 }, (_, i) => lo + ((hi - lo) * i) / 49);
  } else {
    x = [...new Set(Array.from(rows, (r) => String(col.kind === 'numeric' ? col.values[r] : col.values[r])))].sort();
  }
  const n = x.length;
  const newdata: Record<string, unknown[]> = { [xName]: x };
  for (const name of used) {
    if (name === xName) continue;
    const c = m.data.columns.get(name);
    if (!c) continue;
    if (c.kind === 'numeric' && isNumericIn(m, name)) {
      const v = values(c, rows);
      newdata[name] = Array(n).fill(v.reduce((a, b) => a + b, 0) / v.length);
    } else {
      const first = c.kind === 'numeric' ? String(c.values[rows[0]]) : c.values[rows[0]];
      newdata[name] = Array(n).fill(first);
    }
  }
  return { newdata, x };
}

function effectPlot(m: MixedModel, o: ModelPlotOptions, level: number): PlotSpec {
  const xName = chooseX(m, o.x, 'effect');
  const { newdata, x } = effectGrid(m, xName);
  const p = predict(m, newdata, { population: true, interval: 'confidence', level, allowNewLevels: true, type: 'response' });
  return effectSpec({ term: xName, x, fit: p.fit, lower: p.lower!, upper: p.upper!, xName, yName: m.frame.responseName, level });
}

function emmeansPlot(m: FittedModel, o: ModelPlotOptions, level: number): PlotSpec {
  if (o.specs === undefined) throw new MixedModelsError('an emmeans plot needs the factors whose means to plot (--specs)');
  const e = emmeans(m, o.specs, { by: o.by, type: o.type, level });
  const text = (v: string | number) => (typeof v === 'number' ? formatNumber(v) : v);
  return emmeansSpec({
    labels: e.rows.map((r) => e.specs.map((s) => text(r.levels[s])).join(' ')),
    groups: e.by.length === 0 ? undefined : e.rows.map((r) => e.by.map((b) => `${b} = ${text(r.levels[b])}`).join(', ')),
    estimate: e.rows.map((r) => r.estimate),
    lower: e.rows.map((r) => r.lower),
    upper: e.rows.map((r) => r.upper),
    level,
    specName: e.specs.join(' '),
    estimateName: e.estName,
  });
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * One plot of a fitted model, as a Vega-Lite specification (with its `$schema`, for notebooks and editors).
 * @example
 * ```ts
 * const spec = modelPlot(m, 'caterpillar'); // a Vega-Lite specification (render with vega-embed, or the CLI's plot --out x.svg)
 * ```
 */
export function modelPlot(m: FittedModel, kind: PlotKind, o: ModelPlotOptions = {}): PlotSpec {
  return { $schema: SCHEMA, ...plotSpec(m, kind, o) };
}

function plotSpec(m: FittedModel, kind: PlotKind, o: ModelPlotOptions): PlotSpec {
  const level = o.level ?? 0.95;
  switch (kind) {
    case 'caterpillar':
      return caterpillarSpec(ranefInputs(requireMixed(m, kind).fit.ranef, level));
    case 'forest': {
      const cs = coefficientsOf(m);
      const z = qnorm(1 - (1 - level) / 2);
      return forestSpec({
        terms: cs.map((c) => c.term),
        estimate: cs.map((c) => c.estimate),
        lower: cs.map((c) => c.estimate - z * c.stdError),
        upper: cs.map((c) => c.estimate + z * c.stdError),
        level,
        intercept: cs.length === 1,
        title: 'Fixed effects (Wald intervals)',
      });
    }
    case 'residuals':
      return residualSpec({ fitted: m.fit.fitted, residuals: m.fit.residuals, residualName: m.kind === 'glm' || m.kind === 'glmm' ? 'Deviance residuals' : 'Residuals' });
    case 'qq': {
      const panels: QQInput[] = [{ values: m.fit.residuals, label: 'Residuals' }];
      if (isMixed(m)) for (const c of ranefInputs(m.fit.ranef, level)) panels.push({ values: c.values, label: `${c.group}: ${c.term}` });
      return qqSpec(panels);
    }
    case 'groups':
      return groupsPlot(requireMixed(m, kind), o);
    case 'effect':
      return effectPlot(requireMixed(m, kind), o, level);
    case 'emmeans':
      return emmeansPlot(m, o, level);
  }
}

/** Every plot that applies to the model, for a report: kind -> spec (kinds that do not apply are left out). */
export function modelPlots(m: FittedModel, o: ModelPlotOptions = {}): { kind: PlotKind; spec: PlotSpec }[] {
  const kinds: PlotKind[] = isMixed(m) ? ['caterpillar', 'forest', 'residuals', 'qq', 'groups', 'effect'] : ['forest', 'residuals', 'qq'];
  const out: { kind: PlotKind; spec: PlotSpec }[] = [];
  for (const kind of kinds) {
    try {
      out.push({ kind, spec: modelPlot(m, kind, o) });
    } catch (err) {
      if (!(err instanceof MixedModelsError)) throw err;
    }
  }
  return out;
}
