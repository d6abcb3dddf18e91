import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitGlmm } from '../../src/glmm/glmer.js';
import { MixedModelsError } from '../../src/errors.js';
import { dataFrame, near, readRef } from './helpers.js';

// lme4 1.1-31's glmer.nb(y ~ x + f + offset(log(expo)) + (1 | g), data = nbsim) (test/fixtures/r/negbin_refs.R).
const ref = readRef('nb_nbsim_offset') as any;
const frame = dataFrame('nbsim', ref.formula, { family: 'negative.binomial' });

test("fitGlmm(frame, { family: 'negative.binomial' }) estimates theta as glmer.nb", () => {
  const fit = fitGlmm(frame, { family: 'negative.binomial' });
  // theta within 1e-4 relative, logLik within 2e-3, fixed effects within 1% of an SE, SEs within 1%.
  near(fit.nbTheta!, ref.theta_nb, 1e-4 * ref.theta_nb, 'theta');
  near(fit.logLik, ref.logLik, 2e-3, 'logLik');
  fit.coefficients.forEach((c) => {
    near(c.estimate, ref.fixef[c.term], 0.01 * ref.fixef_se[c.term], `${c.term} estimate`);
    near(c.stdError, ref.fixef_se[c.term], 0.01 * ref.fixef_se[c.term], `${c.term} SE`);
  });
  assert.equal(fit.npar, ref.df, 'theta counted as a parameter, as lme4');
  near(fit.AIC, -2 * fit.logLik + 2 * fit.npar, 1e-9, 'AIC');
  near(fit.BIC, -2 * fit.logLik + Math.log(fit.nobs) * fit.npar, 1e-9, 'BIC');
  const last = fit.optsummary.stages.at(-1)!;
  assert.equal(last.optimizer, 'brent');
  assert.ok(last.converged);
  assert.ok(fit.converged, fit.messages.join('; '));
});

test('fitGlmm with nbTheta holds theta fixed: the same fit at that theta, theta not counted', () => {
  const estimated = fitGlmm(frame, { family: 'negative.binomial' });
  const fixed = fitGlmm(frame, { family: 'negative.binomial', nbTheta: estimated.nbTheta });
  assert.equal(fixed.nbTheta, estimated.nbTheta);
  near(fixed.logLik, estimated.logLik, 1e-9, 'logLik');
  fixed.beta.forEach((b, j) => near(b, estimated.beta[j], 1e-9, `beta[${j}]`));
  assert.equal(fixed.npar, estimated.npar - 1);
  assert.ok(!fixed.optsummary.stages.some((s) => s.optimizer === 'brent'));
});

test('fitGlmm(negative.binomial) on counts without overdispersion notes it', () => {
  // y is a deterministic near-Poisson pattern (variance below the mean): theta heads for infinity.
  const poissonLike = dataFrame('nbsim', 'y ~ x + (1 | g)', { family: 'negative.binomial' }, {
    column: 'y', value: (_t, i) => 3 + ((i * 7) % 3) - 1,
  });
  const fit = fitGlmm(poissonLike, { family: 'negative.binomial' });
  assert.ok(fit.nbTheta! > 1e3, `theta ${fit.nbTheta}`);
  assert.ok(fit.messages.some((m) => /no overdispersion/.test(m)), fit.messages.join('; '));
});

test('fitGlmm refuses nbTheta for another family', () => {
  assert.throws(() => fitGlmm(frame, { family: 'poisson', nbTheta: 2 }), (e) => e instanceof MixedModelsError && /belongs to the negative binomial/.test(e.message));
});
