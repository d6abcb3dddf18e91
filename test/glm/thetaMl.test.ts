import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thetaMl } from '../../src/glm/thetaMl.js';
import { assertClose } from '../distributions/close.js';

const y = Float64Array.from([0, 1, 3, 7, 2, 0, 0, 12, 5, 4, 1, 0, 2, 9]);
const mu = Float64Array.from([1, 1.5, 2, 3, 2.5, 1, 0.8, 6, 4, 3, 2, 1, 2, 5]);

// R 4.2.2, MASS 7.3-58: theta.ml(y, mu, limit = 25, eps = 1e-8) and with weights; theta 1e-12, SE 1e-10 relative.
test('thetaMl(y, mu, w) is MASS\'s theta.ml with its SE', () => {
  const r = thetaMl(y, mu, new Float64Array(y.length).fill(1), 25, 1e-8);
  assertClose(r.theta, 7.8063227829398345, 1e-12, 'theta');
  assertClose(r.se, 9.9539885223942193, 1e-10, 'SE');
  assert.deepEqual(r.warnings, []);
  const w = Float64Array.from([1, 2, 1, 1, 3, 1, 1, 1, 2, 1, 1, 0, 1, 1]);
  const rw = thetaMl(y, mu, w, 25, 1e-8);
  assertClose(rw.theta, 16.25548915948611, 1e-12, 'weighted theta');
  assertClose(rw.se, 27.907022277042806, 1e-10, 'weighted SE');
});

test('thetaMl warns when its iteration limit is reached', () => {
  const r = thetaMl(y, mu, new Float64Array(y.length).fill(1), 2, 1e-8);
  assert.deepEqual(r.warnings, ['iteration limit reached']);
});

test('thetaMl says so when counts equal their means (no overdispersion, no finite theta)', () => {
  const m = Float64Array.from([1, 2, 3, 4]);
  const r = thetaMl(m, m, new Float64Array(4).fill(1), 25);
  assert.ok(r.warnings.some((w) => w.includes('no overdispersion')), r.warnings.join('; '));
});
