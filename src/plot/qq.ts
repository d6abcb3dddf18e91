/**
 * Normal QQ plots (R's `qqnorm` + `qqline`). For a sample sorted ascending,
 * x_(i), the theoretical quantiles are qnorm(p_i) with p_i = ppoints(n)
 * (R's convention), and the reference line passes through the first and
 * third quartiles: slope = (Q3 - Q1) / (qnorm(.75) - qnorm(.25)),
 * intercept = Q1 - slope * qnorm(.25), with Q from R's type-7 quantile.
 *
 * Non-finite values are dropped. Large samples are thinned where points
 * overlap (`thinMonotone`), which keeps every point in the tails.
 */
import { qnorm } from '../distributions/normal.js';
import { MixedModelsError } from '../errors.js';
import { ppoints, quantileSorted } from './ppoints.js';
import { thinMonotone } from './sample.js';
import { HEIGHT, INK, PANEL_HEIGHT, PANEL_WIDTH, REFERENCE, WIDTH, title, topLevel } from './theme.js';
import type { Line, PlotSpec, QQInput } from './types.js';
import { checkCount } from './validate.js';

const PLOT = 'qqSpec';

/** Theoretical and sample quantiles of the finite values of `values`. */
export function qqPoints(values: ArrayLike<number>): { theoretical: Float64Array; sample: Float64Array } {
  const sample = Float64Array.from(values).filter(Number.isFinite).sort();
  const theoretical = ppoints(sample.length).map(qnorm);
  return { theoretical, sample };
}

/** R's `qqline` for an ascending sample: the line through the quartiles. */
export function qqLine(sorted: ArrayLike<number>): Line {
  const [z1, z3] = [qnorm(0.25), qnorm(0.75)];
  const [q1, q3] = [quantileSorted(sorted, 0.25), quantileSorted(sorted, 0.75)];
  const slope = (q3 - q1) / (z3 - z1);
  return { intercept: q1 - slope * z1, slope };
}

/** A QQ plot; several samples become a grid of panels, two per row. */
export function qqSpec(input: QQInput | readonly QQInput[]): PlotSpec {
  if (!Array.isArray(input)) return topLevel(panel(input as QQInput, WIDTH, HEIGHT));
  const inputs = input as readonly QQInput[];
  if (inputs.length === 0) throw new MixedModelsError(`${PLOT}: no samples to plot`);
  return topLevel({
    title: title('Normal QQ plots'),
    concat: inputs.map((d) => panel(d, PANEL_WIDTH, PANEL_HEIGHT)),
    columns: 2,
    spacing: 24,
  });
}

function panel(d: QQInput, width: number, height: number): PlotSpec {
  const steps = checkCount(PLOT, 'maxSteps', d.maxSteps ?? 1000, 1);
  const { theoretical, sample } = qqPoints(d.values);
  const n = sample.length;
  if (n < 2) throw new MixedModelsError(`${PLOT}: ${d.label} has ${n} finite value(s); a QQ plot needs 2`);
  const keep = thinMonotone(theoretical, sample, steps);
  const rows = Array.from(keep, (i) => ({ theoretical: theoretical[i], sample: sample[i] }));
  const line = qqLine(sample);
  const [lo, hi] = [theoretical[0], theoretical[n - 1]];
  const ends = { x: lo, y: line.intercept + line.slope * lo, x2: hi, y2: line.intercept + line.slope * hi };
  const subtitle = keep.length < n ? `n = ${n}, thinned to ${keep.length} points` : `n = ${n}`;
  const x = { type: 'quantitative', title: 'Theoretical quantiles', scale: { zero: false } };
  const y = { type: 'quantitative', title: 'Sample quantiles', scale: { zero: false } };
  return {
    title: title(d.label, subtitle),
    width,
    height,
    layer: [
      {
        data: { values: [ends] },
        mark: { type: 'rule', color: REFERENCE, strokeDash: [4, 4] },
        encoding: {
          x: { ...x, field: 'x' },
          y: { ...y, field: 'y' },
          x2: { field: 'x2' },
          y2: { field: 'y2' },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, color: INK, size: 16, opacity: 0.6 },
        encoding: {
          x: { ...x, field: 'theoretical' },
          y: { ...y, field: 'sample' },
        },
      },
    ],
  };
}
