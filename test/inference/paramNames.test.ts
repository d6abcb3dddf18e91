import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmer, buildFrame } from '../../src/api/fit.js';
import { fitGlmm } from '../../src/glmm/index.js';
import { covarianceNames, parameterNames } from '../../src/inference/paramNames.js';
import { readCsvFile } from '../../src/io/readTable.js';
import { dataFile, readRef } from '../cli/helpers.js';

// References: lme4 1.1-31, confint(m, method = "profile", oldNames = FALSE) (test/fixtures/refs/inference_*.json).

test('parameterNames(terms, true, coefnames) equals lme4\'s confint row names for sleepstudy', () => {
  const ref = readRef('inference_sleepstudy');
  const m = lmer(ref.formula, readCsvFile(dataFile('sleepstudy')), { factors: ref.factors });
  const names = parameterNames(m.fit.varCorr.terms, true, m.fit.coefnames);
  assert.deepEqual(names, ref.confint_profile.map((r: { param: string }) => r.param));
});

test('parameterNames(terms, false, coefnames) has no sigma for a binomial GLMM (cbpp)', () => {
  const ref = readRef('inference_cbpp');
  const frame = buildFrame(ref.formula, readCsvFile(dataFile('cbpp')), { factors: ref.factors, family: 'binomial' });
  const fit = fitGlmm(frame, { family: 'binomial' });
  assert.deepEqual(parameterNames(fit.varCorr.terms, false, fit.coefnames), ref.confint_profile.map((r: { param: string }) => r.param));
});

test('covarianceNames(terms) lists a 3-column term by columns of its lower triangle', () => {
  const names = covarianceNames([{ factor: 'g', cnames: ['(Intercept)', 'x', 'z'] }, { factor: 'h', cnames: ['(Intercept)'] }]);
  assert.deepEqual(names, [
    'sd_(Intercept)|g', 'cor_x.(Intercept)|g', 'cor_z.(Intercept)|g', 'sd_x|g', 'cor_z.x|g', 'sd_z|g', 'sd_(Intercept)|h',
  ]);
});

test('covarianceNames(terms) names uncorrelated terms on one factor by the factor (Days || Subject)', () => {
  const m = lmer('Reaction ~ Days + (Days || Subject)', readCsvFile(dataFile('sleepstudy')), { factors: ['Subject'] });
  assert.deepEqual(covarianceNames(m.fit.varCorr.terms), ['sd_(Intercept)|Subject', 'sd_Days|Subject']);
});
