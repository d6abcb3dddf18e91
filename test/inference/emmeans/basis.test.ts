// emmBasis(model, options): the covariance and df emmeans 1.8.4 uses per model (emm_basis.lm / .merMod).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glm, glmer, lm, lmer } from '../../../src/api/fit.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { emmBasis } from '../../../src/inference/emmeans/basis.js';
import { kenwardRoger, kenwardRogerT, withUnadjusted } from '../../../src/inference/ddf/kenwardRoger.js';
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

test('emmBasis(lmer ML) is Kenward-Roger as emmeans takes it, and the basis falls back to asymptotic above the observation limit', () => {
  // R 4.2.2, emmeans 1.8.4-1, pbkrtest: emmeans(lmer(angle ~ recipe * temp + (1 | recipe:replicate), cake, REML = FALSE), ~ recipe):
  // SE 1.736833573, df 48.21429899 (the ML estimates, the REML refit's adjusted covariance, the ML vcov in Lb_ddf).
  const mlInt = lmer('angle ~ recipe * temp + (1 | recipe:replicate)', cake, { REML: false, factors: ['recipe', 'replicate'] });
  const k = emmBasis(mlInt);
  assert.equal(k.dfMethod, 'kenward-roger');
  assert.match(k.messages[0], /Kenward-Roger for an ML fit, as emmeans/);
  const row = Float64Array.from({ length: mlInt.fit.p }, (_, j) => [1, 0, 0, 0, 0, 0][j] ?? 0);
  const t = mlInt.frame.colnames.indexOf('temp'), meanTemp = 200;
  row[t] = meanTemp;
  let v = 0;
  for (let i = 0; i < k.p; i++) for (let j = 0; j < k.p; j++) v += row[i] * k.V[i + j * k.p] * row[j];
  assert.ok(Math.abs(Math.sqrt(v) - 1.736833573) < 1e-5 * 1.74, `SE ${Math.sqrt(v)}`);
  assert.ok(Math.abs(k.df(row) - 48.21429899) < 1e-4 * 48.2, `df ${k.df(row)}`);
  // For a REML fit the mixture is the plain Kenward-Roger basis.
  const reml = lmer('angle ~ recipe * temp + (1 | recipe:replicate)', cake, { factors: ['recipe', 'replicate'] });
  const kr = kenwardRoger(reml);
  assert.ok(Math.abs(kenwardRogerT(withUnadjusted(kr, reml.fit.vcov), row).df - kenwardRogerT(kr, row).df) < 1e-8 * 48);
  const ml = lmer('angle ~ recipe + (1 | recipe:replicate)', cake, { REML: false });
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
