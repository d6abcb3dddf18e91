import { test } from 'node:test';
import assert from 'node:assert/strict';
import { qrAliased, qrCoef, qrDecompose, qrQty, qrQy, qrRInverse, qrUnscaledCov } from '../../src/linalg/qr.js';

/** Column-major n x p matrix from rows. */
function fromRows(rows: number[][]): { X: Float64Array; n: number; p: number } {
  const n = rows.length;
  const p = rows[0].length;
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) X[j * n + i] = rows[i][j];
  return { X, n, p };
}

/** Deterministic pseudo-random numbers in (-1, 1). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (2 * s) / 2147483648 - 1;
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('qrDecompose(X, n, p) reproduces X as Q R for a full-rank matrix', () => {
  const rnd = lcg(7);
  const n = 9;
  const p = 4;
  const X = Float64Array.from({ length: n * p }, rnd);
  const qr = qrDecompose(X, n, p);
  assert.equal(qr.rank, 4);
  assert.deepEqual(Array.from(qr.pivot), [0, 1, 2, 3]);
  for (let j = 0; j < p; j++) {
    const r = new Float64Array(n);
    for (let i = 0; i <= j; i++) r[i] = qr.qr[j * n + i];
    const col = qrQy(qr, r);
    assert.ok(maxAbsDiff(col, X.subarray(j * n, j * n + n)) < 1e-14, `column ${j}`);
  }
});

test('qrQty(qr, y) is orthogonal: it keeps the norm and qrQy undoes it', () => {
  const rnd = lcg(3);
  const n = 12;
  const X = Float64Array.from({ length: n * 3 }, rnd);
  const y = Float64Array.from({ length: n }, rnd);
  const qr = qrDecompose(X, n, 3);
  const e = qrQty(qr, y);
  const norm = (v: Float64Array) => Math.hypot(...v);
  assert.ok(Math.abs(norm(e) - norm(y)) < 1e-14);
  assert.ok(maxAbsDiff(qrQy(qr, e), y) < 1e-14);
});

test('qrCoef(qr, y) solves the normal equations', () => {
  const { X, n, p } = fromRows([[1, 0.5], [1, 1.5], [1, 2], [1, 3.5], [1, 4]]);
  const y = Float64Array.from([1, 2.1, 2.9, 4.2, 5.1]);
  const b = qrCoef(qrDecompose(X, n, p), y);
  // Simple regression by hand: slope = Sxy / Sxx, intercept = ybar - slope xbar.
  const x = [0.5, 1.5, 2, 3.5, 4];
  const xbar = x.reduce((s, v) => s + v) / n;
  const ybar = y.reduce((s, v) => s + v) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - xbar) * (y[i] - ybar);
    sxx += (x[i] - xbar) ** 2;
  }
  assert.ok(Math.abs(b[1] - sxy / sxx) < 1e-14);
  assert.ok(Math.abs(b[0] - (ybar - (sxy / sxx) * xbar)) < 1e-14);
});

test('qrDecompose(X, n, p) moves a linearly dependent column to the end (dqrdc2 pivoting)', () => {
  const rows = [0, 1, 2, 3, 4, 5].map((i) => [1, i, 2 * i + 1, (i * i) % 3]);
  const { X, n, p } = fromRows(rows);
  const qr = qrDecompose(X, n, p);
  assert.equal(qr.rank, 3);
  assert.deepEqual(Array.from(qr.pivot), [0, 1, 3, 2]);
  assert.deepEqual(qrAliased(qr), [2]);
  const y = Float64Array.from([3, 1, 4, 1, 5, 9]);
  const b = qrCoef(qr, y);
  assert.equal(b[2], 0);
  const full = qrCoef(qrDecompose(fromRows(rows.map((r) => [r[0], r[1], r[3]])).X, n, 3), y);
  assert.ok(maxAbsDiff([b[0], b[1], b[3]], full) < 1e-12);
});

test('qrDecompose(X, n, p) treats a zero column as aliased and caps the rank at n', () => {
  const zero = fromRows([[1, 0, 2], [1, 0, 3]]);
  const qr = qrDecompose(zero.X, 2, 3);
  assert.deepEqual(qrAliased(qr), [1]);
  assert.equal(qr.rank, 2);
  const wide = fromRows([[1, 2, 3, 4], [1, 5, 7, 1]]);
  assert.equal(qrDecompose(wide.X, 2, 4).rank, 2);
});

test('qrUnscaledCov(qr) is the inverse of X\'X', () => {
  const rnd = lcg(11);
  const n = 8;
  const p = 3;
  const X = Float64Array.from({ length: n * p }, rnd);
  const cov = qrUnscaledCov(qrDecompose(X, n, p));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) {
        let xtx = 0;
        for (let r = 0; r < n; r++) xtx += X[i * n + r] * X[k * n + r];
        s += xtx * cov[j * p + k];
      }
      assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-12, `(${i}, ${j})`);
    }
  }
});

test('qrRInverse(qr) inverts the triangular factor', () => {
  const { X, n, p } = fromRows([[2, 1], [0, 3], [1, 1]]);
  const qr = qrDecompose(X, n, p);
  const inv = qrRInverse(qr);
  const r00 = qr.qr[0];
  const r01 = qr.qr[n];
  const r11 = qr.qr[n + 1];
  assert.ok(Math.abs(inv[0] * r00 - 1) < 1e-15);
  assert.ok(Math.abs(inv[3] * r11 - 1) < 1e-15);
  assert.ok(Math.abs(r00 * inv[2] + r01 * inv[3]) < 1e-15);
});

test('qrDecompose(X, n, p) rejects a matrix of the wrong size', () => {
  assert.throws(() => qrDecompose(new Float64Array(5), 2, 3), RangeError);
});
