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
import { dataFrame, near, readRef, refFrame } from './helpers.js';

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

/**
 * Other families and links (references made by R 4.2.2, lme4 1.1-31; the R
 * code is each file's r_code): logLik within 2e-3, fixed effects and standard
 * errors within 1% of a standard error, theta within 1%, sigma within 0.1%.
 * Each used to stop at "the objective is not finite at the starting point"
 * (eta = 0 is no valid start for these links) or had lme4-unlike standard errors.
 */
function checkOtherReference(name: string): void {
  const ref = readRef(name);
  const fit = fitGlmm(refFrame(name), { family: ref.family, link: ref.link });
  near(fit.logLik, ref.logLik, 2e-3, `${name} logLik`);
  fit.coefnames.forEach((c, j) => {
    const se = ref.fixef_se[c];
    near(fit.beta[j], ref.fixef[c], 0.01 * se, `${name} fixef ${c}`);
    near(fit.se[j], se, 0.01 * se, `${name} se ${c}`);
  });
  [ref.theta].flat().forEach((t, e) => near(fit.theta[e], t, 0.01 * Math.abs(t) + 1e-6, `${name} theta ${e}`));
  near(fit.sigma, ref.sigma as number, 1e-3 * (ref.sigma as number), `${name} sigma`);
  assert.equal(fit.converged, true, fit.messages.join('\n'));
}

for (const name of ['glmm_sleep_gamma_log', 'glmm_sleep_gamma_inverse', 'glmm_grouse_poisson_sqrt', 'glmm_cbpp_binomial_log', 'glmm_sleep_gamma_log_slopes', 'glmm_sleepw_gamma_log']) {
  test(`fitGlmm(${name}) matches lme4`, () => checkOtherReference(name));
}

test('fitGlmm(Gamma log) gives lme4\'s standard errors: its deriv12 Hessian, 3% off the exact one', () => {
  // lme4 1.1-31: Days SE 0.002522567; the Hessian of lme4's own devfun to 1e-6 (R, step 1e-5) gives 0.002438872.
  const fit = fitGlmm(refFrame('glmm_sleep_gamma_log'), { family: 'Gamma', link: 'log' });
  near(fit.se[1], 0.002522567, 2.5e-7, 'Days SE');
  assert.equal(fit.optsummary.vcovSource, 'hessian');
});

test('fitGlmm(inverse.gaussian identity) takes the exact Hessian where lme4\'s step only differences rounding noise', () => {
  // theta = 3153: lme4's H_theta,theta (6e-5) comes from criterion differences of 6e-13. Intercept SE:
  // lme4 11.0949; the Hessian of lme4's devfun by R with relative steps 1e-3..1e-2: 11.2418 (Days 0.73739).
  const frame = dataFrame('sleepstudy', 'Reaction ~ Days + (1 | Subject)', { factors: ['Subject'], family: 'inverse.gaussian' });
  const fit = fitGlmm(frame, { family: 'inverse.gaussian', link: 'identity' });
  near(fit.se[0], 11.2418, 0.01, 'intercept SE');
  near(fit.se[1], 0.73739, 1e-3, 'Days SE');
  near(fit.beta[0], 264.39281, 0.01, 'intercept (lme4)');
});

test('fitGlmm(Gamma log, nAGQ = 0) scales (L_X L_X\')^-1 by sigma^2 as lme4 does', () => {
  // lme4 1.1-31, nAGQ = 0: SEs 0.023097586, 0.002733937, sigma 0.10535416.
  const fit = fitGlmm(refFrame('glmm_sleep_gamma_log'), { family: 'Gamma', link: 'log', nAGQ: 0 });
  near(fit.se[0], 0.023097586, 1e-6, 'intercept SE');
  near(fit.se[1], 0.002733937, 1e-7, 'Days SE');
  near(fit.sigma, 0.10535416, 1e-6, 'sigma');
});

test('fitGlmm(frame).converged is false exactly when a diagnostic says an optimiser or a check failed', () => {
  const short = fitGlmm(refFrame('cbpp_laplace'), { family: 'binomial', maxEval: 15 });
  assert.equal(short.converged, false);
  assert.ok(short.diagnostics.some((d) => d.kind === 'convergence' && /did not converge/.test(d.message)));
  for (const fit of [short, fitGlmm(refFrame('cbpp_laplace'), { family: 'binomial' })]) {
    assert.equal(fit.converged, !fit.diagnostics.some((d) => d.kind === 'convergence' || d.kind === 'separation'));
    assert.deepEqual(fit.messages, fit.diagnostics.map((d) => d.message));
  }
});

