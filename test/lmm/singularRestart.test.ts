import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmmProblem } from '../../src/lmm/problem.js';
import { liftedFactor, restartPoint, RESTART_PIVOT } from '../../src/lmm/singularRestart.js';
import { cases } from './helpers.js';

/** T T' for a k x k lower triangle (column-major). */
function sigma(k: number, T: ArrayLike<number>): number[] {
  const S: number[] = [];
  for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) {
    let s = 0;
    for (let x = 0; x < k; x++) s += T[r + x * k] * T[c + x * k];
    S.push(s);
  }
  return S;
}

test('liftedFactor(2, [0, -c, 0, b]) moves the slope variance onto the diagonal and lifts the zero pivot', () => {
  const c = 0.1, b = 0.002;
  const L = liftedFactor(2, Float64Array.from([0, -c, 0, b]));
  assert.equal(L[0], RESTART_PIVOT);
  assert.equal(L[1], 0);
  assert.ok(Math.abs(L[3] - Math.hypot(c, b)) < 1e-15);
});

test('liftedFactor(k, T) keeps T T\' when no pivot is near 0 (to 1e-14)', () => {
  const T = Float64Array.from([1.5, 0.3, -0.2, 0, 0.8, 0.4, 0, 0, 0.6]);
  const L = liftedFactor(3, T);
  sigma(3, L).forEach((v, e) => assert.ok(Math.abs(v - sigma(3, T)[e]) < 1e-14));
});

test('liftedFactor(3, T) with a zero middle pivot keeps the other rows\' covariance with the first', () => {
  const T = Float64Array.from([2, 0.5, 1, 0, 0, 0.7, 0, 0, 0.3]);
  const L = liftedFactor(3, T), S = sigma(3, T);
  assert.equal(L[4], RESTART_PIVOT);
  assert.equal(L[5], 0);
  assert.ok(Math.abs(L[0] * L[0] - S[0]) < 1e-14 && Math.abs(L[0] * L[2] - S[2]) < 1e-14);
  assert.ok(Math.abs(L[2] * L[2] + L[8] * L[8] - S[8]) < 1e-14, 'the last variance is kept');
});

test('restartPoint(factors, map, phi) is null unless a vector-valued term is singular', () => {
  const prob = lmmProblem(cases.sleepstudy_slopes_reml(), { REML: true });
  assert.equal(restartPoint(prob.factors, prob.map, [1, 0.1, 1]), null);
  assert.deepEqual(Array.from(restartPoint(prob.factors, prob.map, [0, 0.3, 0.4])!), [RESTART_PIVOT, 0, 0.5]);
  const scalar = lmmProblem(cases.dyestuff2_singular(), { REML: true });
  assert.equal(restartPoint(scalar.factors, scalar.map, [0]), null);
});
