import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pt, ptTwoSided, ptUpper, qt } from '../../src/distributions/t.js';
import { pnormTwoSided, qnorm } from '../../src/distributions/normal.js';
import { assertClose } from './close.js';
import { checkGrid, tailTolerance } from './rGrid.js';

// Reference p-values from R's summary.lm, in test/fixtures/refs/lm_*.json.

test('ptTwoSided(t, df) matches lm t-test p-values from R far into the tail', () => {
  assertClose(ptTwoSided(48.9351329306409, 58), 7.30079386587152e-49, 1e-10);
  assertClose(ptTwoSided(-2.33576567465973, 58), 0.0229826348860963, 1e-12);
  assertClose(ptTwoSided(180.100177888997, 56), 4.4234953049429e-79, 1e-10);
  assertClose(ptTwoSided(88.8970525741991, 372), 1.11048968400612e-252, 1e-9);
  assertClose(ptTwoSided(188.038713134765, 177), 9.78044925829794e-206, 1e-9);
  assertClose(ptTwoSided(0.0307957312484819, 264), 0.975455713129108, 1e-12);
});

test('ptUpper(t, df) and pt(t, df) are complementary and symmetric', () => {
  assertClose(ptUpper(2, 5) + pt(2, 5), 1, 1e-15);
  assertClose(ptUpper(-2, 5), pt(2, 5), 1e-15);
  assertClose(ptUpper(0, 7), 0.5, 1e-15);
  assertClose(pt(-2, 5), 0.0509697394149292, 1e-12);
});

test('ptTwoSided(t, Infinity) is the normal p-value', () => {
  assert.equal(ptTwoSided(3, Infinity), pnormTwoSided(3));
  assertClose(ptTwoSided(3, 1e7), pnormTwoSided(3), 1e-5);
});

test('ptTwoSided(t, df) for bad input', () => {
  assert.ok(Number.isNaN(ptTwoSided(NaN, 3)));
  assert.ok(Number.isNaN(ptTwoSided(1, 0)));
  assert.equal(ptTwoSided(Infinity, 3), 0);
});

test('qt(p, df) at R values and round trip', () => {
  assertClose(qt(0.975, 10), 2.22813885198627, 1e-12);
  assertClose(qt(0.975, 58), 2.00171748414524, 1e-12);
  assertClose(qt(0.975, Infinity), 1.95996398454005, 1e-13);
  assertClose(ptUpper(-qt(1e-12, 5), 5), 1e-12, 1e-8);
});

test('ptTwoSided(t, df) matches R for df 0.5 to 1e7 and t 1e-8 to 1e3 to 1e-13', () => {
  // r-grid.json "ptTwoSided" (r-grid.R): R's pbeta at the accurate one of x and 1 - x.
  checkGrid('ptTwoSided', 2, ptTwoSided, () => 1e-13);
});

test('qt(p, df) matches R for p 1e-300 to 0.999 and df 0.5 to 1e5', () => {
  // r-grid.json "qt": R's qt polished by Newton steps on R's pt (r-grid.R), -Infinity where R overflows.
  // Tolerance: the tail's, tailTolerance(min(p, 1 - p)) (1e-13 to 1.5e-12; rGrid.ts).
  checkGrid('qt', 2, qt, (_, [p]) => tailTolerance(Math.min(p, 1 - p)));
});

test('qt(p, df) inverts ptUpper for df = 1e7, where R\'s pt is an approximation', () => {
  for (const p of [1e-200, 1e-20, 1e-5, 0.025, 0.3]) assertClose(pt(qt(p, 1e7), 1e7), p, tailTolerance(p), `p=${p}`);
});

test('qt(p, df) at its edges', () => {
  assert.equal(qt(0, 3), -Infinity);
  assert.equal(qt(1, 3), Infinity);
  assert.equal(qt(0.5, 3), 0);
  assert.equal(qt(0.3, Infinity), qnorm(0.3));
  assert.ok(Number.isNaN(qt(-0.1, 3)));
  assert.ok(Number.isNaN(qt(NaN, 3)));
  assert.ok(Number.isNaN(qt(0.3, 0)));
});
