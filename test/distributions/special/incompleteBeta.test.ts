import { test } from 'node:test';
import assert from 'node:assert/strict';
import { betaPoint } from '../../../src/distributions/special/betaKernel.js';
import { incompleteBeta } from '../../../src/distributions/special/incompleteBeta.js';
import { assertClose } from '../close.js';

/** The BetaPoint of x in (0, 1) (odds x / (1 - x)). */
function at(x: number) {
  return betaPoint(x / (1 - x), Math.log(x) - Math.log1p(-x));
}

test('incompleteBeta(point, a, b, upper) matches R\'s pbeta on both sides of the mean to 1e-13', () => {
  // R 4.2.2: pbeta(0.3, 2.5, 4), pbeta(0.999, 2e4, 3.5) (x near 1, large a: the fraction in y),
  // pbeta(0.5, 1e3, 1e3 + 30), pbeta(1e-5, 0.5, 1e5, lower = FALSE).
  assertClose(incompleteBeta(at(0.3), 2.5, 4, false), 0.35219758590676714, 1e-13);
  assertClose(incompleteBeta(betaPoint(999, Math.log(999)), 2e4, 3.5, false), 1.2463623904749707e-6, 1e-13);
  assertClose(incompleteBeta(at(0.5), 1e3, 1e3 + 30, false), 0.74729252080086184, 1e-13);
  assertClose(incompleteBeta(at(1e-5), 0.5, 1e5, true), 0.15729868816148121, 1e-13);
});

test('incompleteBeta(point, a, b, upper) is I_x(a, b) = 1 - I_{1-x}(b, a)', () => {
  for (const [x, a, b] of [[0.2, 3, 7], [0.9, 0.5, 40], [0.6, 12, 9]]) {
    const lower = incompleteBeta(at(x), a, b, false);
    assertClose(lower, incompleteBeta(at(1 - x), b, a, true), 1e-14, `x=${x}`);
    assertClose(lower + incompleteBeta(at(x), a, b, true), 1, 1e-15, `x=${x}`);
  }
});

test('incompleteBeta(point, a, b, upper) at x = 0 and x = 1', () => {
  assert.equal(incompleteBeta(betaPoint(0, -Infinity), 2, 3, false), 0);
  assert.equal(incompleteBeta(betaPoint(Infinity, Infinity), 2, 3, false), 1);
  assert.equal(incompleteBeta(betaPoint(Infinity, Infinity), 2, 3, true), 0);
});
