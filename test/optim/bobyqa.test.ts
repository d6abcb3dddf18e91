import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bobyqa } from '../../src/optim/bobyqa.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MixedModelsError } from '../../src/errors.js';
import { maxAbsDiff, rosenbrock, tridiagonalQuadratic, watchBounds } from './problems.js';

// Evaluation bounds are about 1.25 times the counts of this implementation, which
// are within about 10% of NLopt's BOBYQA (Powell's code) on the same problems
// (rosenbrock 2-D: 202 here, 190 NLopt; 4-D from 0: 225, 227; tridiagonal 10-D: 252, 265).

test('bobyqa(rosenbrock, [-1.2, 1]) reaches (1, 1)', () => {
  const r = bobyqa(rosenbrock, [-1.2, 1]);
  assert.ok(r.converged, r.message);
  assert.ok(maxAbsDiff(r.x, [1, 1]) < 1e-5, `x = ${r.x}`);
  assert.ok(r.fx < 1e-10);
  assert.ok(r.evaluations <= 250, `${r.evaluations} evaluations`);
});

test('bobyqa(rosenbrock, [0, 0, 0, 0]) reaches (1, 1, 1, 1)', () => {
  const r = bobyqa(rosenbrock, [0, 0, 0, 0]);
  assert.ok(r.converged, r.message);
  assert.ok(maxAbsDiff(r.x, [1, 1, 1, 1]) < 1e-5, `x = ${r.x}`);
  assert.ok(r.evaluations <= 290, `${r.evaluations} evaluations`);
});

test('bobyqa(rosenbrock, [-1.2, 1], { npt: 4 }) works with the fewest points, n + 2', () => {
  const r = bobyqa(rosenbrock, [-1.2, 1], { npt: 4 });
  assert.ok(r.converged, r.message);
  assert.ok(maxAbsDiff(r.x, [1, 1]) < 1e-5, `x = ${r.x}`);
});

test('bobyqa(quadratic, x0) minimises a 10-D convex quadratic with a known minimiser', () => {
  const r = bobyqa(tridiagonalQuadratic, new Array(10).fill(0.5));
  const want = Array.from({ length: 10 }, (_, i) => (i + 1) / 10);
  assert.ok(r.converged, r.message);
  assert.ok(maxAbsDiff(r.x, want) < 1e-6, `x = ${r.x}`);
  assert.ok(r.evaluations <= 320, `${r.evaluations} evaluations`);
});

test('bobyqa(separable quadratic, x0) needs few evaluations when the initial model is exact', () => {
  const f = (x: Float64Array) => x.reduce((s, xi, i) => s + (i + 1) * (xi - i / 10) ** 2, 0);
  const r = bobyqa(f, new Array(10).fill(1));
  assert.ok(maxAbsDiff(r.x, Array.from({ length: 10 }, (_, i) => i / 10)) < 1e-6);
  assert.ok(r.evaluations <= 70, `${r.evaluations} evaluations`);
});

test('bobyqa(f, [1]) works with n = 1', () => {
  const r = bobyqa((x) => (x[0] - 3) ** 2 + 1, [1]);
  assert.ok(r.converged, r.message);
  assert.ok(Math.abs(r.x[0] - 3) < 1e-6);
  assert.equal(r.fx, 1);
  assert.ok(r.evaluations <= 30, `${r.evaluations} evaluations`);
});

test('bobyqa(f, [1], { lower: [0] }) finds a 1-D minimum on the bound 0 exactly', () => {
  const bounded = watchBounds((x) => (x[0] + 1) ** 2, [0], [Infinity]);
  const r = bobyqa(bounded.f, [1], { lower: [0] });
  assert.equal(r.x[0], 0);
  assert.equal(r.fx, 1);
  assert.equal(bounded.outside(), 0);
  assert.ok(r.evaluations <= 25, `${r.evaluations} evaluations`);
});

test('bobyqa(f, [1], { lower: [0] }) finds an interior 1-D minimum like a scalar random-effect deviance', () => {
  const f = (x: Float64Array) => 10 * Math.log(1 + 4 * x[0] ** 2) + 50 / (1 + 4 * x[0] ** 2);
  const r = bobyqa(f, [1], { lower: [0] });
  assert.ok(Math.abs(r.x[0] - 1) < 1e-6, `x = ${r.x}`);
  assert.ok(r.evaluations <= 25, `${r.evaluations} evaluations`);
});

