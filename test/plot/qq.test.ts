import { test } from 'node:test';
import assert from 'node:assert/strict';
import { qnorm } from '../../src/distributions/normal.js';
import { qqLine, qqPoints, qqSpec } from '../../src/plot/qq.js';
import type { PlotSpec } from '../../src/plot/types.js';
import { countMarks, layers, markType, renderQuietly, rnorm, rows, texts } from './helpers.js';

test('qqPoints(values) sorts the finite values and pairs them with qnorm(ppoints(n))', () => {
  const { theoretical, sample } = qqPoints([3, NaN, 1, 2]);
  assert.deepEqual([...sample], [1, 2, 3]);
  // R: ppoints(3) = (1:3 - 3/8) / 3.25
  assert.deepEqual([...theoretical], [0.625 / 3.25, 1.625 / 3.25, 2.625 / 3.25].map(qnorm));
});

test('qqLine(1:10) passes through the quartiles, as R\'s qqline', () => {
  // R: quantile(1:10, c(.25, .75)) = 3.25, 7.75; slope = 4.5 / diff(qnorm(c(.25, .75)))
  const { intercept, slope } = qqLine([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.ok(Math.abs(slope - 4.5 / (2 * 0.6744897501960817)) < 1e-12);
  assert.ok(Math.abs(intercept - 5.5) < 1e-12);
});

test('qqSpec(input) draws every point of a small sample and the reference line', async () => {
  const spec = qqSpec({ values: rnorm(50), label: 'Residuals' });
  assert.deepEqual(layers(spec).map(markType), ['rule', 'point']);
  assert.equal(rows(layers(spec)[1]).length, 50);
  const svg = await renderQuietly(spec);
  assert.equal(countMarks(svg, 'symbol'), 50);
  assert.equal(countMarks(svg, 'rule'), 1);
  assert.ok(texts(svg).includes('Theoretical quantiles'));
  assert.ok(texts(svg).includes('n = 50'));
});

test('qqSpec(1e5 values) thins deterministically and keeps both extremes', async () => {
  const values = rnorm(100_000, 2);
  const spec = qqSpec({ values, label: 'Residuals' });
  const drawn = rows(layers(spec)[1]);
  assert.ok(drawn.length <= 2002);
  assert.deepEqual(drawn, rows(layers(qqSpec({ values, label: 'Residuals' }))[1]));
  const sorted = [...values].sort((a, b) => a - b);
  assert.equal(drawn[0].sample, sorted[0]);
  assert.equal(drawn[drawn.length - 1].sample, sorted[sorted.length - 1]);
  const svg = await renderQuietly(spec);
  assert.equal(countMarks(svg, 'symbol'), drawn.length);
  assert.ok(texts(svg).includes(`n = 100000, thinned to ${drawn.length} points`));
});

test('qqSpec([residuals, term]) makes a grid of panels', async () => {
  const spec = qqSpec([
    { values: rnorm(30, 3), label: 'Residuals' },
    { values: rnorm(18, 4), label: 'Subject: (Intercept)' },
  ]);
  assert.equal((spec.concat as PlotSpec[]).length, 2);
  const svg = await renderQuietly(spec);
  assert.equal(countMarks(svg, 'symbol'), 48);
  assert.equal(countMarks(svg, 'rule'), 2);
  assert.ok(texts(svg).includes('Subject: (Intercept)'));
});

test('qqSpec(input) rejects a sample with fewer than two finite values', () => {
  assert.throws(() => qqSpec({ values: [1, NaN], label: 'b' }), /qqSpec: b has 1 finite value/);
  assert.throws(() => qqSpec([]), /no samples/);
});
