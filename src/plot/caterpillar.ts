/**
 * Caterpillar plot of conditional modes (lattice's `dotplot(ranef(m, condVar = TRUE))`):
 * one panel per random-effects term, levels sorted by their mode, with the
 * interval mode +- z * condSd, z = qnorm((1 + level) / 2), and a line at zero.
 *
 * A term with more than `maxLevels` levels keeps the most extreme: the lowest
 * half and the highest half, with a `... k more ...` row between them and the
 * count in the panel subtitle, so 5000 levels stay readable.
 */
import { qnorm } from '../distributions/normal.js';
import { MixedModelsError } from '../errors.js';
import { PANEL_WIDTH, INK, WIDTH, referenceRule, percent, title, topLevel } from './theme.js';
import type { CaterpillarInput, PlotSpec } from './types.js';
import { checkCount, checkLevel, commonLength } from './validate.js';

const PLOT = 'caterpillarSpec';
const ROW = 13;

/** A caterpillar plot; several terms (of one or more grouping factors) become panels side by side. */
export function caterpillarSpec(input: CaterpillarInput | readonly CaterpillarInput[]): PlotSpec {
  const inputs: readonly CaterpillarInput[] = Array.isArray(input) ? input : [input as CaterpillarInput];
  if (inputs.length === 0) throw new MixedModelsError(`${PLOT}: no terms to plot`);
  const width = inputs.length === 1 ? WIDTH : PANEL_WIDTH;
  const groups = [...new Set(inputs.map((d) => d.group))];
  return topLevel({
    title: title(`Conditional modes of the random effects: ${groups.join(', ')}`),
    hconcat: inputs.map((d) => panel(d, width)),
    spacing: 24,
  });
}

function panel(d: CaterpillarInput, width: number): PlotSpec {
  const columns = { levels: d.levels, values: d.values };
  const n = commonLength(PLOT, d.condSd ? { ...columns, condSd: d.condSd } : columns);
  const level = checkLevel(PLOT, d.level ?? 0.95);
  const maxLevels = checkCount(PLOT, 'maxLevels', d.maxLevels ?? 60, 2);
  const z = qnorm((1 + level) / 2);
  const { shown, low } = extremes(d.values, maxLevels);
  const hidden = n - shown.length;
  const rows = shown.map((i) => row(d, i, z));
  const domain = rows.map((r) => r.level);
  if (hidden > 0) domain.splice(low, 0, `\u2026 ${hidden} more \u2026`);
  domain.reverse();
  const subtitle = hidden > 0 ? `The ${shown.length} most extreme of ${n} levels` : `${n} levels`;
  const xTitle = d.condSd ? `Conditional mode (${percent(level)} interval)` : 'Conditional mode';
  const y = { field: 'level', type: 'ordinal', title: d.group, scale: { domain }, axis: { labelFontSize: 10 } };
  const x = { field: 'value', type: 'quantitative', title: xTitle };
  const layer: PlotSpec[] = [referenceRule('x', 0)];
  if (d.condSd) {
    const interval = { y, x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } };
    layer.push({ mark: { type: 'rule', color: INK }, encoding: interval });
  }
  layer.push({ mark: { type: 'point', filled: true, color: INK, size: 28, opacity: 1 }, encoding: { y, x } });
  return {
    title: { ...title(d.term, subtitle), fontSize: 13 },
    width,
    height: { step: ROW },
    data: { values: rows },
    layer,
  };
}

/** Indices of `values` in ascending order; beyond `max`, only the `low` lowest and `max - low` highest. */
function extremes(values: ArrayLike<number>, max: number): { shown: number[]; low: number } {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => values[i] - values[j]);
  if (n <= max) return { shown: order, low: n };
  const low = Math.floor(max / 2);
  return { shown: [...order.slice(0, low), ...order.slice(n - (max - low))], low };
}

function row(d: CaterpillarInput, i: number, z: number) {
  const value = d.values[i];
  const half = d.condSd ? z * d.condSd[i] : 0;
  return { level: d.levels[i], value, lower: value - half, upper: value + half };
}
