import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bin2d } from '../../src/plot/bin2d.js';

test('bin2d(x, y, 2, 2) counts points per cell, the maximum in the last cell', () => {
  const cells = bin2d([0, 0.2, 1, 2, 2], [0, 0.1, 1.5, 2, 2], 2, 2);
  assert.deepEqual(cells, [
    { x0: 0, x1: 1, y0: 0, y1: 1, count: 2 },
    { x0: 1, x1: 2, y0: 1, y1: 2, count: 3 },
  ]);
});

test('bin2d(x, y, nx, ny) skips pairs with a non-finite coordinate', () => {
  const cells = bin2d([0, NaN, 1, 5], [0, 3, Infinity, 1], 1, 1);
  assert.deepEqual(cells, [{ x0: 0, x1: 5, y0: 0, y1: 1, count: 2 }]);
});

test('bin2d(x, y, nx, ny) puts constant data in one cell', () => {
  assert.deepEqual(bin2d([3, 3], [1, 1], 4, 4), [{ x0: 3, x1: 4, y0: 1, y1: 2, count: 2 }]);
});
