import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dnorm, pnorm, pnormUpper, pnormTwoSided, qnorm } from '../../src/distributions/normal.js';
import { assertClose } from './close.js';
import { checkGrid } from './rGrid.js';

// Reference values from R 4.x: two-sided z-test p-values printed in
// test/fixtures/refs/glm_*.json, and qnorm / pnorm / dnorm at full precision.

test('pnormTwoSided(z) matches glm z-test p-values from R far into the tail', () => {
  assertClose(pnormTwoSided(-8.75673178108849), 2.00993178726359e-18, 1e-11);
  assertClose(pnormTwoSided(-18.7653410842401), 1.45063497824311e-78, 1e-11);
  assertClose(pnormTwoSided(-30.1969817496721), 2.5948746266627e-200, 1e-11);
  assertClose(pnormTwoSided(3.91030709565909), 9.21788518251354e-05, 1e-12);
});

test('pnormUpper(z) keeps relative accuracy where 1 - pnorm(z) is 0', () => {
  assertClose(pnormUpper(37.5), 4.605353009581e-308, 1e-11);
  assertClose(pnormUpper(10), 7.61985302416047e-24, 1e-12);
  assert.equal(1 - pnorm(10), 0);
});

test('pnorm(z) and dnorm(x) at textbook points', () => {
  assertClose(pnorm(-1.96), 0.0249978951482204, 1e-13);
  assertClose(pnorm(0), 0.5, 1e-15);
  assertClose(dnorm(0), 0.398942280401433, 1e-14);
  assertClose(dnorm(1), 0.241970724519143, 1e-14);
});

test('qnorm(p) inverts pnorm to full precision, also below p = 1e-17', () => {
  assertClose(qnorm(0.975), 1.95996398454005, 1e-14);
  assertClose(qnorm(1e-10), -6.36134090240406, 1e-13);
  assertClose(qnorm(1e-300), -37.0470962993612, 1e-12);
  for (const p of [1e-20, 1e-100, 1e-250, 0.3, 0.7]) assertClose(pnorm(qnorm(p)), p, 1e-12, `p=${p}`);
});

test('qnorm(p) at the edges: 0, 1 and outside [0, 1]', () => {
  assert.equal(qnorm(0), -Infinity);
  assert.equal(qnorm(1), Infinity);
  assert.equal(qnorm(0.5), 0);
  assert.ok(Number.isNaN(qnorm(1.5)));
  assert.ok(Number.isNaN(qnorm(NaN)));
});

test('pnorm(z), pnormUpper(z) and qnorm(p) match R on grids into both tails to 1e-15', () => {
  // r-grid.json (r-grid.R): z from -37.5 to 10, p from 1e-300 to 1 - 1e-6.
  checkGrid('pnorm', 1, pnorm, () => 1e-15);
  checkGrid('pnormUpper', 1, pnormUpper, () => 1e-15);
  checkGrid('qnorm', 1, qnorm, () => 1e-15);
});

test('pnormUpper(z) underflows to 0 beyond 37.5193, as R', () => {
  assert.equal(pnormUpper(38), 0);
  assert.equal(pnorm(-38), 0);
  assert.equal(pnorm(38), 1);
  assert.ok(Number.isNaN(pnorm(NaN)));
});
