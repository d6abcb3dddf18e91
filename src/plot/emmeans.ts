/**
 * Estimated marginal means with their confidence intervals (emmeans'
 * plot(emmeans(...))): one row per mean, the estimate as a dot and the
 * interval as a line, means in the given order; with `groups` (the levels of
 * emmeans' `by` factors) one panel per group, stacked.
 */
import { INK, WIDTH, percent, title, topLevel } from './theme.js';
import type { EmmeansPlotInput, PlotSpec } from './types.js';
import { checkLevel, commonLength } from './validate.js';

const PLOT = 'emmeansSpec';

export function emmeansSpec(input: EmmeansPlotInput): PlotSpec {
  const { labels, estimate, lower, upper } = input;
  const n = commonLength(PLOT, { labels, estimate, lower, upper, ...(input.groups ? { groups: input.groups } : {}) });
  const level = checkLevel(PLOT, input.level);
  const rows = Array.from({ length: n }, (_, i) => ({
    label: labels[i],
    estimate: estimate[i],
    lower: lower[i],
    upper: upper[i],
    ...(input.groups ? { group: input.groups[i] } : {}),
  }));
  const y = { field: 'label', type: 'nominal', title: input.specName, sort: [...new Set(labels)] };
  const x = { field: 'estimate', type: 'quantitative', title: `${input.estimateName} (${percent(level)} CI)`, scale: { zero: false } };
  const layer = [
    { mark: { type: 'rule', color: INK, strokeWidth: 2 }, encoding: { y, x: { ...x, field: 'lower' }, x2: { field: 'upper' } } },
    { mark: { type: 'point', filled: true, color: INK, size: 70, opacity: 1 }, encoding: { y, x } },
  ];
  const head = { title: title(input.title ?? `Estimated marginal means of ${input.specName}`, `With ${percent(level)} confidence intervals`), data: { values: rows } };
  if (!input.groups) return topLevel({ ...head, width: WIDTH, height: { step: 26 }, layer });
  return topLevel({
    ...head,
    facet: {
      row: {
        field: 'group', type: 'nominal', title: null, sort: [...new Set(input.groups)],
        header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelAlign: 'left' },
      },
    },
    spec: { width: WIDTH, height: { step: 26 }, layer },
  });
}
