/**
 * Test helpers: read fixture CSVs and reference JSON, and build model frames
 * by hand (intercept, treatment-contrast dummies, numeric columns) until the
 * formula/frame code can build them.
 */
import { readFileSync } from 'node:fs';
import type { ModelFrame } from '../../src/frame/types.js';
import type { ModelFormula } from '../../src/formula/ast.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);

/** Columns of test/fixtures/data/<name>.csv as strings (quotes removed; no embedded commas). */
export function readCsv(name: string): Record<string, string[]> {
  const lines = readFileSync(new URL(`data/${name}.csv`, FIXTURES), 'utf8').trim().split(/\r?\n/);
  const unquote = (s: string) => s.replace(/^"(.*)"$/, '$1');
  const header = lines[0].split(',').map(unquote);
  const cols: Record<string, string[]> = Object.fromEntries(header.map((h) => [h, [] as string[]]));
  for (const line of lines.slice(1)) {
    line.split(',').forEach((v, j) => cols[header[j]].push(unquote(v)));
  }
  return cols;
}

/** A reference JSON from test/fixtures/refs. */
export function readRef(name: string): any {
  return JSON.parse(readFileSync(new URL(`refs/${name}.json`, FIXTURES), 'utf8'));
}

export const num = (v: string[]): number[] => v.map(Number);

/**
 * Treatment-contrast dummies of a categorical column, R's names `<prefix><level>`;
 * levels sorted as R sorts strings (or numerically when all numeric) unless given.
 */
export function dummies(values: string[], prefix: string, levels?: string[]): Record<string, number[]> {
  const lv = levels ?? sortLevels(values);
  const out: Record<string, number[]> = {};
  for (const l of lv.slice(1)) out[prefix + l] = values.map((v) => (v === l ? 1 : 0));
  return out;
}

function sortLevels(values: string[]): string[] {
  const u = [...new Set(values)];
  return u.every((v) => v !== '' && !Number.isNaN(Number(v))) ? u.sort((a, b) => Number(a) - Number(b)) : u.sort();
}

export interface FrameSpec {
  y: number[];
  /** Columns by R name, in order; `(Intercept)` is added first unless intercept is false. */
  columns: Record<string, number[]>;
  intercept?: boolean;
  weights?: number[];
  offset?: number[];
  trials?: number[];
  aliased?: string[];
}

/** A ModelFrame with the given columns (assign: 0 for the intercept, else the column's position). */
export function makeFrame(spec: FrameSpec): ModelFrame {
  const intercept = spec.intercept ?? true;
  const n = spec.y.length;
  const names = [...(intercept ? ['(Intercept)'] : []), ...Object.keys(spec.columns)];
  const p = names.length;
  const X = new Float64Array(n * p);
  names.forEach((name, j) => {
    const col = name === '(Intercept)' && intercept ? new Array(n).fill(1) : spec.columns[name];
    if (col.length !== n) throw new Error(`column ${name} has ${col.length} values, expected ${n}`);
    X.set(col, j * n);
  });
  const opt = (v?: number[]) => (v === undefined ? null : Float64Array.from(v));
  const formula = { fixed: { intercept, terms: [], offsets: [] }, random: [] } as unknown as ModelFormula;
  return {
    formula,
    nobs: n,
    rows: Int32Array.from({ length: n }, (_, i) => i),
    nDropped: 0,
    responseName: 'y',
    y: Float64Array.from(spec.y),
    trials: opt(spec.trials),
    responseLevels: null,
    weights: opt(spec.weights),
    offset: opt(spec.offset),
    X,
    p,
    colnames: names,
    assign: Int32Array.from(names, (_, j) => (intercept ? j : j + 1)),
    aliased: spec.aliased ?? [],
    reTerms: [],
    messages: [],
  };
}
