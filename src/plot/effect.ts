/**
 * Predicted-effect plot (sjPlot's `plot_model(type = "pred")`): the predicted
 * response over one predictor with its confidence band. A numeric predictor
 * gives a line over a shaded band (rows sorted by x); a categorical one gives
 * a point with an error bar per level, in the given order.
 */
import { INK, HEIGHT, WIDTH, percent, title, topLevel } from './theme.js';
import type { EffectInput, PlotSpec } from './types.js';
import { checkLevel, commonLength } from './validate.js';

const PLOT = 'effectSpec';

export function effectSpec(input: EffectInput): PlotSpec {
  const { x, fit, lower, upper, xName, yName } = input;
  const n = commonLength(PLOT, { x, fit, lower, upper });
  const level = input.level === undefined ? undefined : checkLevel(PLOT, input.level);
  const rows = Array.from({ length: n }, (_, i) => ({ x: x[i], fit: fit[i], lower: lower[i], upper: upper[i] }));
  const categorical = typeof x[0] === 'string';
  const xEnc = categorical
    ? { field: 'x', type: 'ordinal', title: xName, sort: rows.map((r) => r.x), axis: { labelAngle: 0 } }
    : { field: 'x', type: 'quantitative', title: xName, scale: { zero: false } };
  if (!categorical) rows.sort((a, b) => (a.x as number) - (b.x as number));
  const yEnc = { field: 'fit', type: 'quantitative', title: yName, scale: { zero: false } };
  const interval = { x: xEnc, y: { ...yEnc, field: 'lower' }, y2: { field: 'upper' } };
  const coverage = level === undefined ? '' : `${percent(level)} `;
  const subtitle = `With ${coverage}confidence ${categorical ? 'intervals' : 'band'}`;
  const layer = categorical
    ? [
        { mark: { type: 'rule', color: INK, strokeWidth: 2 }, encoding: interval },
        { mark: { type: 'point', filled: true, color: INK, size: 70, opacity: 1 }, encoding: { x: xEnc, y: yEnc } },
      ]
    : [
        { mark: { type: 'area', color: INK, opacity: 0.2 }, encoding: interval },
        { mark: { type: 'line', color: INK, strokeWidth: 2 }, encoding: { x: xEnc, y: yEnc } },
      ];
  return topLevel({
    title: title(input.title ?? `Predicted ${yName} by ${input.term}`, subtitle),
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    layer,
  });
}
