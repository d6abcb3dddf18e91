// Nakagawa's R^2, against values derived by hand from the fitted variance components.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFrame, glmer, lmer } from '../../src/api/fit.js';
import { distributionVariance, fixedVariance, nakagawa, r2Nakagawa } from '../../src/inference/r2.js';
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
  assert.throws(() => distributionVariance('poisson', 'log'), /not available/);
});
