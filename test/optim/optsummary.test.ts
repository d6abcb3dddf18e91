import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOptimizer } from '../../src/optim/optsummary.js';
import * as optim from '../../src/optim/index.js';
import { rosenbrock } from './problems.js';

for (const name of ['bobyqa', 'neldermead'] as const) {
  test(`runOptimizer('${name}', f, x0, lower, upper) times the run and summarises it`, () => {
    const { summary, result } = runOptimizer(name, rosenbrock, [-1.2, 1], [-Infinity, -Infinity], [Infinity, Infinity]);
    assert.equal(summary.optimizer, name);
    assert.deepEqual(summary.initial, [-1.2, 1]);
    assert.deepEqual(summary.final, Array.from(result.x));
    assert.equal(summary.fmin, result.fx);
    assert.equal(summary.evaluations, result.evaluations);
    assert.equal(summary.converged, result.converged);
    assert.deepEqual(summary.messages, [result.message]);
    assert.ok(summary.seconds >= 0 && summary.seconds < 60);
    assert.ok(result.fx < 1e-4);
  });
}

test('runOptimizer(name, f, x0, lower, upper, opts) passes the bounds and options on', () => {
  const f = (x: Float64Array) => (x[0] + 1) ** 2 + (x[1] - 1) ** 2;
  const b = runOptimizer('bobyqa', f, [1, 0], [0, -Infinity], [Infinity, Infinity], { maxEval: 12 });
  assert.ok(b.result.evaluations <= 12);
  const nm = runOptimizer('neldermead', f, [1, 0], [0, -Infinity], [Infinity, Infinity], { ftolAbs: 0, xtolAbs: 1e-9 });
  assert.equal(nm.result.x[0], 0);
  assert.ok(Math.abs(nm.result.x[1] - 1) < 1e-6);
});

test('src/optim/index.ts exports the optimisers, runOptimizer and the derivatives', () => {
  assert.deepEqual(
    Object.keys(optim).sort(),
    ['bobyqa', 'brentMinimize', 'fdDerivatives', 'fdGradient', 'fdHessian', 'nelderMead', 'quasiNewton', 'runOptimizer'],
  );
});
