import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cvCurveSpec } from '../../src/plot/cvCurve.js';
import { countMarks, layers, markType, renderQuietly, texts } from './helpers.js';

const input = {
  lambda: [1, 0.5, 0.25, 0.125],
  cvm: [4, 3, 2.5, 2.6],
  cvsd: [0.3, 0.2, 0.2, 0.25],
  nzero: [0, 1, 3, 4],
  lambdaMin: 0.25,
  lambda1se: 0.5,
  measure: 'Binomial Deviance',
};

test('cvCurveSpec(input) draws error bars, points over log(lambda) and the two chosen lambdas', async () => {
  const spec = cvCurveSpec(input);
  assert.deepEqual(layers(spec).map(markType), ['rule', 'point', 'rule']);
  const svg = await renderQuietly(spec);
  assert.equal(countMarks(svg, 'symbol'), 4);
  assert.equal(countMarks(svg, 'rule'), 6);
  assert.ok(texts(svg).includes('log(lambda)'));
  assert.ok(texts(svg).includes('Binomial Deviance'));
});

test('cvCurveSpec() refuses columns of different lengths', () => {
  assert.throws(() => cvCurveSpec({ ...input, cvsd: [1] }), /differ in length/);
});
