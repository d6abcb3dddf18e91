import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constantStart, irls, type IrlsProblem } from '../../src/glm/irls.js';
import { makeFamily } from '../../src/glm/family.js';
import { MixedModelsError } from '../../src/errors.js';
import { assertClose } from '../distributions/close.js';

function problem(y: number[], x: number[], family: string, link?: string): IrlsProblem {
  const n = y.length;
  const X = new Float64Array(2 * n);
  X.fill(1, 0, n);
  X.set(x, n);
  const w = new Float64Array(n).fill(1);
  return { X, n, p: 2, y: Float64Array.from(y), weights: w, offset: new Float64Array(n), family: makeFamily(family, link), maxIter: 25, epsilon: 1e-8 };
}

test('irls(problem, mustart) halves a step whose deviance is not finite, and still converges', () => {
  const prob = problem([0.5, 0.9, 2, 5, 20, 80], [0, 1, 2, 3, 4, 5], 'Gamma', 'identity');
  const res = irls(prob, prob.y);
  assert.ok(res.converged);
  assert.deepEqual(res.messages, ['step size truncated due to divergence']);
  assert.ok(res.mu.every((m) => m > 0));
});

test('irls(problem, mustart) fails like glm.fit when the first step leaves the valid region', () => {
  const prob = problem([0, 0, 1, 8, 30, 60], [0, 1, 2, 3, 4, 5], 'poisson', 'identity');
  assert.throws(() => irls(prob, prob.y.map((v) => v + 0.1)), /no valid set of coefficients/);
});

test('irls(problem, mustart, fallback) halves that first step back towards the intercept-only start instead', () => {
  const prob = problem([0, 0, 1, 8, 30, 60], [0, 1, 2, 3, 4, 5], 'poisson', 'identity');
  const start = constantStart(prob, 0);
  assertClose(start[0], 99 / 6, 1e-15);
  assert.equal(start[1], 0);
  const res = irls(prob, prob.y.map((v) => v + 0.1), start);
  assert.ok(res.mu.every((m) => m > 0));
  assert.ok(res.messages.some((m) => m.startsWith('step size truncated: out of bounds')));
});

test('irls(problem, mustart) reaches the least-squares fit in two iterations for gaussian identity', () => {
  const prob = problem([1, 3, 2, 5], [0, 1, 2, 3], 'gaussian');
  const res = irls(prob, prob.y);
  assert.equal(res.iterations, 2);
  assertClose(res.coef[1], 1.1, 1e-14);
  assertClose(res.coef[0], 1.1, 1e-14);
  assert.ok(res.converged);
});

test('irls(problem, mustart) rejects starting values outside the family\'s range', () => {
  // Gamma's inverse link maps mu = 0 to eta = Infinity and back to mu = 0, which is invalid.
  const prob = problem([1, 2, 3], [0, 1, 2], 'Gamma');
  assert.throws(() => irls(prob, Float64Array.from([0, 1, 2])), MixedModelsError);
});
