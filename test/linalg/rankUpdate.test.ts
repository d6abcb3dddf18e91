import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemmNTSub, setRankUpdateKernel, symmLowerNTSub, syrkLowerSub } from '../../src/linalg/rankUpdate.js';
import { randomMatrix, mulNT, maxAbsDiff } from './random.js';

for (const [m, n, k] of [[3, 2, 4], [17, 13, 9], [130, 70, 300], [257, 5, 33]]) {
  test(`gemmNTSub(${m}, ${n}, ${k}, ...) equals C - A B'`, () => {
    const a = randomMatrix(m, k, 1), b = randomMatrix(n, k, 2), c = randomMatrix(m, n, 3);
    const ab = mulNT(m, n, k, a, b);
    const want = c.map((v, i) => v - ab[i]);
    gemmNTSub(m, n, k, a, 0, m, b, 0, n, c, 0, m);
    assert.ok(maxAbsDiff(c, want) < 1e-12 * k);
  });
}

for (const [n, k] of [[3, 2], [19, 7], [131, 96], [260, 300]]) {
  test(`syrkLowerSub(${n}, ${k}, ...) updates the lower triangle only`, () => {
    const a = randomMatrix(n, k, 4), c = randomMatrix(n, n, 5);
    const aa = mulNT(n, n, k, a, a);
    const want = c.map((v, idx) => (idx % n >= Math.floor(idx / n) ? v - aa[idx] : v));
    syrkLowerSub(n, k, a, 0, n, c, 0, n);
    assert.ok(maxAbsDiff(c, want) < 1e-12 * k);
  });
}

test('gemmNTSub respects offsets and leading dimensions', () => {
  const m = 40, n = 30, k = 20, ld = 50;
  const a = randomMatrix(ld, k, 6), b = randomMatrix(ld, k, 7), c = randomMatrix(ld, n + 2, 8);
  const aa = new Float64Array(m * k), bb = new Float64Array(n * k);
  for (let l = 0; l < k; l++) {
    for (let i = 0; i < m; i++) aa[i + l * m] = a[3 + i + l * ld];
    for (let j = 0; j < n; j++) bb[j + l * n] = b[2 + j + l * ld];
  }
  const ab = mulNT(m, n, k, aa, bb);
  const want = c.slice();
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) want[1 + i + (j + 1) * ld] -= ab[i + j * m];
  gemmNTSub(m, n, k, a, 3, ld, b, 2, ld, c, 1 + ld, ld);
  assert.ok(maxAbsDiff(c, want) < 1e-12);
});

for (const kernel of ['wasm', 'js'] as const) {
  for (const [m, n] of [[3, 2], [9, 5], [130, 70], [300, 128], [257, 3]]) {
    test(`symmLowerNTSub(${m}, ${n}, ...) (${kernel}) reads A's lower triangle only and gives gemmNTSub's bits on the full matrix`, () => {
      const g = randomMatrix(m, m, 9), b = randomMatrix(n, m, 10), c0 = randomMatrix(m, n, 11);
      const full = new Float64Array(m * m), lower = new Float64Array(m * m).fill(NaN);
      for (let j = 0; j < m; j++) for (let i = j; i < m; i++) full[i + j * m] = full[j + i * m] = lower[i + j * m] = g[i + j * m];
      const want = c0.slice(), got = c0.slice();
      setRankUpdateKernel(kernel);
      try {
        gemmNTSub(m, n, m, full, 0, m, b, 0, n, want, 0, m);
        symmLowerNTSub(m, n, lower, m, b, 0, n, got, 0, m);
      } finally {
        setRankUpdateKernel('wasm');
      }
      assert.ok(got.every((v, i) => Object.is(v, want[i])), 'the same bits (a NaN would show a read of the upper triangle)');
    });
  }
}
