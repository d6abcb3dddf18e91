import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectSpec } from '../../src/plot/effect.js';
import { countMarks, encoding, layers, markType, renderQuietly, rows, texts } from './helpers.js';

const days = [3, 0, 1, 2];
const numeric = {
  term: 'Days',
  x: days,
  fit: days.map((d) => 251 + 10 * d),
  lower: days.map((d) => 241 + 9 * d),
  upper: days.map((d) => 261 + 11 * d),
  xName: 'Days of sleep deprivation',
  yName: 'Reaction',
  level: 0.95,
};

test('effectSpec(numeric x) is a line over a band, rows sorted by x', () => {
  const spec = effectSpec(numeric);
  assert.deepEqual(layers(spec).map(markType), ['area', 'line']);
  assert.deepEqual(rows(spec).map((r) => r.x), [0, 1, 2, 3]);
  assert.equal(encoding(layers(spec)[0], 'y').field, 'lower');
  assert.equal(encoding(layers(spec)[0], 'y2').field, 'upper');
  assert.equal(encoding(layers(spec)[1], 'y').field, 'fit');
});

test('effectSpec(numeric x) renders one band, one line and the coverage', async () => {
  const svg = await renderQuietly(effectSpec(numeric));
  assert.equal(countMarks(svg, 'area'), 1);
  assert.equal(countMarks(svg, 'line'), 1);
  assert.ok(texts(svg).includes('With 95% confidence band'));
  assert.ok(texts(svg).includes('Days of sleep deprivation'));
});

test('effectSpec(categorical x) draws a point and an error bar per level, in the given order', async () => {
  const spec = effectSpec({ term: 'trt', x: ['ctl', 'b', 'a'], fit: [1, 2, 3], lower: [0, 1, 2], upper: [2, 3, 4], xName: 'Treatment', yName: 'y' });
  assert.deepEqual(layers(spec).map(markType), ['rule', 'point']);
  assert.deepEqual((encoding(layers(spec)[1], 'x') as { sort: string[] }).sort, ['ctl', 'b', 'a']);
  const svg = await renderQuietly(spec);
  assert.equal(countMarks(svg, 'symbol'), 3);
  assert.equal(countMarks(svg, 'rule'), 3);
  assert.ok(texts(svg).includes('With confidence intervals'));
});

test('effectSpec(input) rejects mismatched columns and a bad level', () => {
  assert.throws(() => effectSpec({ ...numeric, fit: [1] }), /effectSpec: columns differ in length/);
  assert.throws(() => effectSpec({ ...numeric, level: 1 }), /level must be between 0 and 1/);
});
