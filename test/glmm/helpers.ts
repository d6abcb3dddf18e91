import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelFrameFromText } from '../../src/frame/index.js';
import type { ModelFrame } from '../../src/frame/types.js';
import { parseCsv } from '../../src/io/csv.js';
import type { DataTable } from '../../src/data/types.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** A reference fit from R's lme4 1.1-31 (test/fixtures/refs). */
export interface GlmmRef {
  formula: string;
  data: string;
  factors: string[];
  family: string;
  link: string;
  nAGQ: number;
  weights: string | null;
  logLik: number;
  exact_logLik?: number;
  objective: number;
  deviance: number;
  theta: number | number[];
  fixef: Record<string, number>;
  fixef_se: Record<string, number>;
  varcorr: { grp: string; sdcor: number }[];
  fitted_head: number[];
  [key: string]: unknown;
}

export function readRef(name: string): GlmmRef {
  return JSON.parse(readFileSync(join(FIXTURES, 'refs', `${name}.json`), 'utf8'));
}

const frames = new Map<string, ModelFrame>();

/** The model frame of a reference fit (cached). */
export function refFrame(name: string): ModelFrame {
  let f = frames.get(name);
  if (f === undefined) {
    const ref = readRef(name);
    const data = parseCsv(readFileSync(join(FIXTURES, 'data', `${ref.data}.csv`)));
    f = modelFrameFromText(ref.formula, data, { factors: ref.factors, family: ref.family, weights: ref.weights ?? undefined });
    frames.set(name, f);
  }
  return f;
}

/** |actual - expected| <= tol, with a message naming what differs. */
export function near(actual: number, expected: number, tol: number, what: string): void {
  if (!(Math.abs(actual - expected) <= tol)) throw new Error(`${what}: got ${actual}, expected ${expected} (tolerance ${tol.toExponential(2)})`);
}

/** The model frame of `formula` on test/fixtures/data/<data>.csv, numeric column `edit.column` replaced first. */
export function dataFrame(
  data: string, formula: string, options: { factors?: string[]; family?: string; weights?: string } = {},
  edit?: { column: string; value: (table: DataTable, i: number) => number },
): ModelFrame {
  const table = parseCsv(readFileSync(join(FIXTURES, 'data', `${data}.csv`)));
  if (edit === undefined) return modelFrameFromText(formula, table, options);
  const columns = new Map(table.columns);
  columns.set(edit.column, { kind: 'numeric', values: Float64Array.from({ length: table.nrow }, (_, i) => edit.value(table, i)) });
  return modelFrameFromText(formula, { ...table, columns }, options);
}
