// emmBasis(model, options): the covariance and df emmeans 1.8.4 uses per model (emm_basis.lm / .merMod).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glm, glmer, lm, lmer } from '../../../src/api/fit.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { emmBasis } from '../../../src/inference/emmeans/basis.js';
import { kenwardRoger } from '../../../src/inference/ddf/kenwardRoger.js';
import { MixedModelsError } from '../../../src/errors.js';
import { dataFile } from '../../cli/helpers.js';

const cake = readCsvFile(dataFile('cake'));
const cbpp = readCsvFile(dataFile('cbpp'));
const l = (p: number) => Float64Array.from({ length: p }, (_, j) => (j === 0 ? 1 : 0));

test('emmBasis(lm | glm) uses the residual df for lm, gaussian and Gamma GLMs, and z tests otherwise (emmeans 1.8.4)', () => {
  const m = lm('angle ~ recipe', cake);
  assert.equal(emmBasis(m).df(l(3)), 267);
  assert.equal(emmBasis(glm('angle ~ recipe', cake, { family: 'Gamma' })).df(l(3)), 267);
  assert.equal(emmBasis(glm('angle ~ recipe', cake, { family: 'inverse.gaussian' })).df(l(3)), Infinity);
  assert.equal(emmBasis(glm('cbind(incidence, size - incidence) ~ period', cbpp, { family: 'binomial' })).df(l(2)), Infinity);
  assert.equal(emmBasis(m).dfMethod, null);
});

test('emmBasis(lmer) is Kenward-Roger by default, with pbkrtest\'s adjusted covariance', () => {
  const m = lmer('angle ~ recipe + temp + (1 | recipe:replicate)', cake);
  const b = emmBasis(m);
  assert.equal(b.dfMethod, 'kenward-roger');
  assert.deepEqual(b.V, kenwardRoger(m).phiAdjusted);
  // pbkrtest 0.5.2: Lb_ddf(c(1, 0, 0, 0), vcov(m), vcovAdj(m)) = 257.811816921, Lb_ddf(c(0, 1, 0, 0), ...) = 42.
  assert.ok(Math.abs(b.df(l(4)) - 257.811816921) < 1e-3 * 257.8);
  assert.ok(Math.abs(b.df(Float64Array.from([0, 1, 0, 0])) - 42) < 1e-6);
  const s = emmBasis(m, { ddf: 'satterthwaite' });
  assert.deepEqual([s.dfMethod, s.V], ['satterthwaite', m.fit.vcov]);
  assert.equal(emmBasis(m, { ddf: 'asymptotic' }).df(l(4)), Infinity);
});

test('emmBasis(lmer) falls back as emmeans does: Satterthwaite for ML fits, asymptotic above the observation limit', () => {
  const ml = lmer('angle ~ recipe + (1 | recipe:replicate)', cake, { REML: false });
  const b = emmBasis(ml);
  assert.equal(b.dfMethod, 'satterthwaite');
  assert.match(b.messages[0], /need a REML fit/);
  assert.throws(() => emmBasis(ml, { ddf: 'kenward-roger' }), (e: Error) => e instanceof MixedModelsError && /REML/.test(e.message));
  const big = emmBasis(lmer('angle ~ recipe + (1 | recipe:replicate)', cake), { ddfLimit: 100 });
  assert.equal(big.dfMethod, 'asymptotic');
  assert.match(big.messages[0], /exceeds 100/);
  assert.throws(() => emmBasis(ml, { ddf: 'containment' as 'asymptotic' }), /ddf must be/);
});

test('emmBasis(glmer) gives z tests', () => {
  const g = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, { family: 'binomial', factors: ['period', 'herd'] });
  const b = emmBasis(g);
  assert.equal(b.df(l(4)), Infinity);
  assert.equal(b.V, g.fit.vcov);
});
