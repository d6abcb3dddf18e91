import { test } from 'node:test';
import assert from 'node:assert/strict';
import { table, tidy, glance, MixedModelsError } from '../../src/index.js';
import { models } from './fixtures.js';

const sleep = models.sleep();
const cbpp = models.cbpp();
const linear = models.lm();

test('table([lmer, lm, glmer]) matches terms by name and gives each model its own random-effects rows', () => {
  const t = table([sleep, linear, cbpp]);
  assert.deepEqual(t.fixed.map((f) => f.term), ['(Intercept)', 'Days', 'period2', 'period3', 'period4']);
  assert.equal(t.fixed[1].cells[2], null);
  const days = tidy(sleep, { effects: 'fixed', confInt: true })[1];
  assert.deepEqual(t.fixed[1].cells[0], { estimate: days.estimate, low: days['conf.low'], high: days['conf.high'], p: days['p.value'] });
  assert.deepEqual(t.random.map((r) => r.label), ['σ²', 'τ00 Subject', 'τ11 Subject.Days', 'ρ01 Subject', 'τ00 herd']);
  const vc = sleep.fit.varCorr;
  assert.equal(t.random[0].values[0], vc.residualSd ** 2);
  assert.equal(t.random[2].values[0], vc.terms[0].cov[3]);
  assert.deepEqual(t.random[4].values, [null, null, cbpp.fit.varCorr.terms[0].cov[0]]);
});

test('table(models).summary lists ICC, groups, observations, then R^2, in that order whatever the models', () => {
  const t = table([sleep, cbpp, linear]);
  assert.deepEqual(t.summary.map((r) => r.label), ['ICC', 'N Subject', 'N herd', 'Observations', 'Marginal R²', 'Conditional R²', 'R²', 'R² adjusted']);
  const g = glance(sleep);
  assert.deepEqual(t.summary[0].values, [g.icc, glance(cbpp).icc, null]);
  assert.deepEqual(t.summary[3].values, [180, 56, 180]);
  assert.equal(t.summary[4].values[0], g['r2.marginal']);
});

test('table([glmer], {exponentiate: true}) shows odds ratios with exponentiated intervals', () => {
  const t = table([cbpp], { exponentiate: true, level: 0.9 });
  assert.equal(t.estimateLabel, 'Odds Ratios');
  const row = tidy(cbpp, { effects: 'fixed', confInt: true, level: 0.9 })[1];
  assert.equal(t.fixed[1].cells[0]!.estimate, Math.exp(row.estimate as number));
  assert.equal(t.fixed[1].cells[0]!.low, Math.exp(row['conf.low'] as number));
  assert.throws(() => table([sleep], { exponentiate: true }), /log or logit link/);
});

test('table([], ...) and table(models, {labels}) of the wrong length throw MixedModelsError', () => {
  assert.throws(() => table([]), MixedModelsError);
  assert.throws(() => table([sleep], { labels: ['a', 'b'] }), /2 labels for 1 models/);
  assert.throws(() => table([sleep, {} as never]), /fitted model/);
});
