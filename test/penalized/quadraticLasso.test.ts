import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quadraticLasso } from '../../src/penalized/quadraticLasso.js';

test('quadraticLasso(p, Q, c, l1, b) meets the KKT conditions, holds Infinity-penalised coordinates at 0', () => {
  const p = 4;
  const Q = Float64Array.from([4, 1, 0.5, 0, 1, 3, 0.2, 0.1, 0.5, 0.2, 2, 0.3, 0, 0.1, 0.3, 1]);
  const c = Float64Array.from([2, -1.5, 0.1, 0.8]);
  const l1 = Float64Array.from([0, 0.5, 0.5, Infinity]);
  const b = new Float64Array(p);
  assert.ok(quadraticLasso(p, Q, c, l1, b));
  assert.equal(b[3], 0);
  for (let j = 0; j < 3; j++) {
    let g = c[j];
    for (let k = 0; k < p; k++) g -= Q[j + k * p] * b[k];
    if (b[j] === 0) assert.ok(Math.abs(g) <= l1[j] + 1e-12, `zero ${j}`);
    else assert.ok(Math.abs(g - l1[j] * Math.sign(b[j])) < 1e-12, `active ${j}`);
  }
  assert.equal(b[2], 0, 'the weak coordinate is dropped');
});
