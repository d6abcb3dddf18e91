import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coefficientsAt, interpolation } from '../../src/glmnet/interpolate.js';
import type { PathPoint } from '../../src/glmnet/path.js';

const point = (lambda: number, intercept: number, value: number[]): PathPoint => ({
  lambda, intercept, index: Int32Array.from(value.keys()), value: Float64Array.from(value), devRatio: 0,
});
const path = [point(1, 0, [0, 0]), point(0.5, 1, [2, 0]), point(0.25, 2, [4, -1])];

test('interpolation(points, s) is linear in lambda between neighbours and clamps to the path (glmnet\'s lambda.interp)', () => {
  assert.deepEqual(interpolation(path, 2), { left: 0, right: 0, frac: 1 });
  assert.deepEqual(interpolation(path, 0.1), { left: 2, right: 2, frac: 1 });
  assert.deepEqual(interpolation(path, 0.5), { left: 1, right: 1, frac: 1 });
  const mid = interpolation(path, 0.75);
  assert.equal(mid.left, 0);
  assert.equal(mid.right, 1);
  assert.equal(mid.frac, 0.5);
});

test('coefficientsAt(points, p, s) mixes the neighbouring coefficients', () => {
  const c = coefficientsAt(path, 2, 0.375);
  assert.equal(c.intercept, 1.5);
  assert.deepEqual([...c.beta], [3, -0.5]);
  assert.deepEqual([...coefficientsAt(path, 2, 5).beta], [0, 0]);
});
