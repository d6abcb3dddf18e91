import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emmeansSpec } from '../../src/plot/emmeans.js';
import { modelPlot } from '../../src/plot/fromModel.js';
import { lmer } from '../../src/api/fit.js';
import { readCsvFile } from '../../src/io/readTable.js';
import { countMarks, encoding, layers, markType, renderQuietly, rows, texts } from './helpers.js';
import { dataFile } from '../cli/helpers.js';

const input = {
  labels: ['A', 'B', 'C'],
  estimate: [33.1, 31.6, 31.6],
  lower: [29.6, 28.1, 28.1],
  upper: [36.6, 35.1, 35.1],
  level: 0.95,
  specName: 'recipe',
  estimateName: 'emmean',
};

test('emmeansSpec(input) draws a dot and an interval per mean, in the given order', async () => {
  const spec = emmeansSpec(input);
  assert.deepEqual(layers(spec).map(markType), ['rule', 'point']);
  assert.deepEqual(rows(spec)[0], { label: 'A', estimate: 33.1, lower: 29.6, upper: 36.6 });
  assert.equal(encoding(layers(spec)[0], 'x2').field, 'upper');
  const svg = await renderQuietly(spec);
  assert.equal(countMarks(svg, 'symbol'), 3);
  assert.equal(countMarks(svg, 'rule'), 3);
  assert.ok(texts(svg).includes('emmean (95% CI)'));
});

test('emmeansSpec({ groups }) stacks one panel per by group', async () => {
  const spec = emmeansSpec({ ...input, labels: ['A', 'B', 'A', 'B'], estimate: [1, 2, 3, 4], lower: [0, 1, 2, 3], upper: [2, 3, 4, 5], groups: ['t = 1', 't = 1', 't = 2', 't = 2'] });
  assert.ok('facet' in spec);
  const svg = await renderQuietly(spec);
  assert.equal(countMarks(svg, 'symbol'), 4);
  assert.ok(texts(svg).includes('t = 2'));
  assert.throws(() => emmeansSpec({ ...input, groups: ['x'] }), /columns differ in length/);
  assert.throws(() => emmeansSpec({ ...input, level: 95 }), /level must be between 0 and 1/);
});

test("modelPlot(model, 'emmeans', { specs, by }) plots the model's marginal means", () => {
  const m = lmer('angle ~ recipe * temperature + (1 | recipe:replicate)', readCsvFile(dataFile('cake')), { factors: ['replicate', 'temperature'] });
  const spec = modelPlot(m, 'emmeans', { specs: 'recipe', by: 'temperature' });
  assert.equal((spec.data as { values: unknown[] }).values.length, 18);
  assert.equal(rows(modelPlot(m, 'emmeans', { specs: 'recipe' })).length, 3);
  assert.throws(() => modelPlot(m, 'emmeans'), /needs the factors/);
});
