import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeBlocks, formBlocks } from '../../src/lmm/blocks.js';
import { factorBlocks } from '../../src/lmm/factorBlocks.js';
import { cases } from './helpers.js';

test('formBlocks(penicillin) stores co-occurrence counts in the sparse block and y\'y last', () => {
  const frame = cases.penicillin_crossed();
  const A = formBlocks(frame, factorBlocks(frame.reTerms, frame.nobs));
  // 24 plates x 6 samples, every pair once: A_10 is 6 x 24 with all 144 counts 1.
  const S = A.off[1][0];
  assert.equal(S.rowidx.length, 144);
  assert.ok(S.values.every((v) => v === 1));
  assert.deepEqual(Array.from(A.diag[0].values), new Array(24).fill(6));
  assert.deepEqual(Array.from(A.diag[1].values), new Array(6).fill(24));
  const yy = frame.y.reduce((s, y) => s + y * y, 0);
  assert.ok(Math.abs(A.xx[3] - yy) < 1e-9 * yy);
  assert.equal(A.ldW, 0);
});

test('describeBlocks(A) prints the kinds of the blocks of L', () => {
  const frame = cases.penicillin_crossed();
  const A = formBlocks(frame, factorBlocks(frame.reTerms, frame.nobs));
  assert.equal(
    describeBlocks(A),
    ['rows:         plate    sample   fixed', 'plate (24):   Diagonal', 'sample (6):   Sparse   Dense', 'fixed (2):    Dense    Dense    Dense'].join('\n'),
  );
  const s = cases.sleepstudy_slopes_reml();
  assert.match(describeBlocks(formBlocks(s, factorBlocks(s.reTerms, s.nobs))), /Subject \(36\): +BlkDiag/);
});
