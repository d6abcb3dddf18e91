import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toTable } from '../../src/data/table.js';
import type { DataTable } from '../../src/data/types.js';
import { MixedModelsError } from '../../src/errors.js';
import { expandFormula } from '../../src/formula/terms.js';
import { parseFormula } from '../../src/formula/parse.js';
import type { ContrastKind } from '../../src/frame/contrasts.js';
import { evaluate } from '../../src/frame/evaluate.js';
import { designMatrix, type DesignMatrix } from '../../src/frame/modelMatrix.js';
import { modelVariables } from '../../src/frame/variables.js';
import { readFixture, readRef } from './helpers.js';

/** The fixed-effects design of `text` on every row of `data`. */
function design(text: string, data: DataTable, contrasts?: Record<string, ContrastKind>): DesignMatrix {
  const formula = expandFormula(parseFormula(text), data.names);
  const rows = Int32Array.from({ length: data.nrow }, (_, i) => i);
  const values = new Map([...modelVariables(formula)].map(([k, node]) => [k, evaluate(node, { table: data, text, rows })]));
  return designMatrix(formula.fixed, values, data.nrow, contrasts);
}

function col(d: DesignMatrix, name: string): number[] {
  const j = d.colnames.indexOf(name);
  assert.ok(j >= 0, `no column ${name}`);
  return [...d.values.subarray(j * d.n, (j + 1) * d.n)];
}

const small = toTable({
  y: [1, 2, 3, 4, 5, 6],
  f: ['A', 'B', 'C', 'A', 'B', 'C'],
  h: ['u', 'u', 'u', 'v', 'v', 'v'],
  x: [0.5, 1, 1.5, 2, 2.5, 3],
});

test('designMatrix(angle ~ recipe * temp) has R\'s columns and assign (lm_cake_interaction)', () => {
  const ref = readRef('lm_cake_interaction');
  const d = design(ref.formula, readFixture('cake', ref.factors));
  assert.deepEqual(d.colnames, Object.keys(ref.coef));
  assert.deepEqual([...d.assign], [0, 1, 1, 2, 3, 3]);
  assert.equal(d.n, 270);
});

test('designMatrix(y ~ f * x) multiplies contrast columns by numeric ones', () => {
  const d = design('y ~ f * x', small);
  assert.deepEqual(d.colnames, ['(Intercept)', 'fB', 'fC', 'x', 'fB:x', 'fC:x']);
  assert.deepEqual(col(d, 'fB'), [0, 1, 0, 0, 1, 0]);
  assert.deepEqual(col(d, 'fC:x'), [0, 0, 1.5, 0, 0, 3]);
});

test('designMatrix(y ~ f * h) with sum contrasts numbers the columns (Product2:Information2 style)', () => {
  const d = design('y ~ f * h', small, { f: 'sum', h: 'sum' });
  assert.deepEqual(d.colnames, ['(Intercept)', 'f1', 'f2', 'h1', 'f1:h1', 'f2:h1']);
  assert.deepEqual(col(d, 'f1'), [1, 0, -1, 1, 0, -1]);
  assert.deepEqual(col(d, 'f2'), [0, 1, -1, 0, 1, -1]);
  assert.deepEqual(col(d, 'h1'), [1, 1, 1, -1, -1, -1]);
  assert.deepEqual(col(d, 'f2:h1'), [0, 1, -1, 0, -1, 1]);
});

test('designMatrix(y ~ 0 + f) gives one indicator column per level', () => {
  const d = design('y ~ 0 + f', small);
  assert.deepEqual(d.colnames, ['fA', 'fB', 'fC']);
  assert.deepEqual(col(d, 'fA'), [1, 0, 0, 1, 0, 0]);
  assert.deepEqual([...d.assign], [1, 1, 1]);
});

test('designMatrix(y ~ 0 + f + h) codes only the first factor by indicators', () => {
  assert.deepEqual(design('y ~ 0 + f + h', small).colnames, ['fA', 'fB', 'fC', 'hv']);
});

test('designMatrix(y ~ f:h) without main effects uses indicators for both, first factor fastest', () => {
  assert.deepEqual(design('y ~ f:h', small).colnames, ['(Intercept)', 'fA:hu', 'fB:hu', 'fC:hu', 'fA:hv', 'fB:hv', 'fC:hv']);
  assert.deepEqual(design('y ~ h + h:f', small).colnames, ['(Intercept)', 'hv', 'hu:fB', 'hv:fB', 'hu:fC', 'hv:fC']);
});

test('designMatrix(y ~ poly(x, 2) + I(x^2) + log(x)) names matrix columns label + suffix', () => {
  const d = design('y ~ poly(x, 2) + I(x^2) + log(x)', small);
  assert.deepEqual(d.colnames, ['(Intercept)', 'poly(x, 2)1', 'poly(x, 2)2', 'I(x^2)', 'log(x)']);
  assert.deepEqual([...d.assign], [0, 1, 1, 2, 3]);
  assert.deepEqual(col(d, 'I(x^2)'), [0.25, 1, 2.25, 4, 6.25, 9]);
});

test('designMatrix(y ~ service * dept) matches R\'s names (insteval_dept_service)', () => {
  const ref = readRef('insteval_dept_service');
  const data = readFixture('InstEval', ref.factors);
  assert.deepEqual(design('y ~ 1 + service * dept', data).colnames, Object.keys(ref.fixef));
});

test('designMatrix(y ~ g) rejects a factor with a single level', () => {
  const data = toTable({ y: [1, 2], g: ['a', 'a'] });
  assert.throws(() => design('y ~ g', data), (e: Error) => e instanceof MixedModelsError && /'g' has a single level \('a'\)/.test(e.message));
});
