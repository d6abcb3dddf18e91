import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dbinomLog, dgammaLog, dpoisLog } from '../../src/glm/logDensity.js';
import { assertClose } from '../distributions/close.js';

test('dbinomLog(x, size, p) matches the binomial formula and its edge cases', () => {
  assertClose(dbinomLog(3, 10, 0.3), Math.log(120 * 0.3 ** 3 * 0.7 ** 7), 1e-14);
  assertClose(dbinomLog(0, 5, 0.2), 5 * Math.log(0.8), 1e-15);
  assertClose(dbinomLog(5, 5, 0.2), 5 * Math.log(0.2), 1e-15);
  assert.equal(dbinomLog(0, 5, 0), 0);
  assert.equal(dbinomLog(1, 5, 0), -Infinity);
  assert.equal(dbinomLog(6, 5, 0.5), -Infinity);
});

test('dpoisLog(x, lambda) is -Infinity off the integers, as R', () => {
  assertClose(dpoisLog(3, 2), 3 * Math.log(2) - 2 - Math.log(6), 1e-15);
  assertClose(dpoisLog(0, 2.5), -2.5, 1e-15);
  assert.equal(dpoisLog(2.5, 1), -Infinity);
  assert.equal(dpoisLog(0, 0), 0);
});

test('dgammaLog(x, shape, scale) at shape 1 is the exponential density', () => {
  assertClose(dgammaLog(2, 1, 0.5), Math.log(2 * Math.exp(-4)), 1e-15);
  // shape 3, scale 2 at x = 4: x^2 e^(-2) / (Gamma(3) 2^3) = 16 e^-2 / 16.
  assertClose(dgammaLog(4, 3, 2), -2, 1e-14);
});
