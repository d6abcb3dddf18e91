// Every lm_* and glm_* reference (R 4.2.2's lm/glm on the same CSV files; see
// test/fixtures/refs and shared/README.md) must agree through the CLI's JSON:
// estimates 1e-6 relative, standard errors 1e-5 relative, p-values 1e-4 relative,
// and logLik, sigma, R^2, deviance tightly; for MASS's glm.nb (glm_nb_*, from
// test/fixtures/r/negbin_refs.R) also theta (1e-6), its SE (1e-5), df and BIC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, assertClose, dataFile, fitJson, readRef } from './helpers.js';

const names = readdirSync(join(FIXTURES, 'refs'))
  .filter((f) => /^(lm|glm)_.*\.json$/.test(f))
  .map((f) => f.replace(/\.json$/, ''));

function cliArgs(ref: Record<string, any>): string[] {
  const args = [dataFile(ref.data), ref.formula];
  if (ref.factors.length) args.push('--factor', ref.factors.join(','));
  if (ref.kind === 'glm') args.push('--family', ref.family, '--link', ref.link);
  if (ref.weights) args.push('--weights', ref.weights);
  return args;
}

test('the reference set holds lm and glm cases', () => {
  assert.ok(names.filter((n) => n.startsWith('lm_')).length >= 5);
  assert.ok(names.filter((n) => n.startsWith('glm_')).length >= 3);
});

for (const name of names) {
  test(`mixedmodels fit --format json agrees with R for ${name}`, async () => {
    const ref = readRef(name);
    const out = await fitJson(cliArgs(ref));
    assert.equal(out.model, ref.kind);
    const terms = out.coefficients.map((c: any) => c.term);
    assert.deepEqual(terms, Object.keys(ref.coef).filter((t) => ref.coef[t] !== null), 'coefficient names and order');
    const stat = ref.kind === 'lm' ? ref.t : ref.z ?? ref.t;
    for (const c of out.coefficients) {
      assertClose(c.estimate, ref.coef[c.term], 1e-6, `${c.term} estimate`, 1e-9 * ref.se[c.term]);
      assertClose(c.stdError, ref.se[c.term], 1e-5, `${c.term} std. error`);
      assertClose(c.statistic, stat[c.term], 1e-5, `${c.term} statistic`, 1e-8);
      assertClose(c.pValue, ref.p[c.term], 1e-4, `${c.term} p-value`, 1e-300);
    }
    assertClose(out.logLik, ref.logLik, 1e-8, 'logLik');
    assertClose(out.AIC, ref.AIC, 1e-8, 'AIC');
    if (ref.kind === 'lm') {
      assertClose(out.sigma, ref.sigma, 1e-8, 'sigma');
      assertClose(out.BIC, ref.BIC, 1e-8, 'BIC');
      assertClose(out.rSquared, ref.r_squared, 1e-8, 'R^2');
      assertClose(out.adjRSquared, ref.adj_r_squared, 1e-8, 'adjusted R^2');
      assert.equal(out.dfResidual, ref.df_residual);
      assertClose(out.fStatistic.value, ref.fstatistic[0], 1e-7, 'F');
      assert.deepEqual([out.fStatistic.numDf, out.fStatistic.denDf], ref.fstatistic.slice(1));
    } else {
      assertClose(out.deviance, ref.deviance, 1e-8, 'deviance');
      assertClose(out.nullDeviance, ref.null_deviance, 1e-8, 'null deviance');
      assertClose(out.dispersion, ref.dispersion, 1e-6, 'dispersion');
      assert.equal(out.dfResidual, ref.df_residual);
      assert.equal(out.dfNull, ref.df_null);
    }
    if (ref.family === 'negative.binomial') {
      // MASS's glm.nb: theta by ML (counted in df), its standard error.
      assertClose(out.nbTheta, ref.theta, 1e-6, 'theta');
      assertClose(out.nbThetaSE, ref.theta_se, 1e-5, 'SE of theta');
      assert.equal(out.df, ref.df);
      assertClose(out.BIC, ref.BIC, 1e-8, 'BIC');
    }
  });
}
