import { test } from 'node:test';
import assert from 'node:assert/strict';
import { methodScoresSpec } from '../../src/plot/methodScores.js';
import { countMarks, renderQuietly } from './helpers.js';

test('methodScoresSpec(input) shows each score and a mean tick per method', async () => {
  const spec = methodScoresSpec({ methods: ['glmm', 'lasso'], scores: [[0.055, 0.056, 0.057], [0.088, 0.089, NaN]], metric: 'MSPE' });
  const svg = await renderQuietly(spec);
  assert.equal(countMarks(svg, 'symbol'), 5, 'the missing score is left out');
  assert.throws(() => methodScoresSpec({ methods: ['a'], scores: [], metric: 'x' }), /one score list per method/);
});
