import { test } from 'node:test';
import assert from 'node:assert/strict';
import { qnorm } from '../../src/distributions/normal.js';
import { evenSample, thinMonotone } from '../../src/plot/sample.js';

test('evenSample(n, m) is every index when n <= m', () => {
  assert.deepEqual([...evenSample(4, 10)], [0, 1, 2, 3]);
});

test('evenSample(10, 4) spreads m indices evenly from 0', () => {
  assert.deepEqual([...evenSample(10, 4)], [0, 2, 5, 7]);
});

test('thinMonotone(x, y, steps) keeps the ends, every sparse tail point, and about 2 * steps points', () => {
  const n = 100_000;
  const x = Float64Array.from({ length: n }, (_, i) => qnorm((i + 0.5) / n));
  const keep = thinMonotone(x, x, 100);
  assert.equal(keep[0], 0);
  assert.equal(keep[keep.length - 1], n - 1);
  assert.ok(keep.length <= 2 * 100 + 2);
  for (let i = 1; i < keep.length; i++) assert.ok(keep[i] > keep[i - 1]);
  assert.deepEqual([...keep.slice(0, 3)], [0, 1, 2]);
  assert.deepEqual([...keep.slice(-2)], [n - 2, n - 1]);
});

test('thinMonotone(x, y, steps) keeps every point of a short path', () => {
  assert.deepEqual([...thinMonotone([1, 2, 3], [1, 2, 3], 10)], [0, 1, 2]);
});
