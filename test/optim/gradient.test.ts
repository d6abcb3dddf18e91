import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fdDerivatives, fdGradient, fdHessian } from '../../src/optim/gradient.js';
import { maxAbsDiff } from './problems.js';

// p(x) = x0^3 + 2 x0 x1^2 - x1 + x0 x2^2 / 2
// grad = (3 x0^2 + 2 x1^2 + x2^2 / 2, 4 x0 x1 - 1, x0 x2)
// Hess = [[6 x0, 4 x1, x2], [4 x1, 4 x0, 0], [x2, 0, x0]]
const p = (x: Float64Array) => x[0] ** 3 + 2 * x[0] * x[1] ** 2 - x[1] + 0.5 * x[0] * x[2] ** 2;
const grad = (x: number[]) => [3 * x[0] ** 2 + 2 * x[1] ** 2 + x[2] ** 2 / 2, 4 * x[0] * x[1] - 1, x[0] * x[2]];
const hess = (x: number[]) => [6 * x[0], 4 * x[1], x[2], 4 * x[1], 4 * x[0], 0, x[2], 0, x[0]];

test('fdGradient(p, x) matches the gradient of a cubic polynomial', () => {
  const x = [1, 2, 3];
  assert.ok(maxAbsDiff(fdGradient(p, x), grad(x)) < 1e-6);
});

test('fdHessian(p, x) matches the Hessian of a cubic polynomial and is symmetric', () => {
  const x = [1, -2, 3];
  const H = fdHessian(p, x);
  assert.ok(maxAbsDiff(H, hess(x)) < 1e-5, `H = ${H}`);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.equal(H[i * 3 + j], H[j * 3 + i]);
});

test('fdGradient(f, x) scales the step to large coordinates', () => {
  const f = (x: Float64Array) => Math.log(x[0]) + x[1] ** 2;
  const g = fdGradient(f, [1e6, 3]);
  assert.ok(Math.abs(g[0] * 1e6 - 1) < 1e-6);
  assert.ok(Math.abs(g[1] - 6) < 1e-8);
});

test('fdGradient(p, x, h, lower) differences forwards at a lower bound and never evaluates below it', () => {
  const x = [0, 2, 3];
  const lower = [0, -Infinity, -Infinity];
  let below = 0;
  const watched = (y: Float64Array) => {
    if (y[0] < 0) below++;
    return p(y);
  };
  const g = fdGradient(watched, x, 1e-4, lower);
  assert.equal(below, 0);
  assert.ok(maxAbsDiff(g, grad(x)) < 1e-6, `g = ${g}`);
});

test('fdHessian(p, x, h, lower, upper) uses one-sided differences at both kinds of bound', () => {
  const x = [0, 2, 3];
  const lower = [0, -Infinity, -Infinity];
  const upper = [Infinity, Infinity, 3];
  let outside = 0;
  const watched = (y: Float64Array) => {
    if (y[0] < 0 || y[2] > 3) outside++;
    return p(y);
  };
  const H = fdHessian(watched, x, 1e-4, lower, upper);
  assert.equal(outside, 0);
  // One-sided second differences have error O(h): here 6 h for d2/dx0^2.
  assert.ok(maxAbsDiff(H, hess(x)) < 2e-3, `H = ${H}`);
});

test('fdHessian(q, x, h, lower) is exact (to rounding) for a quadratic even at a bound', () => {
  const q = (x: Float64Array) => 3 * x[0] ** 2 + x[0] * x[1] - 2 * x[1] ** 2 + x[0];
  const H = fdHessian(q, [0, 1], 1e-3, [0, -Infinity]);
  assert.ok(maxAbsDiff(H, [6, 1, 1, -4]) < 1e-6, `H = ${H}`);
});

test('fdDerivatives(p, x) shares evaluations between gradient and Hessian', () => {
  const x = [1, 2, 3];
  let calls = 0;
  const d = fdDerivatives((y) => { calls++; return p(y); }, x);
  assert.equal(d.evaluations, calls);
  assert.equal(calls, 1 + 2 * 3 + 4 * 3);
  assert.ok(maxAbsDiff(d.gradient, grad(x)) < 1e-6);
  assert.ok(maxAbsDiff(d.hessian, hess(x)) < 1e-5);
});

test('fdGradient(f, [x]) works in one dimension', () => {
  const g = fdGradient((x) => Math.sin(x[0]), [0.3]);
  assert.ok(Math.abs(g[0] - Math.cos(0.3)) < 1e-8);
});
