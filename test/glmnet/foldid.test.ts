// randomFoldid(n, k, seed) equals R 4.2.2's `set.seed(seed); sample(rep(seq(k), length = n))`
// (values printed by R, below), so cv.glmnet's random folds are reproduced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomFoldid } from '../../src/glmnet/foldid.js';

test('randomFoldid(37, 10, 12345) is R\'s set.seed(12345); sample(rep(seq(10), length = 37))', () => {
  assert.deepEqual([...randomFoldid(37, 10, 12345)], [4, 6, 6, 8, 4, 5, 9, 1, 3, 2, 2, 10, 6, 7, 10, 7, 8, 1, 5, 1, 2, 4, 1, 3, 7, 3, 9, 6, 10, 5, 9, 4, 7, 3, 8, 2, 5]);
});

test('randomFoldid(20, 5, 1) and a long draw (100000 rows, seed 99) match R', () => {
  assert.deepEqual([...randomFoldid(20, 5, 1)], [4, 2, 1, 2, 3, 4, 1, 2, 4, 3, 3, 5, 4, 1, 1, 5, 2, 5, 5, 3]);
  const f = randomFoldid(100000, 10, 99);
  assert.deepEqual([...f.slice(0, 5), ...f.slice(99995)], [3, 6, 6, 2, 4, 10, 5, 3, 5, 1]);
});

test('randomFoldid() gives every fold its share and rejects bad arguments', () => {
  const f = randomFoldid(103, 10, 7);
  const counts = new Array(10).fill(0);
  f.forEach((k) => counts[k - 1]++);
  assert.deepEqual(counts, [11, 11, 11, 10, 10, 10, 10, 10, 10, 10]);
  assert.throws(() => randomFoldid(10, 2, 1), /at least 3/);
  assert.throws(() => randomFoldid(5, 10, 1), /10 folds need at least 10 rows/);
  assert.throws(() => randomFoldid(10, 3, 1.5), /seed must be a whole number/);
});
