/**
 * fitGlmm against R's lme4 1.1-31 (test/fixtures/refs): logLik within 2e-3 of
 * lme4's (Laplace) or within 0.05 of the true marginal log-likelihood at
 * lme4's estimates (`exact_logLik`, quadrature fits, whose lme4 logLik leaves
 * out the constants); fixed effects and their standard errors within 1% of a
 * standard error; random-effect standard deviations within 1%.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitGlmm } from '../../src/glmm/index.js';
import { near, readRef, refFrame } from './helpers.js';

function checkReference(name: string): void {
  const ref = readRef(name);
  const fit = fitGlmm(refFrame(name), { family: ref.family, link: ref.link, nAGQ: ref.nAGQ });
  if (ref.nAGQ > 1) {
    near(fit.logLik, ref.exact_logLik!, 0.05, `${name} logLik (exact)`);
    near(fit.objective, ref.objective, 0.01, `${name} objective (lme4's quadrature criterion)`);
  } else {
    near(fit.logLik, ref.logLik, 2e-3, `${name} logLik`);
  }
  fit.coefnames.forEach((c, j) => {
    const se = ref.fixef_se[c];
    near(fit.beta[j], ref.fixef[c], 0.01 * se, `${name} fixef ${c}`);
    near(fit.se[j], se, 0.01 * se, `${name} se ${c}`);
  });
  ref.varcorr.forEach((v, e) => near(fit.varCorr.terms[e].sd[0], v.sdcor, 0.01 * v.sdcor, `${name} sd ${v.grp}`));
  ref.fitted_head.forEach((mu, i) => near(fit.fitted[i], mu, 1e-3 * Math.max(mu, 1e-3) + 1e-6, `${name} fitted[${i}]`));
  assert.equal(fit.converged, true);
}

for (const name of ['cbpp_laplace', 'cbpp_agq25', 'ctr1000_laplace', 'ctr1000_agq10', 'verbagg_crossed', 'grouseticks_poisson']) {
  test(`fitGlmm(${name}) matches lme4`, () => checkReference(name));
}

test('fitGlmm(ctr1000, nAGQ = 1) says the Laplace approximation is poor and gives the quadrature estimates', () => {
  const fit = fitGlmm(refFrame('ctr1000_laplace'), { family: 'binomial' });
  const msg = fit.messages.find((m) => m.includes('Laplace approximation is poor'));
  assert.ok(msg, fit.messages.join('\n'));
  assert.match(msg, /\(Intercept\) -4\.6\d\d \(Laplace -6\.8\d\d\)/);
});

test('fitGlmm(cbpp, nAGQ = 0) optimises theta only, beta from PIRLS', () => {
  const fit = fitGlmm(refFrame('cbpp_laplace'), { family: 'binomial', nAGQ: 0 });
  assert.equal(fit.optsummary.stages.length, 1);
  assert.equal(fit.optsummary.vcovSource, 'pirls');
  // nAGQ = 0 is close to Laplace here (lme4: theta 0.642, intercept -1.398).
  near(fit.theta[0], 0.642, 0.01, 'theta');
  near(fit.beta[0], -1.36, 0.02, 'intercept');
});

test('fitGlmm(cbpp) reports the family, Wald z tests and lme4-ordered effects', () => {
  const fit = fitGlmm(refFrame('cbpp_laplace'), { family: 'binomial' });
  assert.equal(fit.family, 'binomial');
  assert.equal(fit.link, 'logit');
  assert.equal(fit.coefficients[0].df, null);
  near(fit.coefficients[0].pValue, 1.46811288411447e-09, 1e-10, 'Wald p');
  assert.equal(fit.u.length, 15);
  near(fit.b[0], fit.theta[0] * fit.u[0], 1e-12, 'b = Lambda u');
  near(fit.ranefTable.herd['(Intercept)']['1'], 0.589629436492113, 1e-3, 'ranef herd 1');
  assert.equal(fit.nobs, 56);
  assert.equal(fit.npar, 5);
});
