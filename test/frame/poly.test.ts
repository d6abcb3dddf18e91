import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poly } from '../../src/frame/poly.js';

function column(m: Float64Array, n: number, j: number): number[] {
  return [...m.subarray(j * n, (j + 1) * n)];
}

function close(actual: number[], expected: number[], tol = 1e-12): void {
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= tol, `entry ${i}: ${a} vs ${expected[i]}`));
}

test('poly(1:5, 3) gives the normalised orthogonal polynomials derived by hand', () => {
  // t = x - 3: p1 = t, p2 = t^2 - 2, p3 = t^3 - 3.4 t; each divided by its norm.
  // R: poly(1:5, 3) prints the same columns (-0.6324555, ...; 0.5345225, ...; -0.3162278, ...).
  const m = poly(Float64Array.from([1, 2, 3, 4, 5]), 3);
  close(column(m, 5, 0), [-2, -1, 0, 1, 2].map((v) => v / Math.sqrt(10)));
  close(column(m, 5, 1), [2, -1, -2, -1, 2].map((v) => v / Math.sqrt(14)));
  close(column(m, 5, 2), [-1.2, 2.4, 0, -2.4, 1.2].map((v) => v / Math.sqrt(14.4)));
});

test('poly(x, k) columns are orthonormal and orthogonal to the constant', () => {
  const x = Float64Array.from({ length: 40 }, (_, i) => Math.exp(Math.sin(i * 1.7)) * 100 + 1000);
  const k = 4;
  const m = poly(x, k);
  for (let a = 0; a < k; a++) {
    const ca = column(m, 40, a);
    assert.ok(Math.abs(ca.reduce((s, v) => s + v, 0)) < 1e-10);
    for (let b = a; b < k; b++) {
      const cb = column(m, 40, b);
      const dot = ca.reduce((s, v, i) => s + v * cb[i], 0);
      assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-10, `columns ${a}, ${b}: ${dot}`);
    }
  }
});

test('poly(x, k) columns have R\'s signs: increasing in x for degree 1, positive at the ends for degree 2', () => {
  const m = poly(Float64Array.from([3, 9, 4, 1]), 2);
  const lin = column(m, 4, 0);
  assert.ok(lin[1] > lin[2] && lin[2] > lin[0] && lin[0] > lin[3]);
  const quad = column(m, 4, 1);
  assert.ok(quad[1] > 0 && quad[3] > 0);
});

test('poly(x, k) gives NaN on missing rows and fits the others alone', () => {
  const m = poly(Float64Array.from([1, NaN, 2, 3]), 1);
  close([m[0], m[2], m[3]], [-Math.SQRT1_2, 0, Math.SQRT1_2]);
  assert.ok(Number.isNaN(m[1]));
});

test('poly(x, k) needs more distinct values than its degree', () => {
  assert.throws(() => poly(Float64Array.from([1, 2, 2, 1]), 2, 'x'), /poly\(x, 2\): the degree must be less than the number of distinct values of x/);
});
