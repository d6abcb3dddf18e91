/**
 * Per-group fitted lines beside the pooled fit, the picture of Simpson's
 * paradox: observations coloured by group, each group's line drawn over the
 * range of that group's x, and the pooled line thick, dashed and black over
 * the whole range. Beyond 20 groups the legend is left out (colours repeat);
 * beyond `maxPoints` observations an evenly spaced sample is drawn, while the
 * line ranges still use every observation.
 */
import { signif } from '../report/format.js';
import { MixedModelsError } from '../errors.js';
import { evenSample } from './sample.js';
import { HEIGHT, WIDTH, title, topLevel } from './theme.js';
import type { GroupLinesInput, Line, PlotSpec } from './types.js';
import { checkCount, commonLength } from './validate.js';

const PLOT = 'groupLinesSpec';
const MAX_LEGEND = 20;

export function groupLinesSpec(input: GroupLinesInput): PlotSpec {
  const { x, y, xName, yName } = input;
  const labels = groupLabels(input);
  const n = commonLength(PLOT, { x, y, group: labels });
  const maxPoints = checkCount(PLOT, 'maxPoints', input.maxPoints ?? 5000, 1);
  const ranges = groupRanges(x, labels);
  const all = [...ranges.values()].reduce((a, b) => [Math.min(a[0], b[0]), Math.max(a[1], b[1])], [Infinity, -Infinity]);
  if (!(all[0] <= all[1])) throw new MixedModelsError(`${PLOT}: x has no finite values`);
  const levels = [...new Set([...input.groups.map((g) => g.level), ...ranges.keys()])];
  const lines = input.groups.filter((g) => ranges.has(g.level)).map((g) => segment(g, ranges.get(g.level)!, g.level));
  const index = evenSample(n, maxPoints);
  const points = Array.from(index, (i) => ({ x: x[i], y: y[i], group: labels[i] }));
  const legend = levels.length <= MAX_LEGEND ? {} : { legend: null };
  const scale = { domain: levels, scheme: levels.length <= 10 ? 'category10' : 'tableau20' };
  const color = { field: 'group', type: 'nominal', title: 'Group', scale, ...legend };
  const xEnc = { field: 'x', type: 'quantitative', title: xName, scale: { zero: false } };
  const yEnc = { field: 'y', type: 'quantitative', title: yName, scale: { zero: false } };
  const notes = [
    `Dashed black: pooled fit (slope ${signif(input.pooled.slope, 3)}); coloured: ${lines.length} per-group fits`,
    n > maxPoints ? `an evenly spaced sample of ${index.length} of ${n} points` : `${n} points`,
    levels.length > MAX_LEGEND ? `${levels.length} groups, legend omitted` : '',
  ];
  return topLevel({
    title: title(input.title ?? `${yName} by ${xName}, within groups and pooled`, notes.filter(Boolean).join('; ')),
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 22, opacity: 0.55 },
        encoding: { x: xEnc, y: yEnc, color },
      },
      {
        data: { values: lines },
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: { x: xEnc, y: yEnc, x2: { field: 'x2' }, y2: { field: 'y2' }, color },
      },
      {
        data: { values: [segment(input.pooled, all, 'pooled')] },
        mark: { type: 'rule', color: 'black', strokeWidth: 3, strokeDash: [8, 5] },
        encoding: { x: xEnc, y: yEnc, x2: { field: 'x2' }, y2: { field: 'y2' } },
      },
    ],
  });
}

/** One label per observation, from labels or from codes into levels. */
function groupLabels(input: GroupLinesInput): readonly string[] {
  const g = input.group;
  if (Array.isArray(g)) return g as readonly string[];
  const { codes, levels } = g as { codes: ArrayLike<number>; levels: readonly string[] };
  return Array.from(codes, (c) => {
    const label = levels[c];
    if (label === undefined) throw new MixedModelsError(`${PLOT}: group code ${c} is not an index into ${levels.length} levels`);
    return label;
  });
}

/** [min, max] of the finite x per group, in order of first appearance. */
function groupRanges(x: ArrayLike<number>, labels: readonly string[]): Map<string, [number, number]> {
  const ranges = new Map<string, [number, number]>();
  for (let i = 0; i < labels.length; i++) {
    if (!Number.isFinite(x[i])) continue;
    const r = ranges.get(labels[i]);
    if (r) {
      r[0] = Math.min(r[0], x[i]);
      r[1] = Math.max(r[1], x[i]);
    } else ranges.set(labels[i], [x[i], x[i]]);
  }
  return ranges;
}

function segment(line: Line, [lo, hi]: [number, number], group: string) {
  return { group, x: lo, y: line.intercept + line.slope * lo, x2: hi, y2: line.intercept + line.slope * hi };
}
