// The indicator-block solver against the dense pivoted QR (R's dqrdc2 emulation) on the same
// weighted problems: coefficients and (X'WX)^-1 within 1e-9 relative, and a refusal where R would
// drop a column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findOneHotBlock, oneHotLeastSquares } from '../../src/linalg/oneHotLeastSquares.js';
import { qrCoef, qrDecompose, qrUnscaledCov } from '../../src/linalg/qr.js';

/** Intercept, a numeric column, then k - 1 treatment-coded indicators of a factor with k levels (3 rows each). */
function design(k: number) {
  const n = 3 * k, p = 2 + (k - 1);
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    X[i] = 1;
    X[n + i] = Math.sin(i * 1.7) + (i % 3);
    const level = Math.floor(i / 3);
    if (level > 0) X[(1 + level) * n + i] = 1;
  }
  const z = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.9) + 0.1 * i);
  const w = Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 5) / 4);
  return { X, n, p, z, w };
}

test('oneHotLeastSquares(X, n, p, block, z, w, tol) equals the dense QR solution and covariance', () => {
  const { X, n, p, z, w } = design(40);
  const block = findOneHotBlock(X, n, p)!;
  assert.equal(block.cols.length, 39);
  assert.deepEqual([...block.rest], [0, 1]);
  const fast = oneHotLeastSquares(X, n, p, block, z, w, 1e-7)!;
  assert.ok(fast !== null);
  const sw = w.map(Math.sqrt);
  const Xw = X.map((v, k) => v * sw[k % n]);
  const zw = z.map((v, i) => v * sw[i]);
  const qr = qrDecompose(Xw, n, p, 1e-7);
  const coef = qrCoef(qr, zw);
  const cov = qrUnscaledCov(qr);
  const fcov = fast.unscaledCov();
  for (let j = 0; j < p; j++) assert.ok(Math.abs(fast.coef[j] - coef[j]) <= 1e-9 * Math.max(1, Math.abs(coef[j])), `coef ${j}`);
  for (let k = 0; k < p * p; k++) assert.ok(Math.abs(fcov[k] - cov[k]) <= 1e-9 * Math.max(1e-3, Math.abs(cov[k])), `cov ${k}`);
});

test('oneHotLeastSquares() refuses when a column is aliased (a full set of indicators with an intercept)', () => {
  const { X, n, p, z } = design(30);
  const full = new Float64Array(n * (p + 1));
  full.set(X);
  for (let i = 0; i < 3; i++) full[p * n + i] = 1;
  const block = findOneHotBlock(full, n, p + 1)!;
  assert.equal(oneHotLeastSquares(full, n, p + 1, block, z, null, 1e-7), null);
});

test('findOneHotBlock(X, n, p) needs at least 16 disjoint indicator columns', () => {
  const { X, n, p } = design(10);
  assert.equal(findOneHotBlock(X, n, p), null);
});
