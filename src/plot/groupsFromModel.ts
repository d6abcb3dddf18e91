/**
 * The `groups` plot of a mixed model (groupCurves.ts): the observations of
 * one grouping factor's levels with each level's fitted curve, and the
 * population curve, all on the response scale:
 *
 *   level curve       mu = g^-1(x_new' beta + z_new' b_level)   (predict, with that level's b)
 *   population curve  mu = g^-1(x_new' beta)                    (predict, population: true)
 *
 * over a grid of the x predictor, every other predictor at its mean or first
 * value (modelVariables.ts) and other grouping factors at a new level (b = 0).
 * So the dashed curve is the model's own fixed effect, whose slope on the link
 * scale is the coefficient of x. The y axis is the response scale: for a
 * binomial GLMM the observed proportion s / (s + f) of cbind(s, f) (or of a
 * two-level response), with the fitted probabilities.
 *
 * A categorical predictor, or a numeric one holding only 0 and 1, is drawn
 * as categories. At most MAX_GROUPS levels are drawn in colour: beyond that,
 * the levels with the lowest and the highest conditional modes of the
 * factor's first column (usually the intercept), said in the subtitle; the
 * other levels' points stay, in grey.
 */
import type { MixedModel } from '../api/fit.js';
import { formatNumber } from '../data/rnumber.js';
import { MixedModelsError } from '../errors.js';
import { predict } from '../inference/predict/predict.js';
import type { RanefGroup } from '../lmm/types.js';
import { signif } from '../report/format.js';
import { groupCurvesSpec, type Curve } from './groupCurves.js';
import { chooseX, isNumericIn, predictorsOf, randomColumns, typicalRow, values } from './modelVariables.js';
import type { PlotSpec } from './types.js';
import { maxOf, minOf } from '../data/extent.js';

export const MAX_GROUPS = 12;
const GRID = 25;
const NEW_LEVEL = '(population)';

export interface GroupsPlotOptions {
  x?: string;
  group?: string;
}

/** How x is drawn: numbers, or categories (labels per row, the data values behind them). */
type XAxis =
  | { kind: 'numeric'; rows: Float64Array }
  | { kind: 'categorical'; labels: string[]; categories: string[]; valueOf: Map<string, unknown> };

