import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ppoints, quantileSorted } from '../../src/plot/ppoints.js';

const close = (a: ArrayLike<number>, b: number[], tol = 1e-7) => b.forEach((x, i) => assert.ok(Math.abs(a[i] - x) < tol, `${a[i]} vs ${x}`));

test('ppoints(5) uses a = 3/8, as R', () => {
  // R: ppoints(5)
  close(ppoints(5), [0.1190476, 0.3095238, 0.5, 0.6904762, 0.8809524]);
});

test('ppoints(11) uses a = 1/2, as R', () => {
  // R: ppoints(11) == (1:11 - 0.5) / 11
  close(ppoints(11), Array.from({ length: 11 }, (_, i) => (i + 0.5) / 11), 1e-15);
});

test('quantileSorted(x, p) is R\'s type-7 quantile', () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  // R: quantile(1:10, c(0, 0.25, 0.5, 0.75, 1)) = 1, 3.25, 5.5, 7.75, 10
  close([0, 0.25, 0.5, 0.75, 1].map((p) => quantileSorted(x, p)), [1, 3.25, 5.5, 7.75, 10], 1e-15);
  assert.equal(quantileSorted([4], 0.25), 4);
});
