/**
 * Prediction scores of several methods (the click-through study's comparison):
 * one row per method, each new data set's (or fold's) score as a point and the
 * mean as a bar mark, so both the level and the spread are visible.
 */
import { MixedModelsError } from '../errors.js';
import { INK, WIDTH, title, topLevel } from './theme.js';
import type { PlotSpec } from './types.js';

export interface MethodScoresInput {
  methods: readonly string[];
  /** scores[k]: the scores of methods[k]. */
  scores: readonly ArrayLike<number>[];
  /** The metric, e.g. `MSPE`. */
  metric: string;
  title?: string;
}

const PLOT = 'methodScoresSpec';

export function methodScoresSpec(input: MethodScoresInput): PlotSpec {
  if (input.methods.length === 0 || input.methods.length !== input.scores.length) throw new MixedModelsError(`${PLOT}: need one score list per method`);
  const points = input.methods.flatMap((m, k) => Array.from(input.scores[k], (s, i) => ({ method: m, set: i + 1, score: s }))).filter((r) => Number.isFinite(r.score));
  const means = input.methods.map((m, k) => {
    const s = Array.from(input.scores[k]).filter(Number.isFinite);
    return { method: m, mean: s.reduce((a, b) => a + b, 0) / s.length };
  });
  const y = { field: 'method', type: 'nominal', title: null, sort: [...input.methods] };
  return topLevel({
    title: title(input.title ?? `${input.metric} by method`, 'Points: each new data set or fold; bar: the mean'),
    width: WIDTH,
    height: { step: 34 },
    layer: [
      { data: { values: means }, mark: { type: 'tick', color: '#333333', thickness: 2, size: 22 }, encoding: { y, x: { field: 'mean', type: 'quantitative', title: input.metric, scale: { zero: false } } } },
      { data: { values: points }, mark: { type: 'point', filled: true, color: INK, size: 40, opacity: 0.6 }, encoding: { y, x: { field: 'score', type: 'quantitative' }, tooltip: [{ field: 'set' }, { field: 'score' }] } },
    ],
  });
}
