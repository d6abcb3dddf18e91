/**
 * Where lme4's optimiser path ends at a worse singular fit, glmer's guard finds the better
 * optimum and says so. Data: test/fixtures/data/glmm_singular_path.csv (200 Bernoulli rows, 20
 * groups, y ~ x + (1 + x | g), simulated for this test). lme4 1.1-31 (R 4.2.2),
 * glmer(y ~ x + (1 + x | g), data = d, family = binomial): logLik -121.927265859, singular,
 * theta (0, 0.1691507713, 0.2626672850), fixef (-0.2142181041, 1.0680655438).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitGlmm } from '../../src/glmm/index.js';
import { dataFrame } from './helpers.js';

const LME4_LOGLIK = -121.927265859;

test('fitGlmm(singular Bernoulli slopes) passes lme4\'s singular end point for a better optimum, with a note', () => {
  const frame = dataFrame('glmm_singular_path', 'y ~ x + (1 + x | g)', { factors: ['g'], family: 'binomial' });
  const fit = fitGlmm(frame, { family: 'binomial' });
  // Stage 2 on lme4's path ends where lme4 does (-2 logLik to 1e-6)...
  const path = fit.optsummary.stages[1];
  assert.ok(Math.abs(path.fmin - -2 * LME4_LOGLIK) < 1e-6, `lme4's path ended at ${path.fmin}`);
  // ...and the restart's optimum is better by far more than lme4's Nelder-Mead leaves (0.26 in -2 logLik here).
  assert.ok(fit.logLik > LME4_LOGLIK + 0.1, `logLik ${fit.logLik}`);
  assert.ok(fit.messages.some((m) => /lme4's optimiser path ends at a singular fit .* lower/.test(m)), fit.messages.join('\n'));
});

test('fitGlmm(cbpp) on lme4\'s path keeps lme4\'s end point: no restart note where the fit is not singular', () => {
  const frame = dataFrame('cbpp', 'cbind(incidence, size - incidence) ~ period + (1 | herd)', { factors: ['herd', 'period'], family: 'binomial' });
  const fit = fitGlmm(frame, { family: 'binomial' });
  assert.ok(!fit.messages.some((m) => m.includes('optimiser path ends')), fit.messages.join('\n'));
});
