import { test } from 'node:test';
import assert from 'node:assert/strict';
import { potriLower, invLowerTrans } from '../../src/linalg/potri.js';
import { potrf } from '../../src/linalg/potrf.js';
import { randomSpd, lowerOf } from './random.js';

for (const n of [1, 7, 130, 300]) {
  test(`potriLower(${n}, chol(A), ...) gives the lower triangle of A^{-1}`, () => {
    const a = randomSpd(n, n + 3);
    const l = a.slice();
    assert.equal(potrf(n, l, 0, n), 0);
    const w = new Float64Array(n * n).fill(7), x = new Float64Array(n * n);
    potriLower(n, lowerOf(n, l), 0, n, w, x);
    // A W = I, with W symmetric from its lower triangle; its strict upper triangle is not written.
    let worst = 0;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        if (i < j) assert.equal(w[i + j * n], 7);
        let s = 0;
        for (let t = 0; t < n; t++) s += a[i + t * n] * (t >= j ? w[t + j * n] : w[j + t * n]);
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    assert.ok(worst < 1e-10, `max |A W - I| = ${worst}`);
  });

  test(`invLowerTrans(${n}, L, ...) gives X = L^{-T}, upper triangular`, () => {
    const l = randomSpd(n, n + 5);
    assert.equal(potrf(n, l, 0, n), 0);
    const x = new Float64Array(n * n);
    invLowerTrans(n, l, 0, n, x);
    let worst = 0;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        // (X L')[i, j] = sum_c X[i, c] L[j, c]
        let s = 0;
        for (let c = 0; c <= j; c++) s += x[i + c * n] * l[j + c * n];
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
        if (i > j) assert.equal(x[i + j * n], 0);
      }
    }
    assert.ok(worst < 1e-10, `max |X L' - I| = ${worst}`);
  });
}
