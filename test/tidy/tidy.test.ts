/**
 * tidy() against broom.mixed 0.2.9.4 and broom 1.0.3 (test/fixtures/tidy/broom_mixed.R).
 * Tolerances: mixed models 1e-4 relative, correlations and near-zero
 * values 1e-4 absolute (our optimum and lme4's agree to about 2e-5 in the
 * standard deviations, less in the flat direction of a correlation); lm and
 * glm 1e-8 and 1e-6 (closed form, IRLS).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tidy, MixedModelsError } from '../../src/index.js';
import { assertRowsClose, models, ref } from './fixtures.js';

const sleep = models.sleep();

test("tidy(lmer, {effects: 'fixed', confInt: true, level: 0.9}) gives lmerTest's t intervals with Satterthwaite df", () => {
  const rows = tidy(sleep, { effects: 'fixed', confInt: true, level: 0.9 });
  assertRowsClose(rows, ref.sleep.fixed, 1e-4, 0, ['effect', 'term', 'estimate', 'std.error', 'statistic', 'df', 'conf.low', 'conf.high']);
  // p = 1e-17 moves by 1e-3 relative with df's 2e-5.
  assertRowsClose(rows, ref.sleep.fixed, 1e-3);
});

test("tidy(lmer, {effects: 'ran_pars'}) names sd__, cor__ and sd__Observation as broom.mixed", () => {
  assertRowsClose(tidy(sleep, { effects: 'ran_pars' }), ref.sleep.ran_pars, 1e-4, 1e-4);
  assertRowsClose(tidy(sleep, { effects: 'ran_pars', scales: 'vcov' }), ref.sleep.ran_pars_vcov, 1e-4, 1e-2);
});

test("tidy(lmer with a 3 x 3 covariance, {effects: 'ran_pars'}) lists each sd then its later correlations", () => {
  assertRowsClose(tidy(models.sleep3ml(), { effects: 'ran_pars' }), ref.sleep3_ml.ran_pars, 1e-3);
});

test("tidy(lmer with crossed factors, {effects: 'ran_pars' | 'ran_vals'}) keeps lme4's order of the factors", () => {
  const m = models.penicillin();
  assertRowsClose(tidy(m, { effects: 'ran_pars' }), ref.penicillin.ran_pars, 1e-4);
  assertRowsClose(tidy(m, { effects: 'ran_vals' }), ref.penicillin.ran_vals, 1e-4, 1e-6);
});

test("tidy(lmer, {effects: 'ran_vals', confInt: true}) gives conditional modes, sds and normal intervals", () => {
  assertRowsClose(tidy(sleep, { effects: 'ran_vals', confInt: true }), ref.sleep.ran_vals, 1e-4, 1e-3);
});

test('tidy(glmer, {confInt: true}) gives fixed then ran_pars rows with a group column, as broom.mixed', () => {
  assertRowsClose(tidy(models.cbpp(), { confInt: true }), ref.cbpp.tidy, 1e-4, 1e-6);
});

test('tidy(lm, {confInt: true}) and tidy(glm) give broom columns without effect', () => {
  assertRowsClose(tidy(models.lm(), { confInt: true }), ref.lm.tidy, 1e-8);
  assertRowsClose(tidy(models.glm()), ref.glm.tidy, 1e-6);
});

test("tidy(lmer, {confInt: true, confMethod: 'profile'}) gives the profile intervals of confint()", () => {
  const rows = tidy(models.penicillin(), { effects: ['ran_pars', 'fixed'], confInt: true, confMethod: 'profile' });
  // R 4.2.2, lme4: confint(lmer(diameter ~ 1 + (1 | plate) + (1 | sample), Penicillin), oldNames = FALSE)
  const r = [[0.63356597, 1.18210398], [1.09578930, 3.55629095], [0.48584540, 0.62945348], [21.26662738, 24.67781762]];
  rows.forEach((row, i) => {
    assert.ok(Math.abs((row['conf.low'] as number) - r[i][0]) < 2e-4 * Math.abs(r[i][0]), `${row.term} low ${row['conf.low']}`);
    assert.ok(Math.abs((row['conf.high'] as number) - r[i][1]) < 2e-4 * Math.abs(r[i][1]), `${row.term} high ${row['conf.high']}`);
  });
});

test("tidy(lm, {effects: 'ran_pars'}) and tidy(m, {effects: 'random'}) throw MixedModelsError", () => {
  assert.throws(() => tidy(models.lm(), { effects: 'ran_pars' }), MixedModelsError);
  assert.throws(() => tidy(sleep, { effects: 'random' as never }), /options.effects/);
  assert.throws(() => tidy(sleep, { confint: true } as never), /did you mean 'confInt'/);
  assert.throws(() => tidy({} as never), /fitted model/);
});
