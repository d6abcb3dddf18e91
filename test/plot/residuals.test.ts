import { test } from 'node:test';
import assert from 'node:assert/strict';
import { residualSpec } from '../../src/plot/residuals.js';
import { toSVG } from '../../src/plot/svg.js';
import { countMarks, encoding, layers, markType, renderQuietly, rnorm, rows, texts } from './helpers.js';

test('residualSpec(input) draws every point up to 5000, with a zero line', async () => {
  const fitted = rnorm(1000, 3);
  const spec = residualSpec({ fitted, residuals: rnorm(1000, 4) });
  assert.deepEqual(layers(spec).map(markType), ['point', 'rule']);
  assert.equal(rows(spec).length, 1000);
  assert.equal(encoding(layers(spec)[0], 'x').field, 'fitted');
  assert.equal(encoding(layers(spec)[0], 'y').field, 'residual');
  const svg = await renderQuietly(spec);
  assert.equal(countMarks(svg, 'symbol'), 1000);
  assert.equal(countMarks(svg, 'rule'), 1);
  assert.ok(texts(svg).includes('Residuals vs fitted values'));
  assert.ok(texts(svg).includes('1000 points'));
});

test('residualSpec(1e5 points) bins into a 60 x 40 grid of counts and says so', async () => {
  const n = 100_000;
  const spec = residualSpec({ fitted: rnorm(n, 5), residuals: rnorm(n, 6) });
  assert.deepEqual(layers(spec).map(markType), ['rect', 'rule']);
  const cells = rows(spec);
  assert.ok(cells.length <= 60 * 40);
  assert.equal(cells.reduce((s, c) => s + (c.count as number), 0), n);
  assert.equal(encoding(layers(spec)[0], 'color').field, 'count');
  const svg = await renderQuietly(spec);
  assert.equal(countMarks(svg, 'rect'), cells.length);
  assert.ok(texts(svg).includes('100000 points, counted in a 60 \u00d7 40 grid'));
});

test('residualSpec({ large: "sample" }) draws an evenly spaced sample of maxPoints and says so', async () => {
  const n = 20_000;
  const spec = residualSpec({ fitted: rnorm(n, 7), residuals: rnorm(n, 8), large: 'sample', maxPoints: 2000 });
  assert.equal(rows(spec).length, 2000);
  const svg = await renderQuietly(spec);
  assert.equal(countMarks(svg, 'symbol'), 2000);
  assert.ok(texts(svg).includes('An evenly spaced sample of 2000 of 20000 points'));
});

test('residualSpec(1e5 points) and toSVG finish well within 5 s (about 0.3 s measured)', async () => {
  const n = 100_000;
  const start = performance.now();
  const svg = await toSVG(residualSpec({ fitted: rnorm(n, 9), residuals: rnorm(n, 10) }));
  assert.ok(svg.startsWith('<svg'));
  assert.ok(performance.now() - start < 5000);
});

test('residualSpec(input) rejects columns of different lengths', () => {
  assert.throws(() => residualSpec({ fitted: [1, 2], residuals: [1] }), /residualSpec: columns differ in length/);
  assert.throws(() => residualSpec({ fitted: [], residuals: [] }), /no data/);
});
