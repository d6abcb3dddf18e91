// Exact decimal rounding as glibc's printf (ties to even on the exact binary value).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimalExponent, exponentialC, fixedC } from '../../../src/report/r/decimal.js';

test('fixedC(x, d) rounds the exact binary value, ties to even (sprintf("%.*f"))', () => {
  assert.equal(fixedC(0.125, 2), '0.12'); // an exact tie: to even
  assert.equal(fixedC(0.375, 2), '0.38');
  assert.equal(fixedC(2.675, 2), '2.67'); // 2.67499999999999982236431605997495353221893310546875
  assert.equal(fixedC(1.005, 2), '1.00');
  assert.equal(fixedC(2.5, 0), '2');
  assert.equal(fixedC(-0.0001, 3), '-0.000');
  assert.equal(fixedC(123456789.125, 2), '123456789.12');
  assert.equal(fixedC(1e21, 1), '1000000000000000000000.0');
  assert.equal(fixedC(5e-324, 3), '0.000');
});

test('exponentialC(x, d) is sprintf("%.*e"): two exponent digits at least, carries into the exponent', () => {
  assert.equal(exponentialC(1.47e-9, 2), '1.47e-09');
  assert.equal(exponentialC(9.9996, 3), '1.000e+01');
  assert.equal(exponentialC(-2.5e-300, 1), '-2.5e-300');
  assert.equal(exponentialC(0, 2), '0.00e+00');
  assert.equal(exponentialC(1.25e5, 1), '1.2e+05');
});

test('decimalExponent(x) is exact at powers of ten', () => {
  assert.equal(decimalExponent(1000), 3);
  assert.equal(decimalExponent(999.9999999999999), 2);
  assert.equal(decimalExponent(0.001), -3);
  assert.equal(decimalExponent(5e-324), -324);
});
