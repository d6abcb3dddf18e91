// evaluateMethods on the click-through study (test/fixtures/refs/ctrstudy_a.json: R 4.2.2, lme4 1.1-31
// glmer nAGQ = 10, glmnet 4.1.6 cv.glmnet with the fold column at lambda.1se, glm with id as a factor):
// every method's MSPE on each of the five future data sets within 1e-4 relative, the display effect
// within 1e-6 (glm) or 2e-3 (glmm, lasso, ridge).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvFile } from '../../src/io/readTable.js';
import { evaluateMethods } from '../../src/evaluate/evaluate.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const data = (name: string) => readCsvFile(join(FIXTURES, 'data', `${name}.csv`));

test('evaluateMethods(formula, train, { newdata }) reproduces the click-through study', () => {
  const ref = JSON.parse(readFileSync(join(FIXTURES, 'refs', 'ctrstudy_a.json'), 'utf8'));
  const e = evaluateMethods(ref.formula, data(ref.data), {
    methods: ['glmm', 'lasso', 'ridge', 'glm'],
    newdata: ref.future.map(data),
    family: ref.family,
    nAGQ: ref.nAGQ,
    foldid: ref.foldid,
    factors: ref.factors,
  });
  assert.equal(e.metric, 'mspe');
  for (const m of e.methods) {
    ref.mspe[m.method].forEach((v: number, k: number) => assert.ok(Math.abs(m.scores[k] - v) <= 1e-4 * v, `${m.method} MSPE ${k}: ${m.scores[k]} vs ${v}`));
    const display = m.coefficients.find((c) => c.term === 'display')!.estimate;
    const tol = m.method === 'glm' ? 1e-6 : 2e-3;
    assert.ok(Math.abs(display - ref.display[m.method]) <= tol, `${m.method} display ${display} vs ${ref.display[m.method]}`);
    assert.ok(!m.coefficients.some((c) => /^id/.test(c.term)), 'grouping factor columns left out');
    assert.ok(m.fitSeconds > 0);
  }
});

test('evaluateMethods(..., { folds }) cross-validates every method on the training data', () => {
  const e = evaluateMethods('score ~ style + (1 | professor)', data('flipped'), { methods: ['lmm', 'lm', 'lasso'], folds: 5, seed: 2, factors: ['professor'], metric: 'rmse' });
  assert.equal(e.mode, 'cross-validation');
  assert.equal(e.sets.length, 5);
  for (const m of e.methods) {
    assert.equal(m.scores.length, 5);
    assert.ok(m.scores.every((s) => s > 0 && Number.isFinite(s)), m.method);
    assert.ok(m.sd > 0);
  }
  const again = evaluateMethods('score ~ style + (1 | professor)', data('flipped'), { methods: ['lm'], folds: 5, seed: 2, factors: ['professor'], metric: 'rmse' });
  assert.deepEqual(again.methods[0].scores, e.methods[1].scores, 'the seed fixes the folds');
});

test('evaluateMethods() rejects methods a family does not have and new data missing a column', () => {
  const d = data('ctrstudy_a');
  const formula = 'cbind(clicks, expos - clicks) ~ display + (1 | id)';
  assert.throws(() => evaluateMethods(formula, d, { methods: ['lmm'], family: 'binomial', factors: ['id'] }), /lmm needs the gaussian family/);
  assert.throws(() => evaluateMethods(formula, d, { methods: ['svm'], family: 'binomial' }), /unknown method 'svm'/);
  const bad = { clicks: [1, 2], expos: [3, 4], id: ['1', '2'] };
  assert.throws(() => evaluateMethods(formula, d, { methods: ['glm'], family: 'binomial', factors: ['id'], newdata: [bad] }), /newdata 1 has no column 'display', which the model uses/);
});

test('evaluateMethods passes on what a linear model\'s fit says (an essentially perfect fit), as it does for the others', () => {
  const x = Array.from({ length: 40 }, (_, i) => i % 10), g = Array.from({ length: 40 }, (_, i) => `g${i % 4}`);
  const e = evaluateMethods('y ~ x + (1 | g)', { y: x.map((v) => 1 + 2 * v), x, g }, { methods: ['lm'], folds: 4, seed: 1 });
  assert.ok(e.methods[0].messages.some((m) => /^essentially perfect fit/.test(m)), JSON.stringify(e.methods[0].messages));
});
