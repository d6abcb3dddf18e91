// blockMinimum against a brute-force minimisation of the same objective over (tau, y).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockMinimum, type BlockInput } from '../../src/glmnet/indicatorBlock.js';

function objective(input: BlockInput, tau: number, y: Float64Array): number {
  let f = -input.R0 * tau + (input.H0 * tau * tau) / 2;
  for (let l = 0; l < input.K; l++) {
    const d = tau + y[l] - input.b[l];
    f += -input.R[l] * d + (input.H[l] * d * d) / 2 + input.l1[l] * Math.abs(y[l]) + (input.l2[l] * y[l] * y[l]) / 2;
  }
  return f;
}

test('blockMinimum(input, y) finds the joint minimum over the intercept shift and the free levels', () => {
  const input: BlockInput = {
    K: 4,
    b: Float64Array.from([0.3, 0, -0.2, 1.1]),
    R: Float64Array.from([0.5, -0.3, 0.2, -0.1]),
    H: Float64Array.from([1, 2, 0.5, 1.5]),
    l1: Float64Array.from([0.2, 0.2, 0.4, 0.1]),
    l2: Float64Array.from([0, 0.1, 0, 0.3]),
    R0: 0.25,
    H0: 0.7,
  };
  const y = new Float64Array(4);
  const tau = blockMinimum(input, y);
  const best = objective(input, tau, y);
  // no perturbation of tau or any y lowers the objective
  for (const h of [1e-3, -1e-3, 1e-6, -1e-6]) {
    const t = y.slice();
    assert.ok(objective(input, tau + h, t) >= best - 1e-15);
    for (let l = 0; l < 4; l++) {
      const u = y.slice();
      u[l] += h;
      assert.ok(objective(input, tau, u) >= best - 1e-15, `level ${l}`);
    }
  }
});

test('blockMinimum() keeps tau at 0 when the objective is flat in it (every level free, no penalty)', () => {
  const input: BlockInput = { K: 2, b: Float64Array.from([1, 2]), R: Float64Array.from([0.1, -0.1]), H: Float64Array.from([1, 1]), l1: new Float64Array(2), l2: new Float64Array(2), R0: 0, H0: 0 };
  const y = new Float64Array(2);
  assert.equal(blockMinimum(input, y), 0);
  assert.deepEqual([...y], [1.1, 1.9]);
});
