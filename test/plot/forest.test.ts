import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forestSpec } from '../../src/plot/forest.js';
import { countMarks, encoding, layers, markType, renderQuietly, rows, texts } from './helpers.js';

const input = {
  terms: ['(Intercept)', 'Days', 'age'],
  estimate: [251.4, 10.47, -2],
  lower: [238, 7.4, -5],
  upper: [265, 13.5, 1],
  level: 0.95,
};

test('forestSpec(input) leaves out the intercept and keeps the given order', () => {
  const spec = forestSpec(input);
  assert.deepEqual(rows(spec).map((r) => r.term), ['Days', 'age']);
  assert.deepEqual(layers(spec).map(markType), ['rule', 'rule', 'point']);
  assert.deepEqual((encoding(layers(spec)[2], 'y') as { sort: string[] }).sort, ['Days', 'age']);
  assert.deepEqual(rows(spec)[0], { term: 'Days', estimate: 10.47, lower: 7.4, upper: 13.5 });
});

test('forestSpec({ intercept: true }) keeps the intercept row', () => {
  assert.equal(rows(forestSpec({ ...input, intercept: true })).length, 3);
  assert.doesNotMatch(JSON.stringify(forestSpec({ ...input, intercept: true }).title), /not shown/);
});

test('forestSpec(input) says in its subtitle that the intercept is left out, with its estimate and interval', () => {
  assert.match((forestSpec(input).title as { subtitle: string }).subtitle, /\(Intercept\) not shown: 251\.4 \(238 to 265\)$/);
});

test('forestSpec(input) renders a dot and an interval per term, a zero line and the coverage', async () => {
  const svg = await renderQuietly(forestSpec({ ...input, level: 0.9 }));
  assert.equal(countMarks(svg, 'symbol'), 2);
  assert.equal(countMarks(svg, 'rule'), 3);
  assert.ok(texts(svg).includes('Estimate (90% CI)'));
  assert.ok(texts(svg).includes('Days'));
});

test('forestSpec(input) rejects an intercept-only input and mismatched columns', () => {
  assert.throws(() => forestSpec({ ...input, terms: ['(Intercept)'], estimate: [1], lower: [0], upper: [2] }), /only the intercept/);
  assert.throws(() => forestSpec({ ...input, upper: [1, 2] }), /columns differ in length/);
});
