import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLmm, optimizeLmm } from '../../src/lmm/lmer.js';
import { lmmProblem } from '../../src/lmm/problem.js';
import { cases, readRef, refTheta, relDiff } from './helpers.js';

// fitLmm must reach lme4 1.1-31's optimum (refs/*.json): logLik within 1e-6
// absolute (the brief's bar is 2e-3), estimates within 1e-4 relative.
for (const name of Object.keys(cases)) {
  test(`fitLmm(${name}) reaches lme4's optimum`, () => {
    const ref = readRef(name);
    const fit = fitLmm(cases[name](), { REML: ref.REML });
    assert.ok(Math.abs(fit.logLik - ref.logLik) < 1e-6, `logLik ${fit.logLik} vs ${ref.logLik}`);
    assert.ok(Math.abs(fit.deviance - ref.deviance) < 2e-6, `deviance ${fit.deviance} vs ${ref.deviance}`);
    assert.equal(fit.devianceRefit, ref.REML);
    refTheta(ref).forEach((t, i) => assert.ok(Math.abs(fit.theta[i] - t) < 1e-3 * Math.max(1, Math.abs(t)), `theta[${i}] ${fit.theta[i]} vs ${t}`));
    fit.coefnames.forEach((c, t) => assert.ok(relDiff(fit.beta[t], ref.fixef[c]) < 1e-4, `fixef ${c}`));
    assert.ok(relDiff(fit.sigma, ref.sigma) < 1e-4, `sigma ${fit.sigma} vs ${ref.sigma}`);
    assert.equal(fit.isSingular, ref.singular);
    if (!ref.singular) assert.deepEqual(fit.messages, []);
    assert.ok(fit.optsummary!.converged);
  });
}

test('fitLmm(dyestuff2_singular) reports the singular term and skips it in the gradient check', () => {
  const fit = fitLmm(cases.dyestuff2_singular());
  assert.deepEqual(Array.from(fit.theta), [0]);
  assert.deepEqual(fit.messages, [
    'boundary (singular) fit: the variance of (1 | Batch) is estimated as 0; the model without this term fits the same',
  ]);
  assert.equal(fit.optsummary!.derivatives!.components.length, 0);
});

test('fitLmm(frame, { refitML: false }) of a REML fit says that deviance is the ML criterion at the REML estimates (no refit), in messages and in devianceRefit', () => {
  const frame = cases.dyestuff_reml();
  const refit = fitLmm(frame), plain = fitLmm(frame, { refitML: false });
  assert.ok(refit.devianceRefit && !plain.devianceRefit);
  assert.ok(plain.deviance > refit.deviance, `${plain.deviance} above the ML minimum ${refit.deviance}`);
  assert.ok(!refit.messages.some((m) => /deviance is the ML criterion/.test(m)), refit.messages.join('\n'));
  assert.ok(plain.messages.some((m) => /^deviance is the ML criterion at the REML estimates: lme4's deviance\(\) of a REML fit/.test(m)), plain.messages.join('\n'));
});

test('fitLmm(frame, { REML: false, refitML: false }) keeps deviance = objective for ML', () => {
  const fit = fitLmm(cases.dyestuff_ml(), { REML: false, refitML: false });
  assert.equal(fit.deviance, fit.objective);
});

// The default BFGS and lme4's BOBYQA reach the same optimum; BFGS with fewer evaluations.
for (const name of Object.keys(cases)) {
  test(`fitLmm(${name}) and fitLmm(${name}, { optimizer: 'bobyqa' }) agree on logLik to 1e-7`, () => {
    const REML = readRef(name).REML;
    const bfgs = fitLmm(cases[name](), { REML }), bobyqa = fitLmm(cases[name](), { REML, optimizer: 'bobyqa' });
    assert.ok(Math.abs(bfgs.logLik - bobyqa.logLik) < 1e-7, `${bfgs.logLik} vs ${bobyqa.logLik}`);
    assert.equal(bobyqa.optsummary!.optimizer, 'bobyqa');
    if (!bfgs.isSingular) {
      assert.equal(bfgs.optsummary!.optimizer, 'bfgs');
      assert.ok(bfgs.optsummary!.evaluations < bobyqa.optsummary!.evaluations);
    }
  });
}

test('fitLmm(dyestuff2_singular) hands a variance that goes to 0 over to BOBYQA', () => {
  const fit = fitLmm(cases.dyestuff2_singular());
  assert.equal(fit.optsummary!.optimizer, 'bfgs+bobyqa');
  assert.ok(fit.optsummary!.converged);
});

test('optimizeLmm(prob, start) reaches the optimum of fitLmm from another start', () => {
  const frame = cases.sleepstudy_slopes_reml();
  const opt = optimizeLmm(lmmProblem(frame, { REML: true }), [0.5, 0.1, 0.5]);
  assert.ok(opt.converged);
  assert.ok(Math.abs(opt.fmin - fitLmm(frame).objective) < 1e-7, `${opt.fmin}`);
});

// Issue 12: from the point where the optimiser used to stop (weighted sleepstudy, REML
// 1802.67, intercept variance 0 with the slope carried by the off-diagonal theta), the
// restart of singularRestart.ts reaches lme4's optimum (refs/sleepstudy_weighted.json).
for (const optimizer of ['bfgs', 'bobyqa'] as const) {
  test(`optimizeLmm(weighted sleepstudy, stuck point, { optimizer: '${optimizer}' }) restarts and reaches lme4's REML criterion`, () => {
    const ref = readRef('sleepstudy_weighted');
    const prob = lmmProblem(cases.sleepstudy_weighted(), { REML: true });
    const stuck = [0, -0.10553810997593237, 0.0021406030530545296];
    assert.ok(Math.abs(prob.evaluate(stuck) - 1802.6701863817618) < 1e-6, 'the stuck point is where the issue says');
    const opt = optimizeLmm(prob, stuck, { optimizer });
    assert.match(opt.optimizer, /restarted/);
    assert.ok(Math.abs(opt.fmin - ref.objective) < 1e-6, `${opt.fmin} vs ${ref.objective}`);
  });
}
