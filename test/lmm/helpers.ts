/**
 * Hand-built model frames for the LMM tests (the frame builder is tested on
 * its own): CSVs from test/fixtures/data, references from lme4 1.1-31 in
 * test/fixtures/refs.
 */
import { readFileSync } from 'node:fs';
import type { ModelFrame, ReTerm } from '../../src/frame/types.js';
import type { ModelFormula } from '../../src/formula/ast.js';

const root = new URL('../fixtures/', import.meta.url);

export type Column = (string | number)[];

function parseLine(line: string): string[] {
  const out: string[] = [];
  let cur = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Columns of test/fixtures/data/<name>.csv; quoted fields stay strings. */
export function readData(name: string): Record<string, Column> {
  const lines = readFileSync(new URL(`data/${name}.csv`, root), 'utf8').trim().split(/\r?\n/);
  const header = parseLine(lines[0]);
  const raw = lines.slice(1).map((l) => l);
  const cols: Record<string, Column> = Object.fromEntries(header.map((h) => [h, []]));
  for (const line of raw) {
    const quotedFlags = line.split(',').map((f) => f.startsWith('"'));
    parseLine(line).forEach((v, j) => cols[header[j]].push(quotedFlags[j] ? v : Number(v)));
  }
  return cols;
}

export interface Ref {
  name: string;
  REML: boolean;
  nobs: number;
  theta: number | number[];
  objective: number;
  logLik: number;
  AIC: number;
  BIC: number;
  deviance: number;
  sigma: number;
  fixef: Record<string, number>;
  fixef_se: Record<string, number>;
  varcorr: { grp: string; var1: string | null; var2: string | null; vcov: number; sdcor: number }[];
  ranef: Record<string, Record<string, Record<string, number>>>;
  fitted_head: number[];
  resid_head: number[];
  singular: boolean;
  ngrps: Record<string, number>;
}

export function readRef(name: string): Ref {
  return JSON.parse(readFileSync(new URL(`refs/${name}.json`, root), 'utf8')) as Ref;
}

export function refTheta(ref: Ref): number[] {
  return Array.isArray(ref.theta) ? ref.theta : [ref.theta];
}

/** R's factor level order: numeric when every label is a number, else code-point order. */
function sortedLevels(values: string[]): string[] {
  const u = [...new Set(values)];
  return u.every((s) => s !== '' && !Number.isNaN(Number(s))) ? u.sort((a, b) => Number(a) - Number(b)) : u.sort();
}

/** A fixed or random-effects column: the intercept, a numeric column, or a treatment dummy `{ factor, level }`. */
export type ColSpec = '(Intercept)' | string | { factor: string; level: string };

export interface ReSpec {
  /** Grouping variables; several make an interaction labelled `a:b`. */
  group: string[];
  cols: ColSpec[];
}

function colValue(data: Record<string, Column>, spec: ColSpec, row: number): number {
  if (spec === '(Intercept)') return 1;
  if (typeof spec === 'string') return Number(data[spec][row]);
  return String(data[spec.factor][row]) === spec.level ? 1 : 0;
}

function colName(spec: ColSpec): string {
  return typeof spec === 'string' ? spec : `${spec.factor}${spec.level}`;
}

/** Treatment-contrast dummies for every level of `factor` but the first. */
export function dummies(data: Record<string, Column>, factor: string): ColSpec[] {
  return sortedLevels(data[factor].map(String)).slice(1).map((level) => ({ factor, level }));
}

function reTerm(data: Record<string, Column>, spec: ReSpec, n: number): ReTerm {
  const labels = Array.from({ length: n }, (_, i) => spec.group.map((g) => String(data[g][i])).join(':'));
  const levels = sortedLevels(labels);
  const index = new Map(levels.map((l, i) => [l, i]));
  const k = spec.cols.length;
  const z = new Float64Array(n * k);
  for (let i = 0; i < n; i++) spec.cols.forEach((c, j) => (z[i * k + j] = colValue(data, c, i)));
  return {
    group: spec.group.join(':'),
    levels,
    refs: Int32Array.from(labels, (l) => index.get(l)!),
    cnames: spec.cols.map(colName),
    k,
    z,
  };
}

export function makeFrame(
  dataName: string,
  response: string,
  fixed: ColSpec[],
  random: ReSpec[],
  extra: { weights?: Float64Array; offset?: Float64Array } = {},
): ModelFrame {
  const data = readData(dataName);
  const n = data[response].length;
  const p = fixed.length;
  const X = new Float64Array(n * p);
  fixed.forEach((c, j) => {
    for (let i = 0; i < n; i++) X[i + j * n] = colValue(data, c, i);
  });
  const reTerms = random.map((r) => reTerm(data, r, n));
  const order = reTerms.map((t, i) => [t.levels.length, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map((x) => x[1]);
  return {
    formula: {} as ModelFormula,
    nobs: n,
    rows: Int32Array.from({ length: n }, (_, i) => i),
    nDropped: 0,
    responseName: response,
    y: Float64Array.from(data[response], Number),
    trials: null,
    responseLevels: null,
    weights: extra.weights ?? null,
    offset: extra.offset ?? null,
    X,
    p,
    colnames: fixed.map(colName),
    assign: Int32Array.from(fixed, (_, j) => j),
    aliased: [],
    reTerms: order.map((i) => reTerms[i]),
    messages: [],
  };
}

const I = '(Intercept)';

/** The reference models with an LMM ref file, keyed by ref name. */
export const cases: Record<string, () => ModelFrame> = {
  sleepstudy_slopes_reml: () => makeFrame('sleepstudy', 'Reaction', [I, 'Days'], [{ group: ['Subject'], cols: [I, 'Days'] }]),
  sleepstudy_slopes_ml: () => makeFrame('sleepstudy', 'Reaction', [I, 'Days'], [{ group: ['Subject'], cols: [I, 'Days'] }]),
  sleepstudy_intercept: () => makeFrame('sleepstudy', 'Reaction', [I, 'Days'], [{ group: ['Subject'], cols: [I] }]),
  sleepstudy_weighted: () =>
    makeFrame('sleepstudy_w', 'Reaction', [I, 'Days'], [{ group: ['Subject'], cols: [I, 'Days'] }], { weights: Float64Array.from(readData('sleepstudy_w').w, Number) }),
  sleepstudy_zerocorr: () =>
    makeFrame('sleepstudy', 'Reaction', [I, 'Days'], [{ group: ['Subject'], cols: [I] }, { group: ['Subject'], cols: ['Days'] }]),
  dyestuff_reml: () => makeFrame('Dyestuff', 'Yield', [I], [{ group: ['Batch'], cols: [I] }]),
  dyestuff_ml: () => makeFrame('Dyestuff', 'Yield', [I], [{ group: ['Batch'], cols: [I] }]),
  dyestuff2_singular: () => makeFrame('Dyestuff2', 'Yield', [I], [{ group: ['Batch'], cols: [I] }]),
  penicillin_crossed: () => makeFrame('Penicillin', 'diameter', [I], [{ group: ['plate'], cols: [I] }, { group: ['sample'], cols: [I] }]),
  pastes_nested: () => makeFrame('Pastes', 'strength', [I], [{ group: ['batch'], cols: [I] }, { group: ['cask', 'batch'], cols: [I] }]),
  flipped: () => makeFrame('flipped', 'score', [I, ...dummies(readData('flipped'), 'style')], [{ group: ['professor'], cols: [I] }]),
  archers3: () => makeFrame('archers3', 'distance', [I, ...dummies(readData('archers3'), 'bow')], [{ group: ['archer'], cols: [I] }]),
  archers50: () => makeFrame('archers50', 'distance', [I, ...dummies(readData('archers50'), 'bow')], [{ group: ['archer'], cols: [I] }]),
};

/** InstEval's crossed model `y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept)` (73421 rows). */
export function instEvalFrame(): ModelFrame {
  return makeFrame('InstEval', 'y', [I, { factor: 'service', level: '1' }], [
    { group: ['s'], cols: [I] },
    { group: ['d'], cols: [I] },
    { group: ['dept'], cols: [I] },
  ]);
}

/** |a - b| / max(|b|, floor). */
export function relDiff(a: number, b: number, floor = 1): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), floor);
}
