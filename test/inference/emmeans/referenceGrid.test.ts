// referenceGrid(model) against emmeans 1.8.4's ref_grid (R 4.2.2):
//   ref_grid(lm(angle ~ recipe * temp, cake_unbalanced))@grid: recipe A, B, C; temp = mean 200.076923076923
//   ref_grid(glm(incidence ~ factor(period) + offset(log(size)), poisson, cbpp))@grid: period 1:4, .offset. = 2.537878
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glm, lm } from '../../../src/api/fit.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { referenceGrid } from '../../../src/inference/emmeans/referenceGrid.js';
import { MixedModelsError } from '../../../src/errors.js';
import { assertClose, dataFile } from '../../cli/helpers.js';

test('referenceGrid(model) has every factor level and numeric predictors at their mean', () => {
  const m = lm('angle ~ recipe * temp', readCsvFile(dataFile('cake_unbalanced')));
  const g = referenceGrid(m);
  assert.deepEqual(g.variables.map((v) => [v.name, v.factor, v.levels.length]), [['recipe', true, 3], ['temp', false, 1]]);
  assert.deepEqual(g.variables[0].levels, ['A', 'B', 'C']);
  assertClose(g.variables[1].levels[0] as number, 200.076923076923, 1e-14, 'mean temp');
  assert.equal(g.n, 3);
  // Row for recipe C: (Intercept), recipeB, recipeC, temp, recipeB:temp, recipeC:temp.
  const row = Array.from(g.X.subarray(2 * g.p, 3 * g.p));
  const t = g.variables[1].levels[0] as number;
  assert.deepEqual(row.map((v) => Math.round(v * 1e9) / 1e9), [1, 0, 1, t, 0, t].map((v) => Math.round(v * 1e9) / 1e9));
  assert.equal(g.offset, 0);
});

test('referenceGrid(model) keeps numeric columns made factors in the formula and the mean offset', () => {
  const m = glm('incidence ~ factor(period) + offset(log(size))', readCsvFile(dataFile('cbpp')), { family: 'poisson' });
  const g = referenceGrid(m);
  assert.deepEqual(g.variables.map((v) => [v.name, v.factor, v.levels]), [['period', true, [1, 2, 3, 4]]]);
  assertClose(g.offset, 2.537877559, 1e-9, 'mean of log(size)');
});

test('referenceGrid(model) keeps both values of a two-valued covariate (emmeans cov.keep = 2), first variable fastest', () => {
  const data = { y: [1, 3, 2, 5, 4, 6, 8, 7], x: [0, 1, 1, 0, 0, 1, 1, 0], g: ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'] };
  const g = referenceGrid(lm('y ~ g + x', data));
  assert.deepEqual(g.variables.map((v) => [v.name, v.factor, v.levels]), [['g', true, ['a', 'b']], ['x', false, [0, 1]]]);
  assert.deepEqual(Array.from({ length: g.n }, (_, r) => Array.from(g.X.subarray(r * g.p, (r + 1) * g.p))), [[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1]]);
});

test('referenceGrid(model) refuses nested factors and aliased designs', () => {
  const noMain = { y: [1, 3, 2, 5, 4, 6, 8, 7, 5], s: ['p', 'p', 'p', 'p', 'q', 'q', 'q', 'q', 'q'], b: ['1', '2', '3', '4', '1', '2', '3', '4', '4'] };
  assert.throws(() => referenceGrid(lm('y ~ s + s:b', noMain)), /nested factors \(b %in% s\)/);
  const confounded = { y: [1, 3, 2, 5, 4, 6, 8, 7], x: [0, 1, 0, 1, 0, 1, 0, 1], g: ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'] };
  assert.throws(() => referenceGrid(lm('y ~ g + x', confounded)), (e: Error) => e instanceof MixedModelsError && /x is aliased/.test(e.message));
});

test('referenceGrid(model) does not take a factor interacting only with a covariate for nested (as emmeans)', () => {
  const data = { y: [1, 3, 2, 5, 4, 6, 8, 7, 5], x: [1, 2, 3, 4, 5, 6, 7, 8, 9], f: ['p', 'q', 'r', 'p', 'q', 'r', 'p', 'q', 'r'] };
  const g = referenceGrid(lm('y ~ x + x:f', data));
  assert.deepEqual(g.variables.map((v) => v.name), ['x', 'f']);
});
