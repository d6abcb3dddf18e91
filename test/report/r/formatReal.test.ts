// R's format(), round(), zapsmall() and formatC() against R 4.2.2's own output
// (test/fixtures/r/rformat.json, made by test/fixtures/r/rformat.R): strings compared exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatG, formatReal, roundR, signifR, zapsmall } from '../../../src/report/r/formatReal.js';
import { R, rNumber } from './rformat.js';

test('formatReal(x, digits) prints each vector as R\'s format(x, digits) does', () => {
  for (const c of R.format) {
    const x = c.x.map(rNumber);
    assert.deepEqual(formatReal(x, 4), c.d4, `format(${JSON.stringify(c.x)}, digits = 4)`);
    assert.deepEqual(formatReal(x), c.d7, `format(${JSON.stringify(c.x)})`);
    assert.deepEqual(formatReal(x, 5), c.d5, `format(${JSON.stringify(c.x)}, digits = 5)`);
    assert.deepEqual(formatReal(x.map((v: number | null) => roundR(v, 3)), 7, 3), c.n3, `format(round(${JSON.stringify(c.x)}, 3), nsmall = 3)`);
  }
});

test('roundR(x, digits) rounds as R 4\'s round(): to the nearer candidate, ties to even, fractional digits rounded', () => {
  for (const c of R.round) assert.equal(roundR(c.x[0], c.digits[0]), c.value[0], `round(${c.x[0]}, ${c.digits[0]})`);
});

test('zapsmall(x, 5) rounds to 5 - log10(max |x|) decimals, as R 4.2', () => {
  for (const c of R.zapsmall) assert.deepEqual(zapsmall(c.x, 5), c.value, `zapsmall(${JSON.stringify(c.x)}, 5)`);
});

test('formatG(x, 4) is formatC(x, digits = 4)', () => {
  for (const c of R.formatC) assert.equal(formatG(c.x[0], 4), c.value[0], `formatC(${c.x[0]}, digits = 4)`);
});

test('formatReal(x) of -0 and of a negative rounded to zero drops the sign, as R does', () => {
  assert.deepEqual(formatReal([-0, 1.5]), ['0.0', '1.5']);
  assert.deepEqual(formatReal([roundR(-0.0004, 3), 0.5], 7, 3), ['0.000', '0.500']);
});

test('signifR(x, digits) keeps digits significant digits', () => {
  assert.equal(signifR(47.71478, 4), 47.71);
  assert.equal(signifR(-0.000123456, 2), -0.00012);
  assert.equal(signifR(0, 3), 0);
});
