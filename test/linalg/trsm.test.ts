import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trsmRightLowerTrans, trsmLeftLower, trsmLeftLowerTrans } from '../../src/linalg/trsm.js';
import { potrf } from '../../src/linalg/potrf.js';
import { randomSpd, randomMatrix, lowerOf, mulNT, maxAbsDiff } from './random.js';

function factor(n: number, seed: number): Float64Array {
  const a = randomSpd(n, seed);
  assert.equal(potrf(n, a, 0, n), 0);
  return lowerOf(n, a);
}

function transpose(m: number, n: number, a: Float64Array): Float64Array {
  const t = new Float64Array(m * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) t[j + i * n] = a[i + j * m];
  return t;
}

for (const [m, n] of [[5, 3], [40, 150], [300, 70], [2, 150], [3, 131]]) {
  test(`trsmRightLowerTrans(${m}, ${n}, L, ..., B) gives X with X L' = B`, () => {
    const l = factor(n, m), b = randomMatrix(m, n, 9);
    const x = b.slice();
    trsmRightLowerTrans(m, n, l, 0, n, x, 0, m);
    assert.ok(maxAbsDiff(mulNT(m, n, n, x, l), b) < 1e-10);
  });

  test(`trsmLeftLower(${n}, ${m}, L, ..., B) gives X with L X = B`, () => {
    const l = factor(n, m + 1), b = randomMatrix(n, m, 10);
    const x = b.slice();
    trsmLeftLower(n, m, l, 0, n, x, 0, n);
    assert.ok(maxAbsDiff(mulNT(n, m, n, l, transpose(n, m, x)), b) < 1e-10);
  });

  test(`trsmLeftLowerTrans(${n}, ${m}, L, ..., B) gives X with L' X = B`, () => {
    const l = factor(n, m + 2), b = randomMatrix(n, m, 11);
    const x = b.slice();
    trsmLeftLowerTrans(n, m, l, 0, n, x, 0, n);
    assert.ok(maxAbsDiff(mulNT(n, m, n, transpose(n, n, l), transpose(n, m, x)), b) < 1e-10);
  });
}
