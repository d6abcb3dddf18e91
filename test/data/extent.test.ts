// maxOf / minOf, and the places that took the largest or smallest of a data column by spreading it into
// Math.max's arguments: with a few hundred thousand rows that overflowed the call stack ("internal error").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxOf, minOf } from '../../src/data/extent.js';
import { fitModel } from '../../src/api/fit.js';
import { modelFrameFromText } from '../../src/frame/index.js';
import { toTable } from '../../src/data/table.js';
import { textTable } from '../../src/report/format.js';
import { render } from '../../src/report/render.js';
import { modelPlot } from '../../src/plot/fromModel.js';

const N = 300_000;
const x = Float64Array.from({ length: N }, (_, i) => Math.sin(i) * 10 + (i % 7));

test('maxOf and minOf take the extremes of a long array as Math.max and Math.min do of a short one', () => {
  assert.equal(maxOf(x), x.reduce((a, b) => Math.max(a, b), -Infinity));
  assert.equal(minOf(x), x.reduce((a, b) => Math.min(a, b), Infinity));
  assert.equal(maxOf([]), -Infinity);
  assert.equal(minOf([]), Infinity);
  assert.ok(Number.isNaN(maxOf([1, NaN, 2])) && Number.isNaN(minOf([1, NaN, 2])));
  assert.throws(() => Math.max(...x), RangeError, 'the spread this replaces overflows at this length');
});

test('a spline basis, a weighted lm summary, a text table and a groups plot of 300,000 rows', () => {
  const g = Array.from({ length: N }, (_, i) => `g${i % 300}`);
  const y = Array.from(x, (v, i) => 2 + 0.5 * v + ((i * 7919) % 13) / 13);
  const w = Array.from({ length: N }, (_, i) => 1 + (i % 3));
  const data = toTable({ y, x: Array.from(x), g, w });
  assert.equal(modelFrameFromText('y ~ ns(x, 3)', data).p, 4);
  assert.match(render(fitModel('y ~ x', data, { weights: 'w' }), 'text'), /Weighted Residuals:/);
  assert.equal(textTable(['a', 'b'], Array.from({ length: N }, (_, i) => [String(i), 'x'])).split('\n').length, N + 1);
  const spec = modelPlot(fitModel('y ~ x + (1 | g)', data, {}), 'groups');
  assert.ok(JSON.stringify(spec).length > 0);
});
