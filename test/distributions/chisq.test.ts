import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pchisqUpper, qchisq } from '../../src/distributions/chisq.js';
import { pnormTwoSided } from '../../src/distributions/normal.js';
import { assertClose } from './close.js';

test('pchisqUpper(x, 2) is exp(-x/2), far into the tail', () => {
  assertClose(pchisqUpper(3, 2), Math.exp(-1.5), 1e-14);
  assertClose(pchisqUpper(1000, 2), Math.exp(-500), 1e-12);
});

test('pchisqUpper(z^2, 1) equals the two-sided normal p-value', () => {
  assertClose(pchisqUpper(900, 1), pnormTwoSided(30), 1e-11);
  assertClose(pchisqUpper(3.84145882069412, 1), 0.05, 1e-12);
});

test('pchisqUpper(x, df) at its edges', () => {
  assert.equal(pchisqUpper(0, 3), 1);
  assert.equal(pchisqUpper(Infinity, 3), 0);
  assert.ok(Number.isNaN(pchisqUpper(1, 0)));
});

test('qchisq(p, df) at R values', () => {
  assertClose(qchisq(0.95, 1), 3.84145882069412, 1e-12);
  assertClose(qchisq(0.95, 3), 7.81472790325118, 1e-12);
});
