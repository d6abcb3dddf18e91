import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmmProblem } from '../../src/lmm/problem.js';
import { finishLmm } from '../../src/lmm/finish.js';
import { cases, readRef, refTheta, relDiff } from './helpers.js';

// At lme4's theta every derived quantity must match lme4 1.1-31 (refs/*.json)
// to 1e-6 relative (scale floor 1 for values near 0; 1e-5 for ranef, which are
// the most sensitive to the theta digits stored in the ref).
const TOL = 1e-6;

function close(got: number, want: number, what: string, tol = TOL): void {
  assert.ok(relDiff(got, want) < tol, `${what}: ${got} vs ${want}`);
}

for (const name of Object.keys(cases)) {
  test(`finishLmm(lmmProblem(${name}), ref theta) reproduces lme4's estimates`, () => {
    const ref = readRef(name);
    const fit = finishLmm(lmmProblem(cases[name](), { REML: ref.REML }), refTheta(ref));
    close(fit.sigma, ref.sigma, 'sigma');
    fit.coefnames.forEach((c, t) => {
      close(fit.beta[t], ref.fixef[c], `fixef ${c}`);
      close(fit.se[t], ref.fixef_se[c], `se ${c}`);
    });
    for (const key of ['logLik', 'AIC', 'BIC', 'objective'] as const) close(fit[key], ref[key], key);
    // A REML ref's deviance is the ML refit's (lmer.test.ts checks it); without a refit it is the ML criterion here.
    if (!ref.REML) close(fit.deviance, ref.deviance, 'deviance');
    else assert.ok(fit.deviance > ref.deviance - 1e-6 * ref.deviance && !fit.devianceRefit);
    ref.fitted_head.forEach((v, i) => close(fit.fitted[i], v, `fitted[${i}]`));
    ref.resid_head.forEach((v, i) => close(fit.residuals[i], v, `resid[${i}]`, 1e-5));
    assert.deepEqual(fit.ngrps, ref.ngrps);
    assert.equal(fit.isSingular, ref.singular);
    for (const [group, byCol] of Object.entries(ref.ranef)) {
      for (const [col, byLevel] of Object.entries(byCol)) {
        for (const [level, v] of Object.entries(byLevel)) close(fit.ranefTable[group][col][level], v, `ranef ${group} ${col} ${level}`, 1e-5);
      }
    }
    const vc = fit.varCorr;
    for (const row of ref.varcorr) {
      if (row.grp === 'Residual') {
        close(vc.residualSd, row.sdcor, 'residual sd');
        continue;
      }
      const term = vc.terms.find((t) => t.group === row.grp && t.cnames.includes(row.var1!))!;
      assert.ok(term, `no term for ${row.grp}`);
      const r = term.cnames.indexOf(row.var1!);
      if (row.var2 === null) close(term.sd[r], row.sdcor, `sd ${row.grp} ${row.var1}`);
      else close(term.corr[r + term.cnames.indexOf(row.var2) * term.cnames.length], row.sdcor, `corr ${row.grp}`);
    }
  });
}

test('finishLmm(sleepstudy slopes) gives lme4\'s conditional sd of the random intercepts (refs/inference_sleepstudy.json)', () => {
  const ref = readRef('sleepstudy_slopes_reml');
  const inf = JSON.parse(JSON.stringify(readRef('inference_sleepstudy'))) as { ranef_condsd_Subject_first3: number[] };
  const fit = finishLmm(lmmProblem(cases.sleepstudy_slopes_reml(), { REML: true }), refTheta(ref));
  const g = fit.ranef[0];
  inf.ranef_condsd_Subject_first3.forEach((sd, lev) => close(Math.sqrt(g.condVar[lev * 4]), sd, `condsd ${lev}`, 1e-5));
});

test('finishLmm(dyestuff2_singular) names the zero-variance term', () => {
  const fit = finishLmm(lmmProblem(cases.dyestuff2_singular(), { REML: true }), [0]);
  assert.ok(fit.isSingular);
  assert.deepEqual(fit.messages, [
    'boundary (singular) fit: the variance of (1 | Batch) is estimated as 0; the model without this term fits the same',
  ]);
});

test('finishLmm(...) icc of a random-intercept model is sd_b^2 / (sd_b^2 + sigma^2)', () => {
  const ref = readRef('dyestuff_reml');
  const fit = finishLmm(lmmProblem(cases.dyestuff_reml(), { REML: true }), refTheta(ref));
  const vb = ref.varcorr[0].vcov, ve = ref.varcorr[1].vcov;
  close(fit.icc.adjusted, vb / (vb + ve), 'icc');
});

test('finishLmm(...) icc of (1 | Subject) + (0 + Days | Subject), one block of two terms: each term its own mean of z\'Sigma z', () => {
  const ref = readRef('sleepstudy_zerocorr');
  const frame = cases.sleepstudy_zerocorr();
  const fit = finishLmm(lmmProblem(frame, { REML: true }), refTheta(ref));
  // Per term, mean over the rows of z_i' Sigma z_i, straight from the frame's terms (sleepstudy: Days 0..9).
  const want = frame.reTerms.map((t, j) => {
    const v = fit.varCorr.terms[j].cov[0];
    let s = 0;
    for (let i = 0; i < frame.nobs; i++) s += t.z[i] * v * t.z[i];
    return s / frame.nobs;
  });
  assert.equal(fit.icc.termVariance.length, 2);
  want.forEach((w, j) => close(fit.icc.termVariance[j], w, `term ${j}`));
  assert.ok(Math.abs(fit.icc.termVariance[0] - fit.icc.termVariance[1]) > 1e-3 * fit.icc.termVariance[0], 'the two terms have different variances');
  const re = want[0] + want[1], ve = fit.icc.residualVariance;
  close(fit.icc.adjusted, re / (re + ve), 'icc');
});