function xAxis(m: MixedModel, xName: string): XAxis {
  const col = m.data.columns.get(xName)!;
  const rows = m.frame.rows;
  const numeric = values(col, rows);
  if (col.kind === 'numeric' && isNumericIn(m, xName) && !numeric.every((v) => v === 0 || v === 1)) return { kind: 'numeric', rows: numeric };
  const valueOf = new Map<string, unknown>();
  const labels = Array.from(rows, (r) => {
    const v = col.values[r];
    const label = typeof v === 'number' ? formatNumber(v) : String(v);
    valueOf.set(label, v);
    return label;
  });
  const given = col.kind === 'categorical' ? col.levels : undefined;
  const categories = given ? given.filter((l) => valueOf.has(l)) : [...valueOf.keys()].sort((a, b) => (col.kind === 'numeric' ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  return { kind: 'categorical', labels, categories, valueOf };
}

/** The y axis's title (short enough to fit beside the plot) and, for cbind(s, f), a note on how it is computed. */
export function responseTitle(m: MixedModel): { title: string; note: string } {
  const name = m.frame.responseName;
  if (m.kind !== 'glmm' || m.fit.family !== 'binomial') return { title: name, note: '' };
  if (m.frame.responseLevels) return { title: `Proportion ${name} = ${m.frame.responseLevels[1]}`, note: '' };
  const args = cbindArgs(name);
  if (args === null) return { title: `Proportion ${name}`, note: '' };
  return { title: `Proportion of ${args[0]}`, note: `y: ${args[0]} / (${args[0]} + ${args[1]}) per row, and the fitted probabilities` };
}

/** The two arguments of `cbind(a, b)` (split at the top-level comma), or null. */
function cbindArgs(text: string): [string, string] | null {
  const inner = /^cbind\((.*)\)$/.exec(text)?.[1];
  if (inner === undefined) return null;
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (c === ',' && depth === 0) return [inner.slice(0, i).trim(), inner.slice(i + 1).trim()];
  }
  return null;
}

/** The levels drawn in colour: all, or the MAX_GROUPS / 2 lowest and highest by the first column's conditional mode. */
function shownLevels(g: RanefGroup): { levels: string[]; note: string } {
  const all = g.levels.map((level, l) => ({ level, b: g.values[l * g.k] }));
  if (all.length <= MAX_GROUPS) return { levels: g.levels.slice(), note: '' };
  const sorted = all.slice().sort((a, b) => a.b - b.b);
  const half = MAX_GROUPS / 2;
  const picked = [...sorted.slice(0, half), ...sorted.slice(-half)].map((s) => s.level);
  return { levels: picked, note: `${half} lowest and ${half} highest of ${all.length} levels by their ${g.cnames[0]} conditional mode in colour, the others grey` };
}

/** Grid of x for one level: its own range (numeric) or the categories it has, in order. */
function gridFor(axis: XAxis, mine: number[]): (number | string)[] {
  if (axis.kind === 'categorical') {
    const have = new Set(mine.map((i) => axis.labels[i]));
    return axis.categories.filter((c) => have.has(c));
  }
  const xs = mine.map((i) => axis.rows[i]).filter(Number.isFinite);
  const lo = minOf(xs), hi = maxOf(xs);
  return lo === hi ? [lo] : Array.from({ length: GRID }, (_, i) => lo + ((hi - lo) * i) / (GRID - 1));
}

export function groupsPlot(m: MixedModel, o: GroupsPlotOptions): PlotSpec {
  const xName = chooseX(m, o.x, 'groups', true);
  const g = o.group === undefined ? m.fit.ranef[0] : m.fit.ranef.find((r) => r.group === o.group);
  if (!g) throw new MixedModelsError(`'${o.group}' is not a grouping factor of the model; groups: ${m.fit.ranef.map((r) => r.group).join(', ')}`);
  // A column whose name needs quoting is written `my subject` in the formula, and so named in the fit.
  const column = m.data.columns.has(g.group) ? g.group : /^`([^`]*)`$/.exec(g.group)?.[1];
  if (column === undefined || !m.data.columns.has(column)) throw new MixedModelsError(`a groups plot needs the grouping factor as a data column, and '${g.group}' is an expression`);
  const term = m.frame.reTerms.find((t) => t.group === g.group)!;
  const labels = Array.from(term.refs, (c) => term.levels[c]);
  const axis = xAxis(m, xName);
  const { levels, note } = shownLevels(g);
  const rowsOf = new Map<string, number[]>(levels.map((l) => [l, []]));
  labels.forEach((l, i) => rowsOf.get(l)?.push(i));
  const others = randomColumns(m).filter((c) => c !== column && c !== xName && !predictorsOf(m).includes(c));
  const typical = typicalRow(m, predictorsOf(m), new Set([xName]));
  const dataValue = (x: number | string) => (axis.kind === 'categorical' ? axis.valueOf.get(x as string) : x);
  const predictAt = (xs: readonly (number | string)[], level: string | null): Float64Array => {
    const newdata: Record<string, unknown[]> = { [xName]: xs.map(dataValue) };
    for (const [name, v] of Object.entries(typical)) newdata[name] = xs.map(() => v);
    for (const name of others) newdata[name] = xs.map(() => NEW_LEVEL);
    if (level !== null) newdata[column] = xs.map(() => level);
    return predict(m, newdata, { type: 'response', population: level === null, allowNewLevels: true }).fit;
  };
  const curves = levels.map((level) => {
    const x = gridFor(axis, rowsOf.get(level)!);
    return { group: level, x, y: predictAt(x, level) };
  });
  const all = gridFor(axis, labels.map((_, i) => i));
  const pooled: Curve = { x: all, y: predictAt(all, null) };
  const coefficient = m.fit.coefnames.indexOf(xName);
  const link = m.kind === 'glmm' ? m.fit.link : 'identity';
  const y = responseTitle(m);
  const notes = [
    y.note,
    `dashed black: fixed effects${coefficient < 0 ? '' : ` (coefficient of ${xName} ${signif(m.fit.beta[coefficient], 3)}${link === 'identity' ? '' : ` on the ${link} scale`})`}`,
    Object.keys(typical).length > 0 ? `other predictors at their mean or first value` : '',
    note,
  ];
  return groupCurvesSpec({
    x: axis.kind === 'numeric' ? axis.rows : axis.labels,
    y: m.frame.y,
    group: labels,
    curves,
    pooled,
    xName,
    yName: y.title,
    categories: axis.kind === 'categorical' ? axis.categories : undefined,
    title: `${m.frame.responseName} by ${xName} within ${g.group}, with the fitted ${link === 'identity' ? 'lines' : 'curves'}`,
    notes: notes.filter(Boolean),
  });
}
