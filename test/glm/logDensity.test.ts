import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dbinomLog, dgammaLog, dpoisLog, integerLgamma } from '../../src/glm/logDensity.js';
import { lgamma } from '../../src/distributions/special/lgamma.js';
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

test('dgammaLog(x, shape, scale) keeps R\'s accuracy at large shapes (small dispersions) and below shape 1', () => {
  // R 4.2: dgamma(x, shape, scale = scale, log = TRUE).
  const cases: [number, number, number, number][] = [
    [300, 1904.2, 0.16, -3.0730556107741203],
    [1e4, 1e6, 0.01, -3.2215237095320521],
    [2.5, 0.3, 3, -2.9001185270637504],
    [24.3, 600, 0.04, -0.95757694568483886],
    [0.5, 14.9, 0.2, -13.078252916732421],
  ];
  // The textbook form (a - 1) log x - x / s - lgamma(a) - a log s is off by 7e-14 at shape 1904 and 2e-9 at 1e6.
  for (const [x, a, s, want] of cases) assertClose(dgammaLog(x, a, s), want, 2e-15);
});

test('integerLgamma()(x) is lgamma(x) to the bit, at whole arguments (kept) and others', () => {
  const lg = integerLgamma();
  for (const x of [1, 2, 3, 11, 46, 63, 64, 65, 1000, 65536, 65537, 2.5, 1e7]) {
    // Twice: computed, then read back from what was kept.
    assert.equal(lg(x), lgamma(x), `x = ${x}`);
    assert.equal(lg(x), lgamma(x), `x = ${x} again`);
  }
  assert.equal(dbinomLog(7, 45, 0.2, lg), dbinomLog(7, 45, 0.2));
});
