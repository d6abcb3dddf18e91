// formatReal(xs, digits) and formatFixed(xs, d) against R 4.2.2's format(xs, digits = ...) (unpadded).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, formatReal } from '../../src/report/rFormat.js';

test('formatReal(xs, digits) gives R format()\'s common decimals', () => {
  assert.deepEqual(formatReal([1.477778, 1.522222, 0.044444], 3), ['1.4778', '1.5222', '0.0444']);
  assert.deepEqual(formatReal([2.696418, 3.090139, 4.85372, 1.146016], 3), ['2.70', '3.09', '4.85', '1.15']);
  assert.deepEqual(formatReal([-0.5, 2], 3), ['-0.5', '2.0']);
  assert.deepEqual(formatReal([0, 42], 3), ['0', '42']);
  assert.deepEqual(formatReal([99.96, 1], 3), ['100', '1']);
});

test('formatReal(xs, digits) switches to scientific notation when R does', () => {
  assert.deepEqual(formatReal([1e-10, 1], 3), ['1e-10', '1e+00']);
  assert.deepEqual(formatReal([123456789, 1.5], 3), ['1.23e+08', '1.50e+00']);
  assert.deepEqual(formatReal([1234567, 0.001234], 4), ['1.235e+06', '1.234e-03']);
  assert.deepEqual(formatReal([6.442e-6], 4), ['6.442e-06']);
});

test('formatReal and formatFixed print non-finite values as R', () => {
  assert.deepEqual(formatReal([Infinity, 2.5, NaN], 3), ['Inf', '2.5', 'NaN']);
  assert.deepEqual(formatFixed([0.60164, 19.07, -0.0001], 3), ['0.602', '19.070', '0.000']);
});
