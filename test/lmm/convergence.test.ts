import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convergenceDerivatives, convergenceMessages } from '../../src/lmm/convergence.js';
import { lmmProblem } from '../../src/lmm/problem.js';
import { scaledProblem } from '../../src/lmm/scaledProblem.js';
import { cases, readRef, refTheta } from './helpers.js';

test('convergenceMessages(derivs) flags a large scaled gradient like lme4', () => {
  const d = { components: Int32Array.from([0, 2]), gradient: Float64Array.from([0.5, 0.001]), hessian: Float64Array.from([4, 0, 0, 4]) };
  // scaled = L^{-T} g = [0.25, 0.0005]; min(|scaled|, |g|) = [0.25, 0.0005].
  assert.deepEqual(convergenceMessages(d), ['Model failed to converge with max|grad| = 0.250000 (tol = 0.002, component 1)']);
});

test('convergenceMessages(derivs) flags a Hessian that is not positive definite', () => {
  const d = { components: Int32Array.from([0]), gradient: Float64Array.from([0]), hessian: Float64Array.from([-1]) };
  assert.match(convergenceMessages(d)[0], /not positive definite/);
});

test('convergenceDerivatives(problem, lme4 optimum) has a small gradient and no messages', () => {
  const ref = readRef('sleepstudy_slopes_reml');
  const prob = lmmProblem(cases.sleepstudy_slopes_reml(), { REML: true });
  const d = convergenceDerivatives(scaledProblem(prob), scaledProblem(prob).toPhi(refTheta(ref)));
  assert.equal(d.components.length, 3);
  assert.ok(d.gradient.every((g) => Math.abs(g) < 1e-2));
  assert.deepEqual(convergenceMessages(d), []);
});
