import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussHermite } from '../../src/glmm/index.js';
import { MixedModelsError } from '../../src/errors.js';
import { near } from './helpers.js';

/** E[Z^k] for Z ~ N(0, 1): 0 for odd k, (k - 1)!! for even k. */
function normalMoment(k: number): number {
  if (k % 2 === 1) return 0;
  let m = 1;
  for (let j = k - 1; j > 1; j -= 2) m *= j;
  return m;
}

test('gaussHermite(n) integrates polynomials of degree <= 2n - 1 exactly against N(0, 1)', () => {
  for (const n of [1, 2, 3, 5, 10, 25]) {
    const { nodes, weights } = gaussHermite(n);
    for (let k = 0; k <= 2 * n - 1; k++) {
      let s = 0, scale = 0;
      for (let j = 0; j < n; j++) {
        s += weights[j] * nodes[j] ** k;
        scale += weights[j] * Math.abs(nodes[j]) ** k;
      }
      // relative to the sum of |terms| (odd moments cancel to 0)
      near(s, normalMoment(k), 1e-12 * scale, `n = ${n}, E[Z^${k}]`);
    }
  }
});

test('gaussHermite(n) has symmetric ascending nodes, 0 in the middle for odd n', () => {
  const { nodes, weights } = gaussHermite(7);
  for (let j = 0; j < 7; j++) {
    near(nodes[j], -nodes[6 - j], 0, 'nodes symmetric');
    near(weights[j], weights[6 - j], 1e-15, 'weights symmetric');
    if (j > 0) assert.ok(nodes[j] > nodes[j - 1]);
  }
  assert.equal(nodes[3], 0);
  // lme4's GHrule(3): nodes +-sqrt(3), weights 1/6, 2/3.
  const r3 = gaussHermite(3);
  near(r3.nodes[2], Math.sqrt(3), 1e-14, 'node');
  near(r3.weights[0], 1 / 6, 1e-14, 'weight');
});

test('gaussHermite(0) and gaussHermite(2.5) throw', () => {
  assert.throws(() => gaussHermite(0), MixedModelsError);
  assert.throws(() => gaussHermite(2.5), MixedModelsError);
});
