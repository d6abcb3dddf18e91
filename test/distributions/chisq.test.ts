import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chisqQuantile, pchisq, pchisqUpper, qchisq } from '../../src/distributions/chisq.js';
import { pnormTwoSided } from '../../src/distributions/normal.js';
import { assertClose } from './close.js';
import { checkGrid, tailTolerance } from './rGrid.js';

test('pchisqUpper(x, 2) is exp(-x/2), far into the tail', () => {
  assertClose(pchisqUpper(3, 2), Math.exp(-1.5), 1e-14);
  assertClose(pchisqUpper(1000, 2), Math.exp(-500), 1e-12);
});

test('pchisqUpper(z^2, 1) equals the two-sided normal p-value', () => {
  assertClose(pchisqUpper(900, 1), pnormTwoSided(30), 1e-11);
  assertClose(pchisqUpper(3.84145882069412, 1), 0.05, 1e-12);
});

test('pchisqUpper(x, df) at its edges', () => {
  assert.equal(pchisqUpper(0, 3), 1);
  assert.equal(pchisqUpper(Infinity, 3), 0);
  assert.ok(Number.isNaN(pchisqUpper(1, 0)));
});

test('qchisq(p, df) at R values', () => {
  assertClose(qchisq(0.95, 1), 3.84145882069412, 1e-12);
  assertClose(qchisq(0.95, 3), 7.81472790325118, 1e-12);
});

test('pchisq(x, df) and pchisqUpper(x, df) match R for df 0.5 to 1e7 to 1e-13', () => {
  // r-grid.json (r-grid.R): x from df / 1000 to 10 df.
  checkGrid('pchisq', 2, pchisq, () => 1e-13);
  checkGrid('pchisqUpper', 2, pchisqUpper, () => 1e-13);
});

test('qchisq(p, df) and the upper quantile match R for p 1e-300 to 1 - 1e-10', () => {
  // r-grid.json: R's qchisq polished by Newton steps on R's pchisq (r-grid.R).
  // Tolerance: the tail's, tailTolerance(min(p, 1 - p)) (1e-13 to 1.5e-12; rGrid.ts).
  const tolerance = (_: number, [p]: number[]) => tailTolerance(Math.min(p, 1 - p));
  checkGrid('qchisq', 2, qchisq, tolerance);
  checkGrid('qchisqUpper', 2, (p, df) => chisqQuantile(p, df, true), tolerance);
});

test('qchisq(p, df) at its edges', () => {
  assert.equal(qchisq(0, 3), 0);
  assert.equal(qchisq(1, 3), Infinity);
  assert.equal(chisqQuantile(0, 3, true), Infinity);
  assert.equal(chisqQuantile(1, 3, true), 0);
  assert.ok(Number.isNaN(qchisq(-1, 3)));
  assert.ok(Number.isNaN(qchisq(0.5, 0)));
  // R 4.2.2: pchisq(5, Inf) = 0, qchisq(0.5, Inf) = Inf.
  assert.equal(pchisq(5, Infinity), 0);
  assert.equal(pchisqUpper(5, Infinity), 1);
  assert.equal(qchisq(0.5, Infinity), Infinity);
});
