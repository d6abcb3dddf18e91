import { test } from 'node:test';
import assert from 'node:assert/strict';
import { potrf, potrfUnblocked } from '../../src/linalg/potrf.js';
import { randomSpd, lowerOf, mulNT, maxAbsDiff } from './random.js';

// L L' must reproduce A; references are the naive products of the computed factor.
for (const n of [1, 3, 7, 95, 96, 97, 200, 301]) {
  test(`potrf(${n}, a, 0, ${n}) factors a random SPD matrix: L L' = A`, () => {
    const a = randomSpd(n, n);
    const w = a.slice();
    assert.equal(potrf(n, w, 0, n), 0);
    const l = lowerOf(n, w);
    const llt = mulNT(n, n, n, l, l);
    assert.ok(maxAbsDiff(llt, a) < 1e-10 * n, `max diff ${maxAbsDiff(llt, a)}`);
  });
}

test('potrf(n, a, off, lda) works on a sub-block and leaves the rest untouched', () => {
  const n = 150, lda = 170, off = 5 + 7 * lda;
  const a = randomSpd(n, 3);
  const big = new Float64Array(lda * 160).fill(42);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) big[off + i + j * lda] = a[i + j * n];
  assert.equal(potrf(n, big, off, lda), 0);
  const ref = a.slice();
  potrfUnblocked(n, ref, 0, n);
  let d = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const got = big[off + i + j * lda];
      d = Math.max(d, Math.abs(got - (i >= j ? ref[i + j * n] : a[i + j * n])));
    }
  }
  assert.ok(d < 1e-10, `max diff ${d}`);
  assert.equal(big[0], 42);
  assert.equal(big[off - 1], 42);
  assert.equal(big[off + n + (n - 1) * lda], 42);
});

test('potrf(n, a) returns j + 1 at the first non-positive pivot instead of throwing', () => {
  const n = 120;
  const a = randomSpd(n, 5);
  a[100 + 100 * n] = -1e6;
  assert.equal(potrf(n, a, 0, n), 101);
  const b = new Float64Array([1, 2, 2, 1]);
  assert.equal(potrf(2, b, 0, 2), 2);
  assert.equal(potrf(1, new Float64Array([NaN]), 0, 1), 1);
});
