import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logdetChol } from '../../src/linalg/logdet.js';
import { potrf } from '../../src/linalg/potrf.js';

test('logdetChol(n, chol(A)) equals log det A for a 3 x 3 matrix', () => {
  // A = [[4,2,0],[2,5,1],[0,1,3]]: det = 4(15 - 1) - 2(6 - 0) = 44.
  const a = new Float64Array([4, 2, 0, 2, 5, 1, 0, 1, 3]);
  assert.equal(potrf(3, a, 0, 3), 0);
  assert.ok(Math.abs(logdetChol(3, a, 0, 3) - Math.log(44)) < 1e-14);
});
