import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { glmFit } from '../../src/glm/glm.js';
import { modelFrameFromText } from '../../src/frame/index.js';
import { parseCsv } from '../../src/io/csv.js';
import type { DataTable } from '../../src/data/types.js';
import { assertClose } from '../distributions/close.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const grouse = parseCsv(readFileSync(join(FIXTURES, 'data', 'grouseticks.csv')));
const ref = (name: string) => JSON.parse(readFileSync(join(FIXTURES, 'refs', `${name}.json`), 'utf8'));
const frameOf = (formula: string, table: DataTable, factors: string[], weights?: string) =>
  modelFrameFromText(formula, table, { factors, family: 'negative.binomial', weights });

// MASS 7.3-58's glm.nb (test/fixtures/r/negbin_refs.R): estimates 1e-6, SEs 1e-5, theta 1e-6, logLik/AIC/BIC 1e-8 relative.
for (const name of ['glm_nb_grouseticks', 'glm_nb_grouseticks_sqrt', 'glm_nb_nbsim_offset_weights']) {
  test(`glmFit(frame, { family: 'negative.binomial' }) is MASS's glm.nb for ${name}`, () => {
    const r = ref(name);
    const table = parseCsv(readFileSync(join(FIXTURES, 'data', `${r.data}.csv`)));
    const fit = glmFit(frameOf(r.formula, table, r.factors, r.weights ?? undefined), { family: 'negative.binomial', link: r.link });
    assertClose(fit.nbTheta!, r.theta, 1e-6, 'theta');
    assertClose(fit.nbThetaSE!, r.theta_se, 1e-5, 'SE of theta');
    for (const c of fit.coefficients) {
      assertClose(c.estimate, r.coef[c.term], 1e-6, `${c.term} estimate`);
      assertClose(c.stdError, r.se[c.term], 1e-5, `${c.term} SE`);
      assert.equal(c.df, null, 'z tests');
    }
    assertClose(fit.logLik, r.logLik, 1e-8, 'logLik');
    assertClose(fit.AIC, r.AIC, 1e-8, 'AIC');
    assertClose(fit.BIC, r.BIC, 1e-8, 'BIC');
    assertClose(fit.deviance, r.deviance, 1e-7, 'deviance');
    assertClose(fit.nullDeviance, r.null_deviance, 1e-7, 'null deviance');
    assert.equal(fit.df, r.df);
    assert.equal(fit.dispersion, 1);
    assert.ok(fit.converged, fit.messages.join('; '));
  });
}

// R 4.2.2: glm(TICKS ~ YEAR, family = negative.binomial(1), data = d); summary(m, dispersion = 1) (R's summary.glm
// would estimate a dispersion for a family it does not know; the negative binomial's is 1, as MASS's summary.negbin).
test('glmFit with nbTheta fixes theta and does not count it', () => {
  const fit = glmFit(frameOf('TICKS ~ YEAR', grouse, ['YEAR']), { family: 'negative.binomial', nbTheta: 1 });
  const coef = [1.783175725536666, 0.623478727351584, -1.641093211922895];
  const se = [0.0999189169394698, 0.1304484504099851, 0.1556916642113753];
  fit.coefficients.forEach((c, j) => {
    assertClose(c.estimate, coef[j], 1e-8, `${c.term} estimate`);
    assertClose(c.stdError, se[j], 1e-7, `${c.term} SE`);
  });
  assertClose(fit.logLik, -1064.528998721497, 1e-10, 'logLik');
  assertClose(fit.AIC, 2135.057997442995, 1e-10, 'AIC');
  assertClose(fit.deviance, 675.904644965146, 1e-9, 'deviance');
  assertClose(fit.nullDeviance, 905.396144873356, 1e-9, 'null deviance');
  assert.equal(fit.df, 3);
  assert.equal(fit.nbTheta, 1);
  assert.equal(fit.nbThetaSE, undefined);
});

test('glmFit(negative.binomial) on counts without overdispersion says so', () => {
  // Poisson-like counts: y close to its mean in each group (variance below the mean).
  const rows = Array.from({ length: 120 }, (_, i) => `${(i % 2 === 0 ? 4 : 9) + ((i >> 1) % 3) - 1},${i % 2 === 0 ? 'a' : 'b'}`);
  const table = parseCsv(['y,g', ...rows].join('\n'));
  let message = '';
  try {
    const fit = glmFit(frameOf('y ~ g', table, []), { family: 'negative.binomial' });
    message = fit.messages.join('; ');
  } catch (err) {
    message = (err as Error).message;
  }
  assert.match(message, /no overdispersion/);
});
