/**
 * glance() against broom.mixed 0.2.9.4 and broom 1.0.3 (test/fixtures/tidy/broom_mixed.R):
 * mixed models 1e-4 relative (optimum), lm and glm 1e-8. ICC and R^2 are ours
 * beyond broom: checked against Nakagawa's formulas evaluated in R 4.2.2 at
 * lme4's fit (performance is not installed), 1e-4 relative:
 *   S <- VarCorr(m)$Subject; z <- cbind(1, d$Days); re <- mean(rowSums((z %*% S) * z))
 *   s2 <- sigma(m)^2; f <- var(as.vector(model.matrix(m) %*% fixef(m)))
 *   c(re / (re + s2), f / (f + re + s2), (f + re) / (f + re + s2))
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glance } from '../../src/index.js';
import { assertRowsClose, models, ref } from './fixtures.js';

test('glance(lmer REML) gives nobs, sigma, logLik, AIC, BIC, REMLcrit, df.residual, then icc and R^2', () => {
  const g = glance(models.sleep());
  assertRowsClose([g], ref.sleep.glance, 1e-4);
  assert.deepEqual(Object.keys(g).slice(-3), ['icc', 'r2.marginal', 'r2.conditional']);
  assertRowsClose([g], [{ icc: 0.72166026, 'r2.marginal': 0.27865106, 'r2.conditional': 0.79921992 }], 1e-4, 0, ['icc', 'r2.marginal', 'r2.conditional']);
});

test('glance(lmer ML) gives deviance in place of REMLcrit', () => {
  assertRowsClose([glance(models.sleep3ml())], ref.sleep3_ml.glance, 1e-4);
});

test("glance(glmer) gives the deviance residuals' sum of squares and df.residual = nobs - npar", () => {
  assertRowsClose([glance(models.cbpp())], ref.cbpp.glance, 1e-4);
});

test('glance(lm) and glance(glm) give broom columns', () => {
  assertRowsClose([glance(models.lm())], ref.lm.glance, 1e-8);
  assertRowsClose([glance(models.glm())], ref.glm.glance, 1e-8);
});
