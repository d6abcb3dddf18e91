/**
 * Residuals against fitted values, with a dashed line at zero (R's
 * `plot(fit)` for merMod). Up to `maxPoints` points are drawn one by one;
 * beyond that the plot becomes a 2-D histogram of counts (log colour scale)
 * or an evenly spaced sample, and the subtitle says which.
 */
import { bin2d } from './bin2d.js';
import { evenSample } from './sample.js';
import { INK, HEIGHT, WIDTH, referenceRule, title, topLevel } from './theme.js';
import type { PlotSpec, ResidualInput } from './types.js';
import { checkCount, commonLength } from './validate.js';

const PLOT = 'residualSpec';
const GRID_X = 60;
const GRID_Y = 40;

export function residualSpec(input: ResidualInput): PlotSpec {
  const { fitted, residuals } = input;
  const n = commonLength(PLOT, { fitted, residuals });
  const maxPoints = checkCount(PLOT, 'maxPoints', input.maxPoints ?? 5000, 1);
  const yName = input.residualName ?? 'Residuals';
  const heading = input.title ?? `${yName} vs fitted values`;
  const x = { field: 'fitted', type: 'quantitative', title: 'Fitted values', scale: { zero: false } };
  const y = { field: 'residual', type: 'quantitative', title: yName };
  const frame = { width: WIDTH, height: HEIGHT };
  if (n > maxPoints && (input.large ?? 'bin') === 'bin') {
    return topLevel({
      ...frame,
      title: title(heading, `${n} points, counted in a ${GRID_X} \u00d7 ${GRID_Y} grid`),
      data: { values: bin2d(fitted, residuals, GRID_X, GRID_Y) },
      layer: [
        {
          mark: { type: 'rect' },
          encoding: {
            x: { ...x, field: 'x0' },
            x2: { field: 'x1' },
            y: { ...y, field: 'y0' },
            y2: { field: 'y1' },
            color: { field: 'count', type: 'quantitative', title: 'Points', scale: { type: 'log', scheme: 'blues' } },
          },
        },
        referenceRule('y', 0),
      ],
    });
  }
  const index = evenSample(n, maxPoints);
  const rows = Array.from(index, (i) => ({ fitted: fitted[i], residual: residuals[i] }));
  const subtitle = n > maxPoints ? `An evenly spaced sample of ${index.length} of ${n} points` : `${n} points`;
  return topLevel({
    ...frame,
    title: title(heading, subtitle),
    data: { values: rows },
    layer: [
      { mark: { type: 'point', filled: true, color: INK, size: 14, opacity: 0.5 }, encoding: { x, y } },
      referenceRule('y', 0),
    ],
  });
}
