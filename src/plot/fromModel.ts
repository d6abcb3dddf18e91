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
import { qnorm } from '../distributions/index.js';
import { MixedModelsError } from '../errors.js';
import { predict } from '../inference/predict/predict.js';
import { emmeans } from '../inference/emmeans/emmeans.js';
import { formatNumber } from '../data/rnumber.js';
import type { RanefGroup } from '../lmm/types.js';
import { caterpillarSpec } from './caterpillar.js';
import { effectSpec } from './effect.js';
import { emmeansSpec } from './emmeans.js';
import { fitWidth } from './fitWidth.js';
import { forestSpec } from './forest.js';
import { groupsPlot } from './groupsFromModel.js';
import { isNumericIn, predictorsOf, randomColumns, typicalRow, values, chooseX } from './modelVariables.js';
import { qqSpec } from './qq.js';
import { residualSpec } from './residuals.js';
import type { CaterpillarInput, PlotSpec, QQInput } from './types.js';
import type { PlotKind } from './kinds.js';

/** The plots `modelPlot` draws: caterpillar, forest, residuals, qq, groups, effect and emmeans. */
export { PLOT_KINDS, type PlotKind } from './kinds.js';

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
  /** Width in pixels of a single-panel plot (default 500); panels of several share it. */
  width?: number;
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

/** Newdata varying `xName` over a grid, every other variable at its mean or reference level. */
function effectGrid(m: MixedModel, xName: string): { newdata: Record<string, unknown[]>; x: number[] | string[] } {
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
  const typical = typicalRow(m, [...predictorsOf(m), ...randomColumns(m)], new Set([xName]));
  const newdata: Record<string, unknown[]> = { [xName]: x };
  for (const [name, value] of Object.entries(typical)) newdata[name] = Array(x.length).fill(value);
  return { newdata, x };
}

function effectPlot(m: MixedModel, o: ModelPlotOptions, level: number): PlotSpec {
  const xName = chooseX(m, o.x, 'effect', true);
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
  const spec = plotSpec(m, kind, o);
  return { $schema: SCHEMA, ...(o.width === undefined ? spec : fitWidth(spec, o.width)) };
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
      return groupsPlot(requireMixed(m, kind), { x: o.x, group: o.group });
    case 'effect':
      return effectPlot(requireMixed(m, kind), o, level);
    case 'emmeans':
      return emmeansPlot(m, o, level);
  }
}

/**
 * Every plot that applies to the model, for a report: kind -> spec. Kinds that do not apply are left out;
 * `skipped`, when given, receives each with the reason.
 */
export function modelPlots(m: FittedModel, o: ModelPlotOptions = {}, skipped?: { kind: PlotKind; reason: string }[]): { kind: PlotKind; spec: PlotSpec }[] {
  const kinds: PlotKind[] = isMixed(m) ? ['caterpillar', 'forest', 'residuals', 'qq', 'groups', 'effect'] : ['forest', 'residuals', 'qq'];
  const out: { kind: PlotKind; spec: PlotSpec }[] = [];
  for (const kind of kinds) {
    try {
      out.push({ kind, spec: modelPlot(m, kind, o) });
    } catch (err) {
      if (!(err instanceof MixedModelsError)) throw err;
      skipped?.push({ kind, reason: err.message });
    }
  }
  return out;
}
