import { test } from 'node:test';
import assert from 'node:assert/strict';
import { incompleteGamma } from '../../../src/distributions/special/incompleteGamma.js';
import { assertClose } from '../close.js';

test('incompleteGamma(a, x, upper) matches R\'s pgamma to 1e-13', () => {
  // R 4.2.2: pgamma(3, 2.5), pgamma(120, 100, lower = FALSE), pgamma(1e-3, 0.25),
  // pgamma(5e6 - 3e3, 5e6) (the series near the mean with a = 5e6).
  assertClose(incompleteGamma(2.5, 3, false), 0.69378108158672158, 1e-13);
  assertClose(incompleteGamma(100, 120, true), 0.027863739890520652, 1e-13);
  assertClose(incompleteGamma(0.25, 1e-3, false), 0.19615169838272656, 1e-13);
  assertClose(incompleteGamma(5e6, 5e6 - 3e3, false), 0.08983689173972137, 1e-13);
});

test('incompleteGamma(1, x, upper) is exp(-x) into the far tail', () => {
  assertClose(incompleteGamma(1, 700, true), Math.exp(-700), 1e-13);
  assertClose(incompleteGamma(1, 0.25, false), -Math.expm1(-0.25), 1e-15);
});

test('incompleteGamma(a, x, upper) at x = 0 and Infinity', () => {
  assert.equal(incompleteGamma(2, 0, false), 0);
  assert.equal(incompleteGamma(2, 0, true), 1);
  assert.equal(incompleteGamma(2, Infinity, true), 0);
});
