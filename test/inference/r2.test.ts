// Nakagawa's R^2, against values derived by hand from the fitted variance components.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFrame, glmer, lmer } from '../../src/api/fit.js';
import { distributionVariance, fixedVariance, nakagawa, nullIntercept, r2Nakagawa } from '../../src/inference/r2.js';
import { readCsvFile } from '../../src/io/readTable.js';
import { assertClose, dataFile } from '../cli/helpers.js';

const sleep = readCsvFile(dataFile('sleepstudy'));
const options = { factors: ['Subject'] };
const days = Array.from(sleep.columns.get('Days')!.values as Float64Array);
const n = days.length;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Sample variance (n - 1). */
const variance = (xs: number[]) => xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1);

test('r2Nakagawa(m) for a random intercept: var(X beta) and the intercept variance', () => {
  const m = lmer('Reaction ~ Days + (1 | Subject)', sleep, options);
  const vf = m.fit.beta[1] ** 2 * variance(days);
  const vr = m.fit.varCorr.terms[0].sd[0] ** 2, ve = m.fit.sigma ** 2;
  const r2 = r2Nakagawa(m);
  assertClose(r2.variances.fixed, vf, 1e-12, 'fixed variance');
  assertClose(r2.marginal, vf / (vf + vr + ve), 1e-12, 'marginal');
  assertClose(r2.conditional, (vf + vr) / (vf + vr + ve), 1e-12, 'conditional');
});

test('r2Nakagawa(m) for a random slope: mean over rows of z\'Sigma z (Johnson 2014)', () => {
  const m = lmer('Reaction ~ Days + (Days | Subject)', sleep, options);
  const [s00, s10, , s11] = m.fit.varCorr.terms[0].cov;
  // mean_i (s00 + 2 d_i s10 + d_i^2 s11), d_i = Days of row i.
  const vr = s00 + 2 * mean(days) * s10 + mean(days.map((d) => d * d)) * s11;
  const vf = m.fit.beta[1] ** 2 * variance(days), ve = m.fit.sigma ** 2;
  const r2 = r2Nakagawa(m);
  assertClose(r2.variances.random, vr, 1e-12, 'random variance');
  assertClose(r2.marginal, vf / (vf + vr + ve), 1e-12, 'marginal');
  assertClose(r2.conditional, (vf + vr) / (vf + vr + ve), 1e-12, 'conditional');
  // performance::r2_nakagawa reports 0.799 (conditional) and 0.279 (marginal) for this model.
  assert.equal(r2.conditional.toFixed(3), '0.799');
  assert.equal(r2.marginal.toFixed(3), '0.279');
});

test('nakagawa(parts) and fixedVariance(X, beta, n) are the plain formulas', () => {
  assert.deepEqual(nakagawa({ fixed: 1, random: 2, residual: 1 }), { marginal: 0.25, conditional: 0.75 });
  assertClose(fixedVariance(Float64Array.from([1, 1, 1, 0, 1, 2]), [5, 2], 3), 4, 1e-15, 'var(5 + 2x)');
  assert.equal(n, 180);
});

test('r2Nakagawa(glmm) for a binomial logit model uses pi^2/3 as the residual variance', () => {
  const cbpp = readCsvFile(dataFile('cbpp'));
  const formula = 'cbind(incidence, size - incidence) ~ period + (1 | herd)';
  const glmm = glmer(formula, cbpp, { factors: ['herd', 'period'], family: 'binomial' });
  const eta = Array.from({ length: glmm.frame.nobs }, (_, i) => glmm.frame.colnames.reduce((s, _c, t) => s + glmm.frame.X[i + t * glmm.frame.nobs] * glmm.fit.beta[t], 0));
  const vf = variance(eta), vr = glmm.fit.varCorr.terms[0].sd[0] ** 2, ve = Math.PI ** 2 / 3;
  const r2 = r2Nakagawa(glmm);
  assertClose(r2.marginal, vf / (vf + vr + ve), 1e-12, 'marginal');
  assertClose(r2.conditional, (vf + vr) / (vf + vr + ve), 1e-12, 'conditional');
  assert.equal(distributionVariance('binomial', 'probit'), 1);
  assert.throws(() => distributionVariance('poisson', 'sqrt'), /not available/);
});

test('distributionVariance("poisson", "log", lambda) is the lognormal approximation ln(1 + 1/lambda)', () => {
  assertClose(distributionVariance('poisson', 'log', 2), Math.log(1.5), 1e-15, 'lambda = 2');
  assert.throws(() => distributionVariance('poisson', 'log'), /lambda/);
});

test('r2Nakagawa(glmm) for a Poisson model agrees with performance::r2_nakagawa', () => {
  const ticks = readCsvFile(dataFile('grouseticks'));
  const m = glmer('TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | LOCATION)', ticks, { factors: ['YEAR', 'BROOD', 'LOCATION'], family: 'poisson' });
  const r2 = r2Nakagawa(m);
  // R 4.2, lme4 1.1-31, performance 0.10.2, insight 0.19.0: r2_nakagawa(m) and insight::get_variance(m);
  // the null model glmer(TICKS ~ 1 + (1 | BROOD) + (1 | LOCATION)) has intercept 0.52608168882.
  // Our null fit reaches a log-likelihood 0.004 higher (-1035.1901 vs lme4's -1035.1939) with intercept
  // 0.52330, hence the looser tolerances on it and on the distribution variance ln(1 + exp(-beta_0)).
  assertClose(nullIntercept(m), 0.52608168882, 1e-2, 'null intercept');
  assertClose(r2.variances.residual, 0.4643098451, 3e-3, 'distribution variance');
  assertClose(r2.variances.fixed, 1.7300267932, 1e-4, 'fixed variance');
  assertClose(r2.variances.random, 0.9219959414, 1e-4, 'random variance');
  assertClose(r2.conditional, 0.8510076081, 1e-3, 'conditional');
  assertClose(r2.marginal, 0.5551483191, 1e-3, 'marginal');
});
