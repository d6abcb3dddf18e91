/**
 * Forest plot of fixed effects (sjPlot's `plot_model`): one row per term, top
 * to bottom in the given order, the estimate as a dot, its confidence
 * interval as a line, and a dashed line at zero. The `(Intercept)` row is
 * left out unless `intercept: true`, since its scale usually dwarfs the rest;
 * the subtitle then says so and gives its estimate and interval.
 */
import { MixedModelsError } from '../errors.js';
import { signif } from '../report/format.js';
import { INK, WIDTH, percent, referenceRule, title, topLevel } from './theme.js';
import type { ForestInput, PlotSpec } from './types.js';
import { checkLevel, commonLength } from './validate.js';

const PLOT = 'forestSpec';

export function forestSpec(input: ForestInput): PlotSpec {
  const { terms, estimate, lower, upper } = input;
  const n = commonLength(PLOT, { terms, estimate, lower, upper });
  const level = checkLevel(PLOT, input.level);
  const keep = Array.from({ length: n }, (_, i) => i).filter((i) => input.intercept || terms[i] !== '(Intercept)');
  if (keep.length === 0) throw new MixedModelsError(`${PLOT}: only the intercept to plot; pass intercept: true to show it`);
  const rows = keep.map((i) => ({ term: terms[i], estimate: estimate[i], lower: lower[i], upper: upper[i] }));
  const dropped = input.intercept ? -1 : Array.from(terms).indexOf('(Intercept)');
  const note = dropped < 0 ? '' : `; (Intercept) not shown: ${signif(estimate[dropped], 4)} (${signif(lower[dropped], 4)} to ${signif(upper[dropped], 4)})`;
  const y = { field: 'term', type: 'nominal', title: null, sort: rows.map((r) => r.term) };
  return topLevel({
    title: title(input.title ?? 'Fixed effects', `Estimates with ${percent(level)} confidence intervals${note}`),
    width: WIDTH,
    height: { step: 26 },
    data: { values: rows },
    layer: [
      referenceRule('x', 0),
      {
        mark: { type: 'rule', color: INK, strokeWidth: 2 },
        encoding: { y, x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } },
      },
      {
        mark: { type: 'point', filled: true, color: INK, size: 70, opacity: 1 },
        encoding: { y, x: { field: 'estimate', type: 'quantitative', title: `Estimate (${percent(level)} CI)` } },
      },
    ],
  });
}
