import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brentMinimize } from '../../src/optim/brent.js';

// R 4.2.2's optimize(f, interval, tol) and its number of evaluations of f, less the one optimize adds
// after Brent_fmin to report f at the minimum (13 and 23 counted in R).
test('brentMinimize((x - 1/3)^2 + sin(3x), -2, 2, 1e-8) follows R\'s optimize', () => {
  const r = brentMinimize((x) => (x - 1 / 3) ** 2 + Math.sin(3 * x), -2, 2, 1e-8);
  assert.ok(Math.abs(r.x - -0.36274419150744325) < 1e-12, `x ${r.x}`);
  assert.ok(Math.abs(r.fx - -0.40128420104709556) < 1e-15, `f ${r.fx}`);
  assert.equal(r.evaluations, 12);
});

test('brentMinimize(|x - 0.7|, 0, 5, 1e-6) follows R\'s optimize on a kink', () => {
  const r = brentMinimize((x) => Math.abs(x - 0.7), 0, 5, 1e-6);
  assert.ok(Math.abs(r.x - 0.70000021423499181) < 1e-12, `x ${r.x}`);
  assert.equal(r.evaluations, 22);
});

test('brentMinimize treats values that are not finite as the largest double', () => {
  const r = brentMinimize((x) => (x < 1 ? NaN : (x - 2) ** 2), 0, 4, 1e-8);
  assert.ok(Math.abs(r.x - 2) < 1e-6, `x ${r.x}`);
});

test('brentMinimize stops at the edge when f decreases throughout', () => {
  const r = brentMinimize((x) => -x, 0, 1, 1e-5);
  assert.ok(1 - r.x < 1e-4, `x ${r.x}`);
});
