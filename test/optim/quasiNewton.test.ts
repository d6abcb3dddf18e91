import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quasiNewton } from '../../src/optim/quasiNewton.js';

function rosenbrockFg(): { f: (x: Float64Array) => number; g: (x: Float64Array, g: Float64Array) => boolean } {
  return {
    f: (x) => (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2,
    g: (x, g) => {
      g[0] = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2);
      g[1] = 200 * (x[1] - x[0] ** 2);
      return true;
    },
  };
}

test('quasiNewton(rosenbrock, [-1.2, 1]) reaches (1, 1)', () => {
  const { f, g } = rosenbrockFg();
  const r = quasiNewton(f, g, [-1.2, 1], { tol: 1e-16 });
  assert.ok(r.converged, r.message);
  assert.ok(Math.abs(r.x[0] - 1) < 1e-6 && Math.abs(r.x[1] - 1) < 1e-6, `x = ${r.x}`);
  assert.ok(r.evaluations <= 80, `${r.evaluations} evaluations`);
});

test('quasiNewton(quadratic, x0, { lower }) stops on the bound with an outward gradient', () => {
  // min (x0 + 1)^2 + (x1 - 2)^2 + x0 x1 / 2 over x0 >= 0: x0 = 0, x1 = 2.
  const f = (x: Float64Array) => (x[0] + 1) ** 2 + (x[1] - 2) ** 2 + (x[0] * x[1]) / 2;
  const g = (x: Float64Array, out: Float64Array) => {
    out[0] = 2 * (x[0] + 1) + x[1] / 2;
    out[1] = 2 * (x[1] - 2) + x[0] / 2;
    return true;
  };
  const r = quasiNewton(f, g, [1, 1], { lower: [0, -Infinity] });
  assert.ok(r.converged, r.message);
  assert.equal(r.x[0], 0);
  assert.ok(Math.abs(r.x[1] - 2) < 1e-5, `x = ${r.x}`);
});

test('quasiNewton(f, x0) stops, not converged, when the gradient is unavailable at the start', () => {
  const r = quasiNewton((x) => x[0] ** 2, () => false, [2]);
  assert.equal(r.converged, false);
  assert.equal(r.gradientFailed, true);
  assert.equal(r.fx, 4);
});

test('quasiNewton(f, x0) keeps to points where the gradient is available', () => {
  const r = quasiNewton((x) => x[0] ** 2, (x, g) => {
    g[0] = 2 * x[0];
    return x[0] > 0.5;
  }, [2]);
  assert.equal(r.converged, false);
  assert.ok(r.x[0] > 0.5 && r.fx < 4, `x = ${r.x}`);
});

test('quasiNewton(f, x0, { maxEval }) stops at the evaluation limit', () => {
  const { f, g } = rosenbrockFg();
  const r = quasiNewton(f, g, [-1.2, 1], { maxEval: 5 });
  assert.equal(r.converged, false);
  assert.ok(r.evaluations <= 5);
});

test('quasiNewton(quadratic, x0, { initialInverseHessian }) with the exact inverse converges in one step', () => {
  // f = 2 x0^2 + 50 x1^2: the inverse Hessian is diag(1/4, 1/100).
  const f = (x: Float64Array) => 2 * x[0] ** 2 + 50 * x[1] ** 2;
  const g = (x: Float64Array, out: Float64Array) => {
    out[0] = 4 * x[0];
    out[1] = 100 * x[1];
    return true;
  };
  const plain = quasiNewton(f, g, [0.5, 0.5], { tol: 1e-14 });
  const seeded = quasiNewton(f, g, [0.5, 0.5], { tol: 1e-14, initialInverseHessian: [0.25, 0.01] });
  assert.ok(seeded.converged, seeded.message);
  assert.ok(Math.abs(seeded.x[0]) < 1e-8 && Math.abs(seeded.x[1]) < 1e-8, `x = ${seeded.x}`);
  assert.ok(seeded.evaluations < plain.evaluations, `${seeded.evaluations} vs ${plain.evaluations} evaluations`);
});

test('quasiNewton(quadratic, x0, { initialInverseHessian: n x n }) with the exact full inverse converges in one step', () => {
  // f = x' Q x / 2 with Q = [[4, 1], [1, 3]]: the exact inverse Hessian is [[3, -1], [-1, 4]] / 11.
  const f = (x: Float64Array) => (4 * x[0] ** 2 + 2 * x[0] * x[1] + 3 * x[1] ** 2) / 2;
  const g = (x: Float64Array, out: Float64Array) => {
    out[0] = 4 * x[0] + x[1];
    out[1] = x[0] + 3 * x[1];
    return true;
  };
  const seeded = quasiNewton(f, g, [0.3, -0.4], { tol: 1e-14, initialInverseHessian: [3 / 11, -1 / 11, -1 / 11, 4 / 11] });
  assert.ok(seeded.converged, seeded.message);
  assert.ok(Math.abs(seeded.x[0]) < 1e-12 && Math.abs(seeded.x[1]) < 1e-12, `x = ${seeded.x}`);
  // One evaluation at the start, one at the Newton point.
  assert.equal(seeded.evaluations, 2);
});

test('quasiNewton(f, g, x0, { initialInverseHessian }) ignores an unusable matrix (asymmetric) and starts from the identity', () => {
  const f = (x: Float64Array) => (x[0] - 1) ** 2 + (x[1] + 2) ** 2;
  const g = (x: Float64Array, out: Float64Array) => {
    out[0] = 2 * (x[0] - 1);
    out[1] = 2 * (x[1] + 2);
    return true;
  };
  const plain = quasiNewton(f, g, [0, 0]);
  const bad = quasiNewton(f, g, [0, 0], { initialInverseHessian: [1, 0.5, 0, 1] });
  assert.deepEqual(Array.from(bad.x), Array.from(plain.x));
  assert.equal(bad.evaluations, plain.evaluations);
});
