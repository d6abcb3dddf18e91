// Every glmer.nb reference (lme4 1.1-31; nb_grouseticks from shared/refs, the others from
// test/fixtures/r/negbin_refs.R) agrees through the CLI's JSON, as shared/checks/check_inference2.mjs
// asks: theta within 1%, logLik within 2e-3 of lme4's (or above it by less than 0.05: a better
// optimum), fixed effects within 1% of a standard error, standard errors and random-effect sds within
// 1%, and df (theta counted) as lme4's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, assertClose, dataFile, fitJson, readRef, runCli } from './helpers.js';

const refs = readdirSync(join(FIXTURES, 'refs'))
  .map((f) => readRef(f.replace(/\.json$/, '')))
  .filter((r) => r.kind === 'glmer_nb');

function args(ref: Record<string, any>): string[] {
  const a = [dataFile(ref.data), ref.formula, '--family', 'negative.binomial'];
  if (ref.factors.length) a.push('--factor', ref.factors.join(','));
  if (ref.weights) a.push('--weights', ref.weights);
  return a;
}

test('the reference set holds glmer.nb cases', () => {
  assert.ok(refs.length >= 3);
});

for (const ref of refs) {
  test(`mixedmodels fit --family negative.binomial agrees with lme4's glmer.nb for ${ref.formula} on ${ref.data}`, async () => {
    const out = await fitJson(args(ref));
    assert.equal(out.model, 'glmm');
    assert.equal(out.family, 'negative.binomial');
    assertClose(out.nbTheta, ref.theta_nb, 0.01, 'theta');
    const gain = out.logLik - ref.logLik;
    assert.ok(Math.abs(gain) <= 2e-3 || (gain > 0 && gain < 0.05), `logLik ${out.logLik}, lme4 ${ref.logLik}`);
    for (const c of out.coefficients) {
      const se = ref.fixef_se[c.term];
      assertClose(c.estimate, ref.fixef[c.term], 0, `${c.term} estimate`, 0.01 * se);
      assertClose(c.stdError, se, 0.01, `${c.term} std. error`);
    }
    ref.varcorr.forEach((v: any, i: number) => assertClose(out.varCorr[i].sdcor, v.sdcor, 0.01, `${v.group} sd`, 1e-4));
    if (ref.df !== undefined) assert.equal(out.df, ref.df);
    assertClose(out.AIC, -2 * out.logLik + 2 * out.df, 1e-12, 'AIC');
    assert.ok(out.converged, out.messages.join('; '));
  });
}

test('mixedmodels fit prints the family as lme4 does: Negative Binomial(theta)  ( log )', async () => {
  const r = await runCli(['fit', dataFile('nbsim'), 'y ~ x + f + offset(log(expo)) + (1 | g)', '--family', 'negative.binomial', '--nb-theta', '1.900619']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ Family: Negative Binomial\(1\.9006\) {2}\( log \)$/m);
});