test('bobyqa(quadratic, x0, { lower }) hits the active lower bound exactly', () => {
  const lower = [0, 0];
  const bounded = watchBounds((x) => (x[0] + 1) ** 2 + (x[1] - 2) ** 2, lower, [Infinity, Infinity]);
  const r = bobyqa(bounded.f, [1, 1], { lower });
  assert.equal(r.x[0], 0);
  assert.ok(Math.abs(r.x[1] - 2) < 1e-6);
  assert.equal(bounded.outside(), 0);
  assert.ok(r.evaluations <= 40, `${r.evaluations} evaluations`);
});

test('bobyqa(quadratic, x0, { lower, upper }) hits lower and upper bounds exactly', () => {
  const lower = [0, -Infinity, -1];
  const upper = [Infinity, 1.5, 1];
  const f = (x: Float64Array) => (x[0] + 1) ** 2 + (x[1] - 2) ** 2 + x[0] * x[1] + (x[2] - 0.3) ** 2;
  const bounded = watchBounds(f, lower, upper);
  const r = bobyqa(bounded.f, [1, 1, 0], { lower, upper });
  assert.equal(r.x[0], 0);
  assert.equal(r.x[1], 1.5);
  assert.ok(Math.abs(r.x[2] - 0.3) < 1e-6);
  assert.equal(bounded.outside(), 0);
});

test('bobyqa(f, x0, { lower: [0, 0, -Infinity] }) mixes bounded and unbounded coordinates', () => {
  // Like lme4's theta (>= 0) with an unbounded fixed effect: minimum at (0, 0.5, z) where
  // exp(z) - 1 + 0.5 x0 = 0 with x0 = 0, so z = 0; the first coordinate is on its bound.
  const f = (x: Float64Array) =>
    3 * Math.sqrt(x[0] ** 2 + 0.1) + x[1] ** 2 - x[1] + Math.exp(x[2]) - x[2] + 0.5 * x[0] * x[2];
  const lower = [0, 0, -Infinity];
  const bounded = watchBounds(f, lower, [Infinity, Infinity, Infinity]);
  const r = bobyqa(bounded.f, [1, 1, 1], { lower });
  assert.equal(r.x[0], 0);
  assert.ok(maxAbsDiff(r.x, [0, 0.5, 0]) < 1e-5, `x = ${r.x}`);
  assert.equal(bounded.outside(), 0);
  assert.ok(r.evaluations <= 80, `${r.evaluations} evaluations`);
});

test('bobyqa(rosenbrock, x0, { lower, upper }) stops on a bound that cuts off the optimum', () => {
  const r = bobyqa(rosenbrock, [-1.2, 2], { lower: [-2, 1.5], upper: [2, 3] });
  assert.equal(r.x[1], 1.5);
  // On x1 = 1.5, f = 100 (1.5 - x0^2)^2 + (1 - x0)^2 has its minimum near x0 = 1.2243.
  assert.ok(Math.abs(r.x[0] - 1.2243) < 1e-3 || Math.abs(r.x[0] + 1.2210) < 1e-3, `x = ${r.x}`);
});

test('bobyqa(f, x0) keeps going through a region where f is NaN', () => {
  const f = (x: Float64Array) => (x[0] > 2 ? NaN : (x[0] - 1.5) ** 2 + (x[1] + 0.5) ** 2);
  const r = bobyqa(f, [0, 0]);
  assert.ok(r.converged, r.message);
  assert.ok(maxAbsDiff(r.x, [1.5, -0.5]) < 1e-6, `x = ${r.x}`);
});

test('bobyqa(f, x0) starting next to an Infinity region still reaches the minimum', () => {
  const f = (x: Float64Array) => (x[0] + x[1] > 1.1 ? Infinity : (x[0] - 0.2) ** 2 + (x[1] - 0.3) ** 2);
  const r = bobyqa(f, [0.5, 0.5]);
  assert.ok(maxAbsDiff(r.x, [0.2, 0.3]) < 1e-6, `x = ${r.x}`);
});

test('bobyqa(f, x0) refuses a starting point where f is not finite', () => {
  assert.throws(() => bobyqa(() => NaN, [1, 2]), MixedModelsError);
});

test('bobyqa(f, x0) clips x0 into the bounds', () => {
  const r = bobyqa((x) => (x[0] - 1) ** 2 + x[1] ** 2, [5, -3], { lower: [-2, -1], upper: [2, 1] });
  assert.ok(maxAbsDiff(r.x, [1, 0]) < 1e-6, `x = ${r.x}`);
});

test('bobyqa(f, [0, 0]) starts from all zeros with rhobeg 0.2', () => {
  const r = bobyqa((x) => (x[0] - 1) ** 2 + (x[1] + 2) ** 2, [0, 0]);
  assert.ok(maxAbsDiff(r.x, [1, -2]) < 1e-6);
});

