import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocateLambda, lambdaMap, setLambda } from '../../src/lmm/lambda.js';
import { factorBlocks } from '../../src/lmm/factorBlocks.js';
import { cases } from './helpers.js';

test('lambdaMap(k = 2 term) fills T column-wise: theta = [T11, T21, T22]', () => {
  const frame = cases.sleepstudy_slopes_reml();
  const blocks = factorBlocks(frame.reTerms, frame.nobs);
  const map = lambdaMap(blocks, 1);
  assert.deepEqual(Array.from(map.theta0), [1, 0, 1]);
  assert.deepEqual(Array.from(map.lower), [0, -Infinity, 0]);
  const lam = allocateLambda(blocks);
  setLambda(map, [2, 3, 4], lam);
  assert.deepEqual(Array.from(lam[0]), [2, 3, 0, 4]);
});

test('lambdaMap(merged zerocorr block) leaves the off-diagonal a structural zero', () => {
  const frame = cases.sleepstudy_zerocorr();
  const blocks = factorBlocks(frame.reTerms, frame.nobs);
  const map = lambdaMap(blocks, 2);
  assert.deepEqual(Array.from(map.index[0]), [0, -1, -1, 1]);
  const lam = allocateLambda(blocks);
  setLambda(map, [5, 6], lam);
  assert.deepEqual(Array.from(lam[0]), [5, 0, 0, 6]);
});

test('lambdaMap(terms in several blocks) keeps lme4\'s theta order by term', () => {
  const frame = cases.pastes_nested();
  const map = lambdaMap(factorBlocks(frame.reTerms, frame.nobs), 2);
  assert.deepEqual(map.where.map((w) => w.block), [0, 1]);
});
