import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pfUpper, qf } from '../../src/distributions/f.js';
import { ptTwoSided } from '../../src/distributions/t.js';
import { assertClose } from './close.js';
import { checkGrid, tailTolerance } from './rGrid.js';

// Reference values: the F-statistic lines of R's summary.lm for the
// fixtures in test/fixtures/refs (p-value of F on 1 df = the t-test p-value).

test('pfUpper(f, 1, df2) equals the two-sided t p-value of sqrt(f)', () => {
  assertClose(pfUpper(5.45580128691866, 1, 58), 0.0229826348860963, 1e-11);
  assertClose(pfUpper(48.9351329306409 ** 2, 1, 58), ptTwoSided(48.9351329306409, 58), 1e-10);
});

test('pfUpper(f, df1, df2) far in the tail and at its edges', () => {
  // With df1 = 2 the upper tail has the closed form (1 + 2 f / df2)^(-df2 / 2).
  assertClose(pfUpper(415.737522930484, 2, 56), (1 + (2 * 415.737522930484) / 56) ** -28, 1e-12);
  assertClose(pfUpper(0.3, 2, 7), (1 + 0.6 / 7) ** -3.5, 1e-13);
  assert.equal(pfUpper(0, 3, 5), 1);
  assert.equal(pfUpper(Infinity, 3, 5), 0);
  assert.ok(Number.isNaN(pfUpper(1, -1, 5)));
});

test('qf(p, df1, df2) at R values and round trip', () => {
  assertClose(qf(0.95, 2, 10), 4.10282101513040, 1e-12);
  assertClose(pfUpper(qf(0.99, 4, 30), 4, 30), 0.01, 1e-10);
});

test('pfUpper(f, df1, df2) matches R for df 0.5 to 1e7 and f 1e-6 to 1e4', () => {
  // r-grid.json "pfUpper" (r-grid.R). Tolerance tailTolerance (rGrid.ts): 1e-13 plus 2e-15 per
  // unit of |log p|; with both df at 1e7 near the mean 1e-12, where the continued fraction's
  // terms nearly cancel (Temme's uniform expansion would do better; not needed for F tests,
  // whose df1 is small).
  checkGrid('pfUpper', 3, pfUpper, (p, [, df1, df2]) => (Math.min(df1, df2) > 1e6 ? 1e-12 : tailTolerance(p)));
});

test('qf(p, df1, df2) matches R for p 1e-300 to 1 - 1e-10 and df 0.5 to 1e7', () => {
  // r-grid.json "qf": R's qf polished by Newton steps on R's pf (r-grid.R); R's own qf is the
  // chi-square limit for df above 4e5 and loses up to 1e-3 in far tails with small df.
  // Tolerance: the tail's, tailTolerance(min(p, 1 - p)) (1e-13 to 1.5e-12; rGrid.ts).
  checkGrid('qf', 3, qf, (_, [p]) => tailTolerance(Math.min(p, 1 - p)));
});

test('pfUpper and qf with an infinite df are chi-square limits, as R', () => {
  // R 4.2.2: pf(2, 3, Inf, lower = FALSE), pf(2, Inf, 5, lower = FALSE), qf(0.95, 3, Inf), qf(0.95, Inf, 5).
  assertClose(pfUpper(2, 3, Infinity), 0.11161022509471258, 1e-14);
  assertClose(pfUpper(2, Infinity, 5), 0.22350492887667725, 1e-14);
  assertClose(qf(0.95, 3, Infinity), 2.6049093010837265, 1e-14);
  assertClose(qf(0.95, Infinity, 5), 4.3649967465412729, 1e-14);
  assert.equal(pfUpper(2, Infinity, Infinity), 0);
  assert.equal(qf(0.3, Infinity, Infinity), 1);
});

test('qf(p, df1, df2) at its edges', () => {
  assert.equal(qf(0, 3, 5), 0);
  assert.equal(qf(1, 3, 5), Infinity);
  assert.ok(Number.isNaN(qf(1.5, 3, 5)));
  assert.ok(Number.isNaN(qf(0.5, 3, -1)));
});
