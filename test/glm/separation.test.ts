import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFamily } from '../../src/glm/family.js';
import { irls, type IrlsProblem } from '../../src/glm/irls.js';
import { detectSeparation, separationMessage } from '../../src/glm/separation.js';

/** y ~ g with an intercept and treatment dummies for groups 1..k-1 (group of row i: groups[i]). */
function groupProblem(y: number[], groups: number[], family: string, link?: string): IrlsProblem {
  const n = y.length, k = Math.max(...groups) + 1;
  const X = new Float64Array(n * k);
  X.fill(1, 0, n);
  groups.forEach((g, i) => {
    if (g > 0) X[g * n + i] = 1;
  });
  return { X, n, p: k, y: Float64Array.from(y), weights: new Float64Array(n).fill(1), offset: new Float64Array(n), family: makeFamily(family, link), maxIter: 25, epsilon: 1e-8 };
}

const mustart = (prob: IrlsProblem) => prob.y.map((v) => prob.family.initMu(v, 1));
const groups = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];

test('detectSeparation(prob, res) finds a reference level whose responses are all 0, which R\'s glm leaves silent', () => {
  const prob = groupProblem([0, 0, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1], groups, 'binomial');
  const res = irls(prob, mustart(prob));
  assert.ok(res.converged);
  // R's glm stops here with mu about 1e-9 on the first group: not numerically 0.
  assert.ok(res.mu[0] > 1e-12 && res.mu[0] < 1e-6, `mu ${res.mu[0]}`);
  const sep = detectSeparation(prob, res);
  assert.deepEqual(sep, { rows: 4, diverging: [0, 1, 2] });
  assert.match(
    separationMessage(prob.family, sep!, ['(Intercept)', 'g1', 'g2']),
    /^fitted probabilities numerically 0 or 1 occurred \(complete or quasi-complete separation, 4 rows\): the estimates of \(Intercept\), g1, g2 diverge/,
  );
});

test('detectSeparation(prob, res) is null when every group has both outcomes (logit and probit)', () => {
  for (const link of ['logit', 'probit']) {
    const prob = groupProblem([0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1], groups, 'binomial', link);
    assert.equal(detectSeparation(prob, irls(prob, mustart(prob))), null);
  }
});

test('detectSeparation(prob, res) finds the drift under the probit link too (steps of 1 / |eta|)', () => {
  const prob = groupProblem([1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1], groups, 'binomial', 'probit');
  const sep = detectSeparation(prob, irls(prob, mustart(prob)));
  assert.equal(sep?.rows, 4);
  assert.deepEqual(sep?.diverging, [1]);
});

test('detectSeparation(prob, res) finds Poisson rates heading for 0 in a group of zero counts', () => {
  const prob = groupProblem([2, 0, 1, 3, 0, 0, 0, 0, 4, 2, 5, 1], groups, 'poisson');
  const sep = detectSeparation(prob, irls(prob, mustart(prob)));
  assert.deepEqual(sep, { rows: 4, diverging: [1] });
  assert.match(separationMessage(prob.family, sep!, ['(Intercept)', 'g1', 'g2']), /^fitted rates numerically 0 occurred .*the estimates of g1 diverge/);
});

test('detectSeparation(prob, res) reports complete separation by R\'s check when IRLS did not converge', () => {
  const n = 20;
  const X = new Float64Array(2 * n);
  X.fill(1, 0, n);
  for (let i = 0; i < n; i++) X[n + i] = i + 1;
  const y = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
  const prob: IrlsProblem = { X, n, p: 2, y, weights: new Float64Array(n).fill(1), offset: new Float64Array(n), family: makeFamily('binomial'), maxIter: 25, epsilon: 1e-8 };
  const res = irls(prob, mustart(prob));
  assert.equal(res.converged, false);
  const sep = detectSeparation(prob, res);
  // All but the two rows next to the split are numerically 0 or 1 (R says the same).
  assert.deepEqual(sep, { rows: 18, diverging: [] });
  assert.match(separationMessage(prob.family, sep, ['(Intercept)', 'x']), /some estimates diverge; the maximum-likelihood estimates do not exist$/);
});

test('detectSeparation(prob, res) is null for families without separation', () => {
  const prob = groupProblem([1, 2, 1.5, 1, 3, 2, 4, 3, 5, 6, 5, 4], groups, 'Gamma', 'log');
  assert.equal(detectSeparation(prob, irls(prob, mustart(prob))), null);
});
