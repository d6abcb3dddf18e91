// compareModels() against lme4 1.1-31's anova(m0, m1) (test/fixtures/refs/inference_sleepstudy.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glm, glmer, lm, lmer } from '../../src/api/fit.js';
import { compareModels } from '../../src/inference/compare.js';
import { readCsvFile } from '../../src/io/readTable.js';
import { assertClose, dataFile, readRef } from '../cli/helpers.js';

const ref = readRef('inference_sleepstudy');
const sleep = readCsvFile(dataFile('sleepstudy'));
const options = { factors: ['Subject'] };
const m1 = lmer(ref.formula, sleep, options);
const m0 = lmer(ref.lrt.null, sleep, options);

test('compareModels([m1, m0]) refits by ML and agrees with lme4\'s anova (chisq, df, p 1e-4; AIC, BIC, logLik 1e-6)', () => {
  const c = compareModels([m1, m0]);
  assert.equal(c.refitted, true);
  assert.deepEqual(c.models.map((m) => m.formula), [ref.lrt.null, ref.formula]);
  assertClose(c.chisq, ref.lrt.chisq, 1e-4, 'chisq');
  assert.equal(c.df, ref.lrt.df);
  assertClose(c.pValue, ref.lrt.p, 1e-4, 'p');
  c.models.forEach((m, i) => {
    assertClose(m.AIC, ref.lrt.AIC[i], 1e-6, `AIC ${i}`);
    assertClose(m.BIC, ref.lrt.BIC[i], 1e-6, `BIC ${i}`);
    assertClose(m.logLik, ref.lrt.logLik[i], 1e-6, `logLik ${i}`);
    assertClose(m.deviance, -2 * ref.lrt.logLik[i], 1e-6, `deviance ${i}`);
  });
  assert.deepEqual(c.models.map((m) => m.npar), [4, 6]);
  assert.ok(Number.isNaN(c.models[0].chisq));
});

test('compareModels([m0, m1]) on ML fits needs no refit and gives the same test', () => {
  const ml = [lmer(ref.lrt.null, sleep, { ...options, REML: false }), lmer(ref.formula, sleep, { ...options, REML: false })];
  const c = compareModels(ml);
  assert.equal(c.refitted, false);
  assertClose(c.chisq, ref.lrt.chisq, 1e-4, 'chisq');
});

test('compareModels([lm, lmer]) tests the random effects against a linear model', () => {
  const c = compareModels([lm('Reaction ~ Days', sleep), m0]);
  assert.deepEqual(c.models.map((m) => m.npar), [3, 4]);
  assert.ok(c.chisq > 0 && c.pValue < 1e-10);
});

test('compareModels() of linear models (or GLMs with a dispersion) says that R\'s anova(m0, m1) gives another test; of mixed models it does not', () => {
  const lms = compareModels([lm('Reaction ~ 1', sleep), lm('Reaction ~ Days', sleep)]);
  assert.ok(lms.messages.some((m) => /R's anova\(m0, m1\) of linear models is an F test/.test(m)), lms.messages.join('\n'));
  const gammas = compareModels([glm('Reaction ~ 1', sleep, { family: 'Gamma' }), glm('Reaction ~ Days', sleep, { family: 'Gamma' })]);
  assert.ok(gammas.messages.some((m) => /GLMs with an estimated dispersion scales the deviance/.test(m)), gammas.messages.join('\n'));
  assert.ok(!compareModels([m1, m0]).messages.some((m) => /R's anova\(m0, m1\)/.test(m)));
  assert.ok(!compareModels([lm('Reaction ~ Days', sleep), m0]).messages.some((m) => /R's anova\(m0, m1\)/.test(m)));
});

test('compareModels() refuses different responses or rows and warns about models that do not look nested', () => {
  assert.throws(() => compareModels([m0]), /at least two/);
  assert.throws(() => compareModels([m0, lmer('log(Reaction) ~ Days + (1 | Subject)', sleep, options)]), /different responses/);
  const fewer = { ...sleep, columns: new Map(sleep.columns).set('Days', { kind: 'numeric' as const, values: Float64Array.from(sleep.columns.get('Days')!.values as Float64Array, (d, i) => (i === 0 ? NaN : d)) }) };
  assert.throws(() => compareModels([m0, lmer(ref.lrt.null, fewer, options)]), /different rows/);
  const other = lmer('Reaction ~ I(Days^2) + (1 | Subject)', sleep, options);
  const c = compareModels([other, m1]);
  assert.match(c.messages.join('\n'), /does not look nested/);
  assert.doesNotMatch(compareModels([m0, m1]).messages.join('\n'), /nested/);
});

test('compareModels() tests nested GLMMs on their marginal log-likelihoods without refitting (cbpp)', () => {
  const cbpp = readCsvFile(dataFile('cbpp'));
  const glmm = (formula: string) => {
    return glmer(formula, cbpp, { factors: ['herd', 'period'], family: 'binomial' });
  };
  const g1 = glmm('cbind(incidence, size - incidence) ~ period + (1 | herd)');
  const g0 = glmm('cbind(incidence, size - incidence) ~ 1 + (1 | herd)');
  const c = compareModels([g1, g0]);
  assert.equal(c.refitted, false);
  assert.equal(c.df, 3);
  assertClose(c.chisq, 2 * (g1.fit.logLik - g0.fit.logLik), 1e-12, 'chisq');
  assert.ok(c.pValue < 1e-3);
});

// R 4.2.2, lme4 1.1-31: d <- read.csv("cbpp.csv"); d$herd <- factor(d$herd); d$period <- factor(d$period)
// m <- glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), d, binomial)
// g <- glm(cbind(incidence, size - incidence) ~ period, binomial, d); anova(m, g)
// -> g: npar 4, logLik -99.029; m: npar 5, logLik -92.027; Chisq 14.005, Df 1, Pr(>Chisq) 0.0001823
test('compareModels([glmm, glm]) tests the random intercept as lme4\'s anova(glmer, glm) (cbpp; chisq 1e-3, p 1e-6)', () => {
  const cbpp = readCsvFile(dataFile('cbpp'));
  const options = { factors: ['herd', 'period'], family: 'binomial' };
  const g = glm('cbind(incidence, size - incidence) ~ period', cbpp, options);
  const m = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, options);
  const c = compareModels([m, g]);
  assert.equal(c.refitted, false);
  assert.deepEqual(c.models.map((x) => x.npar), [4, 5]);
  assertClose(c.models[0].logLik, -99.0292, 1e-4, 'glm logLik');
  assert.equal(c.df, 1);
  assertClose(c.chisq, 14.005, 1e-3, 'chisq');
  assert.ok(Math.abs(c.pValue - 0.0001823) < 1e-6, `p ${c.pValue}`);
});
