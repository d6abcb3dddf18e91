/**
 * Observations and fitted curves per group beside the population curve, on
 * the response scale: the picture of how groups differ from the fixed
 * effects (and of Simpson's paradox). Points of the groups drawn are
 * coloured by group, the other groups' points are light grey; each group's
 * curve is drawn over that group's own x values; the population curve is
 * thick, dashed and black; a group seen at one x only has its fitted value
 * drawn as a diamond. A numeric x gives lines over a quantitative axis;
 * a categorical x gives its categories, in the given order, with the fitted
 * values joined across them. Beyond `maxPoints` observations an evenly
 * spaced sample is drawn.
 */
import { MixedModelsError } from '../errors.js';
import { evenSample } from './sample.js';
import { HEIGHT, WIDTH, topLevel } from './theme.js';
import type { PlotSpec } from './types.js';
import { checkCount, commonLength } from './validate.js';

const PLOT = 'groupCurvesSpec';
const OTHER = '#c8c8c8';

/** A fitted curve: x (numbers, or category labels) and y on the response scale. */
export interface Curve {
  x: readonly (number | string)[];
  y: ArrayLike<number>;
}

export interface GroupCurvesInput {
  /** Observations: x (numbers or category labels), y, and the group of each. */
  x: ArrayLike<number> | readonly string[];
  y: ArrayLike<number>;
  group: readonly string[];
  /** The groups drawn in colour, each with its fitted curve; points of other groups are grey. */
  curves: readonly (Curve & { group: string })[];
  /** The population (fixed-effects) curve. */
  pooled: Curve;
  xName: string;
  yName: string;
  /** Category order of a categorical x (absent: x is numeric). */
  categories?: readonly string[];
  title?: string;
  /** Subtitle notes, one line each. */
  notes?: readonly string[];
  /** Most points drawn (default 5000). */
  maxPoints?: number;
}

function curveRows(c: Curve, group: string): { x: number | string; y: number; group: string }[] {
  if (c.x.length !== c.y.length) throw new MixedModelsError(`${PLOT}: the curve of ${group} has ${c.x.length} x values and ${c.y.length} y values`);
  return c.x.map((x, i) => ({ x, y: c.y[i], group }));
}

export function groupCurvesSpec(input: GroupCurvesInput): PlotSpec {
  const n = commonLength(PLOT, { x: input.x, y: input.y, group: input.group });
  const maxPoints = checkCount(PLOT, 'maxPoints', input.maxPoints ?? 5000, 1);
  const shown = input.curves.map((c) => c.group);
  const colored = new Set(shown);
  const index = evenSample(n, maxPoints);
  const points = Array.from(index, (i) => ({ x: input.x[i], y: input.y[i], group: input.group[i], shown: colored.has(input.group[i]) }));
  const categorical = input.categories !== undefined;
  const xEnc = categorical
    ? { field: 'x', type: 'ordinal', title: input.xName, sort: input.categories, scale: { domain: input.categories }, axis: { labelAngle: 0 } }
    : { field: 'x', type: 'quantitative', title: input.xName, scale: { zero: false } };
  const yEnc = { field: 'y', type: 'quantitative', title: input.yName, scale: { zero: false } };
  const color = { field: 'group', type: 'nominal', title: 'Group', scale: { domain: shown, scheme: shown.length <= 10 ? 'category10' : 'tableau20' } };
  const order = categorical ? { order: { field: 'rank', type: 'quantitative' } } : {};
  const rank = (x: number | string) => (categorical ? input.categories!.indexOf(String(x)) : 0);
  const lines = input.curves.flatMap((c) => curveRows(c, c.group)).map((r) => ({ ...r, rank: rank(r.x) }));
  const pooled = curveRows(input.pooled, 'population').map((r) => ({ ...r, rank: rank(r.x) }));
  const notes = [...(input.notes ?? []), n > maxPoints ? `an evenly spaced sample of ${index.length} of ${n} points` : `${n} points`];
  return topLevel({
    title: { text: input.title ?? `${input.yName} by ${input.xName}, per group and for the population`, subtitle: notes },
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: points.filter((p) => !p.shown) },
        mark: { type: 'point', filled: true, size: 18, opacity: 0.5, color: OTHER },
        encoding: { x: xEnc, y: yEnc },
      },
      {
        data: { values: points.filter((p) => p.shown) },
        mark: { type: 'point', filled: true, size: 22, opacity: 0.6 },
        encoding: { x: xEnc, y: yEnc, color },
      },
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 1.5, point: categorical },
        encoding: { x: xEnc, y: yEnc, color, detail: { field: 'group' }, ...order },
      },
      {
        data: { values: input.curves.filter((c) => c.x.length === 1).flatMap((c) => curveRows(c, c.group)) },
        mark: { type: 'point', shape: 'diamond', filled: true, size: 90, opacity: 1 },
        encoding: { x: xEnc, y: yEnc, color },
      },
      {
        data: { values: pooled },
        mark: { type: 'line', color: 'black', strokeWidth: 3, strokeDash: [8, 5] },
        encoding: { x: xEnc, y: yEnc, ...order },
      },
    ],
  });
}
