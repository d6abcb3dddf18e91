import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nelderMead } from '../../src/optim/neldermead.js';
import { MixedModelsError } from '../../src/errors.js';
import { maxAbsDiff, rosenbrock, tridiagonalQuadratic, watchBounds } from './problems.js';

// lme4's default tolerances (ftolAbs 1e-5) stop well short of 1e-5 accuracy in x on
// Rosenbrock, so the accuracy tests tighten them.
const tight = { ftolAbs: 0, ftolRel: 0, xtolAbs: 1e-9, xtolRel: 0 };

test('nelderMead(rosenbrock, [-1.2, 1]) reaches (1, 1)', () => {
  const r = nelderMead(rosenbrock, [-1.2, 1], { ...tight, initialStep: 0.5 });
  assert.ok(r.converged, r.message);
  assert.ok(maxAbsDiff(r.x, [1, 1]) < 1e-5, `x = ${r.x}`);
  assert.ok(r.evaluations <= 300, `${r.evaluations} evaluations`);
});

test('nelderMead(rosenbrock, [0, 0, 0, 0]) reaches (1, 1, 1, 1)', () => {
  const r = nelderMead(rosenbrock, [0, 0, 0, 0], { ...tight, initialStep: 0.5 });
  assert.ok(maxAbsDiff(r.x, [1, 1, 1, 1]) < 1e-5, `x = ${r.x}`);
  assert.ok(r.evaluations <= 700, `${r.evaluations} evaluations`);
});

test('nelderMead(rosenbrock, [-1.2, 1]) with lme4 defaults stops on the f tolerance near (1, 1)', () => {
  const r = nelderMead(rosenbrock, [-1.2, 1]);
  assert.ok(r.converged);
  assert.match(r.message, /spread of f/);
  assert.ok(maxAbsDiff(r.x, [1, 1]) < 1e-2);
});

test('nelderMead(quadratic, x0) minimises a 10-D convex quadratic', () => {
  const r = nelderMead(tridiagonalQuadratic, new Array(10).fill(0.5), { ...tight, initialStep: 0.1, xtolAbs: 1e-8 });
  const want = Array.from({ length: 10 }, (_, i) => (i + 1) / 10);
  assert.ok(maxAbsDiff(r.x, want) < 1e-4, `x = ${r.x}`);
});

test('nelderMead(f, [1]) works with n = 1', () => {
  const r = nelderMead((x) => (x[0] - 3) ** 2 + 1, [1], tight);
  assert.ok(Math.abs(r.x[0] - 3) < 1e-6);
  assert.ok(r.evaluations <= 100, `${r.evaluations} evaluations`);
});

test('nelderMead(quadratic, x0, { lower }) hits the active bound exactly', () => {
  const lower = [0, 0];
  const bounded = watchBounds((x) => (x[0] + 1) ** 2 + (x[1] - 2) ** 2, lower, [Infinity, Infinity]);
  const r = nelderMead(bounded.f, [1, 1], { lower, ...tight });
  assert.equal(r.x[0], 0);
  assert.ok(Math.abs(r.x[1] - 2) < 1e-6);
  assert.equal(bounded.outside(), 0);
});

test('nelderMead(f, x0, { lower: [0, -Infinity] }) mixes bounded and unbounded coordinates', () => {
  const f = (x: Float64Array) => 3 * Math.sqrt(x[0] ** 2 + 0.1) + (x[1] - 0.7) ** 2 + 0.5 * x[0] * x[1];
  const r = nelderMead(f, [1, 1], { lower: [0, -Infinity], ...tight });
  assert.equal(r.x[0], 0);
  assert.ok(Math.abs(r.x[1] - 0.7) < 1e-6);
});

test('nelderMead(f, x0) starts inwards from a corner and does not stall flat against the bound', () => {
  const upper = [1, 1];
  const bounded = watchBounds((x) => (x[0] - 0.5) ** 2 + (x[1] - 2) ** 2, [-Infinity, -Infinity], upper);
  const r = nelderMead(bounded.f, [1, 1], { upper, ...tight });
  assert.ok(maxAbsDiff(r.x, [0.5, 1]) < 1e-6);
  assert.equal(r.x[1], 1);
  assert.equal(bounded.outside(), 0);
});

test('nelderMead(f, x0) keeps going next to a region where f is NaN', () => {
  const f = (x: Float64Array) => (x[0] > 2 ? NaN : (x[0] - 1.5) ** 2 + (x[1] + 0.5) ** 2);
  const r = nelderMead(f, [1.9, 0], { ...tight, initialStep: 0.5 });
  assert.ok(maxAbsDiff(r.x, [1.5, -0.5]) < 1e-6, `x = ${r.x}`);
});

test('nelderMead(f, x0, { maxEval }) stops at the evaluation limit and says so', () => {
  const r = nelderMead(rosenbrock, [-1.2, 1], { maxEval: 30 });
  assert.ok(r.evaluations <= 30);
  assert.equal(r.converged, false);
  assert.match(r.message, /maximum number of evaluations/);
});

test('nelderMead(f, x0, options) rejects bad options and a non-finite start', () => {
  const f = (x: Float64Array) => x[0] ** 2;
  assert.throws(() => nelderMead(f, [1], { lower: [1], upper: [1] }), MixedModelsError);
  assert.throws(() => nelderMead(f, [1], { initialStep: 0 }), /initialStep must be nonzero/);
  assert.throws(() => nelderMead(f, [1], { initialStep: [1, 2] }), /initialStep has length 2/);
  assert.throws(() => nelderMead(() => NaN, [1]), /not finite at the starting point/);
});
