import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caterpillarSpec } from '../../src/plot/caterpillar.js';
import type { PlotSpec } from '../../src/plot/types.js';
import { countMarks, encoding, layers, markType, renderQuietly, rnorm, rows, texts } from './helpers.js';

const panels = (spec: PlotSpec) => spec.hconcat as PlotSpec[];
const domain = (panel: PlotSpec) => (encoding(layers(panel)[2], 'y') as { scale: { domain: string[] } }).scale.domain;

const small = { group: 'Subject', term: '(Intercept)', levels: ['a', 'b', 'c'], values: [0.5, -1, 2], condSd: [0.1, 0.2, 0.3] };

test('caterpillarSpec(input) sorts levels by value, largest on top, with value +- qnorm(0.975) * condSd', () => {
  const panel = panels(caterpillarSpec(small))[0];
  assert.deepEqual(domain(panel), ['c', 'a', 'b']);
  const b = rows(panel).find((r) => r.level === 'b')!;
  assert.ok(Math.abs((b.upper as number) - (-1 + 1.959963984540054 * 0.2)) < 1e-12);
  assert.ok(Math.abs((b.lower as number) - (-1 - 1.959963984540054 * 0.2)) < 1e-12);
  assert.deepEqual(layers(panel).map(markType), ['rule', 'rule', 'point']);
  assert.equal(encoding(layers(panel)[0], 'x').datum, 0);
});

test('caterpillarSpec(input) draws one point and one interval per level, and a zero line', async () => {
  const svg = await renderQuietly(caterpillarSpec(small));
  assert.equal(countMarks(svg, 'symbol'), 3);
  assert.equal(countMarks(svg, 'rule'), 3 + 1);
  assert.ok(texts(svg).includes('Conditional mode (95% interval)'));
});

test('caterpillarSpec({ level: 0.5 }) uses z = qnorm(0.75)', () => {
  const panel = panels(caterpillarSpec({ ...small, level: 0.5 }))[0];
  const a = rows(panel).find((r) => r.level === 'a')!;
  assert.ok(Math.abs((a.upper as number) - (0.5 + 0.6744897501960817 * 0.1)) < 1e-12);
});

test('caterpillarSpec({ condSd: null }) draws points only', async () => {
  const spec = caterpillarSpec({ ...small, condSd: null });
  assert.deepEqual(layers(panels(spec)[0]).map(markType), ['rule', 'point']);
  const svg = await renderQuietly(spec);
  assert.equal(countMarks(svg, 'symbol'), 3);
  assert.equal(countMarks(svg, 'rule'), 1);
});

test('caterpillarSpec(5000 levels) keeps the 30 lowest and 30 highest and says how many are hidden', async () => {
  const n = 5000;
  const values = rnorm(n);
  const levels = Array.from({ length: n }, (_, i) => `L${i}`);
  const spec = caterpillarSpec({ group: 'g', term: '(Intercept)', levels, values, condSd: values.map(() => 0.3) });
  const panel = panels(spec)[0];
  assert.equal(rows(panel).length, 60);
  const sorted = [...values].sort((a, b) => a - b);
  const shown = rows(panel).map((r) => r.value as number).sort((a, b) => a - b);
  assert.deepEqual(shown, [...sorted.slice(0, 30), ...sorted.slice(n - 30)]);
  assert.equal(domain(panel).length, 61);
  assert.equal(domain(panel)[30], '\u2026 4940 more \u2026');
  const svg = await renderQuietly(spec);
  assert.equal(countMarks(svg, 'symbol'), 60);
  assert.ok(texts(svg).includes('The 60 most extreme of 5000 levels'));
  assert.equal(countMarks(svg, 'text', 'axis-label') >= 61, true);
});

test('caterpillarSpec([a, b]) puts one panel per term side by side', async () => {
  const spec = caterpillarSpec([small, { ...small, term: 'Days', values: [1, 2, 3] }]);
  assert.equal(panels(spec).length, 2);
  const svg = await renderQuietly(spec);
  assert.equal(countMarks(svg, 'symbol'), 6);
  assert.ok(texts(svg).includes('Days'));
  assert.ok(texts(svg).includes('Conditional modes of the random effects: Subject'));
});

test('caterpillarSpec(input) rejects columns of different lengths and a bad level', () => {
  assert.throws(() => caterpillarSpec({ ...small, values: [1, 2] }), /caterpillarSpec: columns differ in length/);
  assert.throws(() => caterpillarSpec({ ...small, level: 95 }), /level must be between 0 and 1/);
  assert.throws(() => caterpillarSpec([]), /no terms/);
});
