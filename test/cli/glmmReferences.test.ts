// Every GLMM reference (lme4 1.1-31's glmer) agrees through the CLI's JSON: logLik within
// 2e-3 of lme4's for Laplace fits and within 0.05 of the true marginal log-likelihood
// (`exact_logLik`, by numerical integration) for quadrature fits; fixed effects and standard
// errors within 1% of a standard error; random-effect sds within 1%.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, assertClose, readRef } from './helpers.js';
import { checkMixedReference } from './lmmReferences.js';

const refs = readdirSync(join(FIXTURES, 'refs'))
  .filter((f) => !/^(lm|glm|anova|inference)_/.test(f))
  .map((f) => readRef(f.replace(/\.json$/, '')))
  .filter((r) => r.kind === undefined && r.family !== 'gaussian');

test('the reference set holds the GLMM cases', () => {
  assert.ok(refs.length >= 5);
});

for (const ref of refs) {
  test(`mixedmodels fit --format json agrees with lme4 for ${ref.name} (${ref.formula}, nAGQ = ${ref.nAGQ})`, async () => {
    const quadrature = ref.nAGQ > 1;
    const out = await checkMixedReference(ref, quadrature ? { logLik: 0.05, logLikField: 'exact_logLik' } : {});
    assert.equal(out.model, 'glmm');
    assert.equal(out.nAGQ, ref.nAGQ);
    if (quadrature) assertClose(out.logLik, ref.exact_logLik, 0, 'logLik vs exact', 0.05);
    // p-values far in the tail move a lot with the statistic: compare them on the log scale.
    for (const c of out.coefficients) assertClose(Math.log(c.pValue), Math.log(ref.wald_p[c.term]), 0.02, `${c.term} log Wald p`, 1e-3);
  });
}
