import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invertTail } from '../../src/distributions/tailQuantile.js';
import { assertClose } from './close.js';

test('invertTail(tail, logp, false, starts) inverts an exponential upper tail from a poor start', () => {
  // T(x) = exp(-x): log T = -x, d log T / d log x = -x; the root is -log p.
  const tail = (x: number) => ({ logTail: -x, slope: -x });
  assertClose(invertTail(tail, Math.log(1e-300), false, [1]), -Math.log(1e-300), 1e-15);
  assertClose(invertTail(tail, Math.log(0.3), false, [1e6]), -Math.log(0.3), 1e-15);
});

test('invertTail(tail, logp, true, starts) inverts a power-law lower tail and skips unusable starts', () => {
  // T(x) = x^2.5 near 0: the root is p^(1 / 2.5) (log p = -460.5 carries its rounding, 5e-14 relatively, into x).
  const tail = (x: number) => ({ logTail: 2.5 * Math.log(x), slope: 2.5 });
  assertClose(invertTail(tail, Math.log(1e-200), true, [NaN, -1, 0.5]), 1e-80, 1e-13);
  assert.ok(Number.isNaN(invertTail(tail, Math.log(0.1), true, [0, Infinity])));
});
