import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLmm, optimizeLmm } from '../../src/lmm/lmer.js';
import { lmmProblem, withCriterion } from '../../src/lmm/problem.js';
import { inverseHessianInPsi } from '../../src/lmm/warmHessian.js';
import { cases } from './helpers.js';

test('inverseHessianInPsi(derivs, phi, lower) inverts the Hessian over psi (log phi for the variances)', () => {
  // phi = (2, 0.5), lower = (0, -Inf): c = (2, 1); H_psi = [[4 * 3 + 2 * 0.1, 2 * 1], [2 * 1, 2]] = [[12.2, 2], [2, 2]].
  const d = { components: Int32Array.from([0, 1]), gradient: Float64Array.from([0.1, 0.2]), hessian: Float64Array.from([3, 1, 1, 2]) };
  const inv = inverseHessianInPsi(d, [2, 0.5], [0, -Infinity])!;
  const H = [12.2, 2, 2, 2];
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      const v = H[i * 2] * inv[j] + H[i * 2 + 1] * inv[2 + j];
      assert.ok(Math.abs(v - (i === j ? 1 : 0)) < 1e-14, `(H H^-1)[${i}, ${j}] = ${v}`);
    }
  }
  assert.equal(inv[1], inv[2]);
});

test('inverseHessianInPsi(derivs, phi, lower) is null without every component or with a Hessian that is not positive definite', () => {
  const partial = { components: Int32Array.from([1]), gradient: Float64Array.from([0]), hessian: Float64Array.from([1]) };
  assert.equal(inverseHessianInPsi(partial, [0, 1], [0, -Infinity]), null);
  const indefinite = { components: Int32Array.from([0, 1]), gradient: Float64Array.from([0, 0]), hessian: Float64Array.from([1, 2, 2, 1]) };
  assert.equal(inverseHessianInPsi(indefinite, [1, 1], [0, -Infinity]), null);
  assert.equal(inverseHessianInPsi(null, [1], [0]), null);
});

test('optimizeLmm(ML problem, REML estimates, {}, warm inverse Hessian) reaches the ML minimum in fewer evaluations (sleepstudy)', () => {
  const frame = cases.sleepstudy_slopes_reml();
  const fit = fitLmm(frame);
  const prob = lmmProblem(frame, { REML: true }), ml = withCriterion(prob, false);
  const phi = Float64Array.from(fit.theta, (t, e) => t * prob.thetaScale[e]);
  const warm = optimizeLmm(ml, fit.theta, {}, inverseHessianInPsi(fit.optsummary!.derivatives, phi, prob.lower));
  const cold = optimizeLmm(withCriterion(prob, false), fit.theta);
  // Both stop where BFGS's predicted decrease is below 1e-8: the minima agree to about that.
  assert.ok(Math.abs(warm.fmin - cold.fmin) < 1e-8, `${warm.fmin} vs ${cold.fmin}`);
  assert.ok(warm.evaluations < cold.evaluations, `${warm.evaluations} vs ${cold.evaluations} evaluations`);
  // lme4's deviance(m) for the REML fit is this ML minimum (lmer.ts).
  assert.ok(Math.abs(fit.deviance - warm.fmin) < 1e-12 * warm.fmin);
});