test('bobyqa(f, x0, { maxEval }) stops at the evaluation limit and says so', () => {
  const r = bobyqa(rosenbrock, [-1.2, 1], { maxEval: 20 });
  assert.equal(r.evaluations, 20);
  assert.equal(r.converged, false);
  assert.match(r.message, /maximum number of evaluations/);
  assert.equal(r.fx, rosenbrock(r.x));
});

test('bobyqa(f, x0, { rhoend }) with a coarse rhoend stops early', () => {
  const fine = bobyqa(rosenbrock, [-1.2, 1]);
  const coarse = bobyqa(rosenbrock, [-1.2, 1], { rhoend: 1e-3 });
  assert.ok(coarse.converged);
  assert.ok(coarse.evaluations < fine.evaluations);
  assert.ok(maxAbsDiff(coarse.x, [1, 1]) < 0.1);
});

test('bobyqa(f, x0, { lower, upper }) with a narrow range reduces rhobeg and still works', () => {
  const r = bobyqa((x) => (x[0] - 0.05) ** 2 + (x[1] - 3) ** 2, [0, 0], { lower: [0, -10], upper: [0.1, 10] });
  assert.ok(maxAbsDiff(r.x, [0.05, 3]) < 1e-6, `x = ${r.x}`);
});

test('bobyqa(f, x0, options) rejects bad options', () => {
  const f = (x: Float64Array) => x[0] ** 2 + x[1] ** 2;
  assert.throws(() => bobyqa(f, [1, 1], { lower: [0, 2], upper: [1, 2] }), /lower\[1\] must be below upper\[1\]/);
  assert.throws(() => bobyqa(f, [1, 1], { npt: 3 }), /npt must be an integer in \[4, 5\]/);
  assert.throws(() => bobyqa(f, [1, 1], { lower: [0] }), /lower has length 1/);
  assert.throws(() => bobyqa(f, [1, 1], { maxEval: 5 }), /maxEval must be at least/);
  assert.throws(() => bobyqa(f, []), /at least one element/);
  assert.throws(() => bobyqa(f, [NaN, 1]), /x0\[0\] is not finite/);
});

test('bobyqa(f, x0) passes f a copy it may keep or change', () => {
  const g = (x: Float64Array) => (x[0] - 1) ** 2 + 3 * x[1] ** 2;
  const clean = bobyqa(g, [0, 0]);
  const kept: Float64Array[] = [];
  const scribbled = bobyqa((x) => {
    const v = g(x);
    kept.push(x);
    x.fill(123);
    return v;
  }, [0, 0]);
  assert.deepEqual(Array.from(scribbled.x), Array.from(clean.x));
  assert.equal(scribbled.evaluations, clean.evaluations);
  assert.equal(new Set(kept).size, kept.length);
});

/** minqa 1.2.5's bobyqa paths on R 4.2 (test/fixtures/r/minqa_bobyqa.R), as lme4's glmer stage 1 runs it. */
const minqa: Record<string, { par: number[]; feval: number; evals: number[][] }> = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'r', 'minqa_bobyqa.json'), 'utf8'),
);

for (const [name, f, x0, lower, npt] of [
  ['quartic2', (x: Float64Array) => (x[0] - 0.3) ** 2 + 4 * (x[1] - 0.8) ** 2 + 1.5 * (x[0] - 0.3) * (x[1] - 0.8) + 0.2 * x[0] ** 4 + 3, [1, 1], [0, 0], 4],
  ['bounded3', (x: Float64Array) => Math.log(1 + (x[0] - 0.5) ** 2 + 2 * (x[1] - 1.2) ** 2 + 0.5 * (x[2] + 0.3) ** 2 + (x[0] * x[2]) / 4) + 0.05 * x[1] ** 4, [1, 1, 0], [0, 0, -Infinity], 5],
] as const) {
  test(`bobyqa(${name}, x0, { npt: n + 2 }) takes minqa's steps (tolerance 1e-8 at every evaluation)`, () => {
    const seen: number[][] = [];
    const r = bobyqa((x) => {
      const v = f(x);
      seen.push([...x, v]);
      return v;
    }, x0, { lower, rhobeg: 0.2, rhoend: 2e-7, npt });
    const want = minqa[name];
    assert.equal(r.evaluations, want.feval);
    seen.forEach((row, i) => row.forEach((v, k) => {
      assert.ok(Math.abs(v - want.evals[i][k]) <= 1e-8 * Math.max(1, Math.abs(want.evals[i][k])), `evaluation ${i + 1}, element ${k}: ${v} vs ${want.evals[i][k]}`);
    }));
    assert.ok(maxAbsDiff(r.x, want.par) < 1e-8, `x = ${r.x}`);
  });
}
