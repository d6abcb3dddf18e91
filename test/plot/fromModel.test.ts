// modelPlot(): fitted models -> plot specifications, for variables the formula itself makes categorical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glmer } from '../../src/api/fit.js';
import { readCsvFile } from '../../src/io/readTable.js';
import { modelPlot } from '../../src/plot/fromModel.js';
import { dataFile } from '../cli/helpers.js';
import { rows } from './helpers.js';

const cbpp = readCsvFile(dataFile('cbpp'));

test('modelPlot(m, "effect") predicts at the levels of a numeric column written as factor(x)', () => {
  const m = glmer('cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)', cbpp, { family: 'binomial' });
  const spec = modelPlot(m, 'effect');
  assert.deepEqual(rows(spec).map((r) => r.x), ['1', '2', '3', '4']);
  assert.ok(rows(spec).every((r) => typeof r.fit === 'number' && r.fit > 0 && r.fit < 1));
});

test('modelPlot(m, "groups") draws factor(x) as categories when it is the only predictor', () => {
  const m = glmer('cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)', cbpp, { family: 'binomial' });
  const x = (modelPlot(m, 'groups').layer as { encoding: { x: { type: string; sort: string[] } } }[])[0].encoding.x;
  assert.equal(x.type, 'ordinal');
  assert.deepEqual(x.sort, ['1', '2', '3', '4']);
});