test('fitGlmm(cbpp with a herd of no cases) converges, as lme4 says, with a note on that herd', () => {
  // lme4 1.1-31 on these data: no warning; theta 0.7180, intercept -1.4966 (SE 0.2514).
  const frame = dataFrame('cbpp', 'cbind(incidence, size - incidence) ~ period + (1 | herd)', { factors: ['herd', 'period'], family: 'binomial' }, {
    column: 'incidence',
    value: (t, i) => (Number(t.columns.get('herd')!.values[i]) === 1 ? 0 : (t.columns.get('incidence')!.values[i] as number)),
  });
  const fit = fitGlmm(frame, { family: 'binomial' });
  assert.equal(fit.converged, true, fit.messages.join('\n'));
  assert.deepEqual(fit.diagnostics.map((d) => d.kind), ['note', 'note']);
  assert.match(fit.messages[0], /^1 of 15 levels of herd have no successes \(1\) or only successes \(0\)/);
  assert.match(fit.messages[1], /^the standard errors are lme4's/);
  near(fit.theta[0], 0.718, 0.002, 'theta');
  near(fit.beta[0], -1.4966, 0.003, 'intercept');
});

test('fitGlmm(frame) with fixed effects that separate the data is flagged and not converged', () => {
  // y = 1 exactly when Days > 4: lme4 warns too (fitted probabilities 0 or 1, a degenerate Hessian).
  const frame = dataFrame('sleepstudy', 'y ~ Days + (1 | Subject)', { factors: ['Subject'], family: 'binomial' }, {
    column: 'y',
    value: (t, i) => ((t.columns.get('Days')!.values[i] as number) > 4 ? 1 : 0),
  });
  const fit = fitGlmm(frame, { family: 'binomial' });
  assert.equal(fit.converged, false);
  assert.ok(fit.diagnostics.some((d) => d.kind === 'separation' && /fitted probabilities numerically 0 or 1/.test(d.message)), fit.messages.join('\n'));
});

test('fitGlmm(inverse.gaussian, 1/mu^2) fits sleepstudy, where lme4 stops with "PIRLS loop resulted in NaN value"', () => {
  const frame = dataFrame('sleepstudy', 'Reaction ~ Days + (1 | Subject)', { factors: ['Subject'], family: 'inverse.gaussian' });
  const fit = fitGlmm(frame, { family: 'inverse.gaussian' });
  assert.equal(fit.converged, true, fit.messages.join('\n'));
  assert.ok(fit.se.every((s) => s > 0 && Number.isFinite(s)));
  // eta = 1 / mu^2 at about 300 ms: 1.1e-5; mu falls with Days.
  assert.ok(fit.beta[0] > 1e-5 && fit.beta[0] < 2e-5 && fit.beta[1] < 0, `${fit.beta}`);
});

test('fitGlmm(poisson identity) says why when no conditional modes exist inside the link\'s range', () => {
  // grouseticks: broods of zero counts; lme4 stops with "Downdated VtV is not positive definite".
  const frame = dataFrame('grouseticks', 'TICKS ~ YEAR + (1 | BROOD)', { factors: ['BROOD', 'YEAR'], family: 'poisson' });
  // Where the optimiser's path ends decides which way it says so: no finite criterion there (an error),
  // or a finite one where PIRLS proper does not converge (a fit flagged as not converged, saying why).
  let fit: ReturnType<typeof fitGlmm>;
  try {
    fit = fitGlmm(frame, { family: 'poisson', link: 'identity' });
  } catch (err) {
    assert.match((err as Error).message, /PIRLS finds no conditional modes (at the estimates )?inside the range of the identity link for the poisson family/);
    return;
  }
  assert.equal(fit.converged, false);
  assert.ok(fit.messages.some((m) => /PIRLS did not converge at the estimates/.test(m)), fit.messages.join('\n'));
  assert.ok(fit.messages.some((m) => /levels of BROOD have all counts 0/.test(m)), fit.messages.join('\n'));
});
