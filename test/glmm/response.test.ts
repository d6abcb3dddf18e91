import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MixedModelsError } from '../../src/errors.js';
import { modelFrameFromText } from '../../src/frame/index.js';
import { fitGlmm, glmmResponse } from '../../src/glmm/index.js';
import { makeFamily } from '../../src/glm/family.js';
import { parseCsv } from '../../src/io/csv.js';
import { refFrame } from './helpers.js';

const frameOf = (csv: string, formula: string, family = 'binomial', weights?: string) =>
  modelFrameFromText(formula, parseCsv(csv), { family, weights });

test('fitGlmm rejects binomial proportions above 1 (successes above trials)', () => {
  const f = frameOf('s,n,g\n3,2,a\n1,2,b\n0,2,a\n2,2,b\n', 's / n ~ 1 + (1 | g)', 'binomial', 'n');
  assert.throws(() => fitGlmm(f, { family: 'binomial' }), /binomial successes exceed the trials in row 1/);
});

test('fitGlmm rejects non-integer binomial successes', () => {
  const f = frameOf('y,g\n0.3,a\n1,b\n0,a\n1,b\n', 'y ~ 1 + (1 | g)');
  assert.throws(() => fitGlmm(f, { family: 'binomial' }), /binomial successes must be whole numbers/);
});

test('fitGlmm rejects negative and non-integer poisson counts', () => {
  const neg = frameOf('y,g\n-1,a\n1,b\n0,a\n2,b\n', 'y ~ 1 + (1 | g)', 'poisson');
  assert.throws(() => fitGlmm(neg, { family: 'poisson' }), /poisson counts must be non-negative/);
  const frac = frameOf('y,g\n1.5,a\n1,b\n0,a\n2,b\n', 'y ~ 1 + (1 | g)', 'poisson');
  assert.throws(() => fitGlmm(frac, { family: 'poisson' }), /poisson counts must be whole numbers/);
});

test('fitGlmm(frame, { nAGQ: 5 }) needs a single scalar term', () => {
  assert.throws(() => fitGlmm(refFrame('verbagg_crossed'), { family: 'binomial', nAGQ: 5 }), /single scalar random-effects term/);
  assert.throws(() => fitGlmm(refFrame('cbpp_laplace'), { family: 'binomial', nAGQ: -1 }), MixedModelsError);
});

test('fitGlmm rejects the gaussian identity model and unknown families', () => {
  assert.throws(() => fitGlmm(refFrame('cbpp_laplace'), { family: 'gaussian' }), /fitLmm/);
  assert.throws(() => fitGlmm(refFrame('cbpp_laplace'), { family: 'binomail' }), /did you mean 'binomial'/);
});

test("glmmResponse(frame, binomial).aicConstant is 0 for 0/1 responses and R's aic(mustart) - deviance(mustart) otherwise", () => {
  const binary = frameOf('y,g\n1,a\n0,b\n0,a\n1,b\n1,a\n', 'y ~ 1 + (1 | g)');
  assert.equal(glmmResponse(binary, makeFamily('binomial')).aicConstant, 0);
  // C = -2 log p(y | mu = y): 2 of 3 and 1 of 4 successes give 3 (2/3)^2 (1/3) = 4/9 and 4 (1/4) (3/4)^3 = 27/64,
  // the 0/4 and 5/5 rows 1: C = -2 log(3/16).
  const counts = frameOf('s,n,g\n2,3,a\n1,4,b\n0,4,a\n5,5,b\n', 's / n ~ 1 + (1 | g)', 'binomial', 'n');
  const c = glmmResponse(counts, makeFamily('binomial')).aicConstant;
  assert.ok(Math.abs(c + 2 * Math.log(3 / 16)) < 1e-12, `C = ${c}`);
});
