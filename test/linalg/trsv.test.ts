import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trsvLower, trsvLowerTrans } from '../../src/linalg/trsv.js';
import { potrf } from '../../src/linalg/potrf.js';
import { randomSpd, randomMatrix, lowerOf, maxAbsDiff } from './random.js';

const n = 37;
const a = randomSpd(n, 12);
potrf(n, a, 0, n);
const l = lowerOf(n, a);
const b = randomMatrix(n, 1, 13);

test('trsvLower(n, L, 0, n, x, 0) solves L x = b', () => {
  const x = b.slice();
  trsvLower(n, l, 0, n, x, 0);
  const lx = new Float64Array(n);
  for (let j = 0; j < n; j++) for (let i = j; i < n; i++) lx[i] += l[i + j * n] * x[j];
  assert.ok(maxAbsDiff(lx, b) < 1e-12);
});

test("trsvLowerTrans(n, L, 0, n, x, 0) solves L' x = b", () => {
  const x = b.slice();
  trsvLowerTrans(n, l, 0, n, x, 0);
  const ltx = new Float64Array(n);
  for (let j = 0; j < n; j++) for (let i = j; i < n; i++) ltx[j] += l[i + j * n] * x[i];
  assert.ok(maxAbsDiff(ltx, b) < 1e-12);
});
