import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factorBlocks, termName } from '../../src/lmm/factorBlocks.js';
import { cases } from './helpers.js';

test('factorBlocks(zerocorr terms) merges (1 | Subject) and (0 + Days | Subject) into one k = 2 block', () => {
  const frame = cases.sleepstudy_zerocorr();
  const blocks = factorBlocks(frame.reTerms, frame.nobs);
  assert.equal(blocks.length, 1);
  assert.equal(blocks[0].k, 2);
  assert.deepEqual(blocks[0].terms.map((t) => [t.term, t.offset, t.name]), [
    [0, 0, '(1 | Subject)'],
    [1, 1, '(0 + Days | Subject)'],
  ]);
  assert.deepEqual(Array.from(blocks[0].z.subarray(0, 4)), [1, 0, 1, 1]);
});

test('factorBlocks(crossed terms) keeps one block per factor in lme4\'s order, each the term\'s own z (not a copy)', () => {
  const frame = cases.penicillin_crossed();
  const blocks = factorBlocks(frame.reTerms, frame.nobs);
  assert.deepEqual(blocks.map((b) => [b.group, b.nl]), [['plate', 24], ['sample', 6]]);
  assert.deepEqual(blocks.map((b) => b.z), frame.reTerms.map((t) => t.z));
  assert.equal(blocks[0].z, frame.reTerms[0].z);
});

test('termName(term) rebuilds lme4-style term text', () => {
  const t = cases.sleepstudy_slopes_reml().reTerms[0];
  assert.equal(termName(t), '(1 + Days | Subject)');
});
