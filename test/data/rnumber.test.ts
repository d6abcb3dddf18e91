import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNumber } from '../../src/data/rnumber.js';

// Expected strings are R 4.2's as.character() of the same numbers (integers as R prints integer columns).
test('formatNumber(x) prints integers in full', () => {
  assert.equal(formatNumber(308), '308');
  assert.equal(formatNumber(100000), '100000');
  assert.equal(formatNumber(-0), '0');
  assert.equal(formatNumber(-12), '-12');
});

test('formatNumber(x) uses at most 15 significant digits', () => {
  assert.equal(formatNumber(2.5), '2.5');
  assert.equal(formatNumber(0.1 + 0.2), '0.3');
  assert.equal(formatNumber(1 / 3), '0.333333333333333');
  assert.equal(formatNumber(-2 / 3), '-0.666666666666667');
  assert.equal(formatNumber(123456.7), '123456.7');
});

test('formatNumber(x) picks scientific notation only when it is narrower', () => {
  assert.equal(formatNumber(0.001), '0.001');
  assert.equal(formatNumber(0.0001), '1e-04');
  assert.equal(formatNumber(1.5e-10), '1.5e-10');
  assert.equal(formatNumber(1e15), '1e+15');
  assert.equal(formatNumber(1.25e20), '1.25e+20');
});

test('formatNumber(x) prints NaN and infinities as R does', () => {
  assert.equal(formatNumber(NaN), 'NA');
  assert.equal(formatNumber(Infinity), 'Inf');
  assert.equal(formatNumber(-Infinity), '-Inf');
});

test('formatNumber(x) of 1e15 and more is as.character() in R 4.2: every digit of a whole number printed fixed, 15 digits otherwise', () => {
  // R 4.2.2: as.character(c(2^60, 2^60 + 1024, 1e15 + 1, 1234567890123456, 123456789012345678, 1e20 + 2^24, 2^53 + 2, 1e23, -2^60))
  const cases: [number, string][] = [
    [2 ** 60, '1152921504606846976'], [2 ** 60 + 1024, '1152921504606848000'], [1e15 + 1, '1e+15'], [1e15 + 0.5, '1e+15'],
    [1234567890123456, '1234567890123456'], [123456789012345678, '123456789012345680'], [1e20 + 2 ** 24, '1.00000000000017e+20'],
    [2 ** 53 + 2, '9007199254740994'], [1e23, '1e+23'], [12345678901234567890123, '1.23456789012346e+22'], [-(2 ** 60), '-1152921504606846976'],
  ];
  for (const [x, r] of cases) assert.equal(formatNumber(x), r, String(x));
});
