// Satterthwaite t tests of every gaussian LMM reference (lmerTest 3.1-3's summary,
// test/fixtures/refs/*.json: satterthwaite_df within 0.2%, satterthwaite_p within 1%)
// except InstEval (satterthwaiteInstEval.test.ts), and the F-test pieces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lmer } from '../../../src/api/fit.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { fDenominatorDf, satterthwaiteCoefficients, satterthwaiteF, satterthwaiteT } from '../../../src/inference/ddf/satterthwaite.js';
import { varpar } from '../../../src/inference/ddf/varpar.js';
import { assertClose, dataFile, FIXTURES, readRef } from '../../cli/helpers.js';

const refs = readdirSync(join(FIXTURES, 'refs'))
  .filter((f) => !/^(lm|glm|anova|inference)_/.test(f))
  .map((f) => readRef(f.replace(/\.json$/, '')))
  .filter((r) => r.kind === undefined && r.family === 'gaussian' && r.data !== 'InstEval');

function fitReference(ref: Record<string, any>) {
  return lmer(ref.formula, readCsvFile(dataFile(ref.data)), { factors: ref.factors, REML: ref.REML, weights: ref.weights ?? undefined });
}

test('the reference set holds the gaussian LMM cases', () => {
  assert.ok(refs.length >= 10);
});

for (const ref of refs) {
  test(`satterthwaiteCoefficients(lmer(${ref.formula})) agrees with lmerTest (${ref.name})`, () => {
    const coefs = satterthwaiteCoefficients(fitReference(ref));
    assert.deepEqual(coefs.map((c) => c.term), Object.keys(ref.satterthwaite_df));
    for (const c of coefs) {
      assertClose(c.df!, ref.satterthwaite_df[c.term], 2e-3, `${ref.name} ${c.term} df`);
      assertClose(c.pValue, ref.satterthwaite_p[c.term], 1e-2, `${ref.name} ${c.term} p`);
    }
  });
}

test('satterthwaiteF(vp, beta, L) with one row is the t test squared', () => {
  const model = fitReference(readRef('sleepstudy_slopes_reml'));
  const vp = varpar(model);
  const l = Float64Array.from([0, 1]);
  const t = satterthwaiteT(vp, l);
  const F = satterthwaiteF(vp, model.fit.beta, { q: 1, p: 2, values: l });
  assertClose(F.F, model.fit.beta[1] ** 2 / t.variance, 1e-12, 'F');
  assertClose(F.denDf, t.df, 1e-12, 'denDf');
  assert.equal(F.numDf, 1);
});

test('satterthwaiteF(vp, beta, L) drops dependent rows of L', () => {
  const model = fitReference(readRef('sleepstudy_slopes_reml'));
  const vp = varpar(model);
  const one = satterthwaiteF(vp, model.fit.beta, { q: 1, p: 2, values: Float64Array.from([0, 1]) });
  const twice = satterthwaiteF(vp, model.fit.beta, { q: 2, p: 2, values: Float64Array.from([0, 1, 0, 2]) });
  assert.equal(twice.numDf, 1);
  assertClose(twice.F, one.F, 1e-10, 'F');
  assertClose(twice.denDf, one.denDf, 1e-10, 'denDf');
});

test('fDenominatorDf(nu) matches the mean of F and is 2 when a nu <= 2', () => {
  assertClose(fDenominatorDf([10, 10, 10]), 10, 1e-12, 'equal dfs');
  const E = 5 / 3 + 20 / 18;
  assertClose(fDenominatorDf([5, 20]), (2 * E) / (E - 2), 1e-12, 'two dfs');
  assert.equal(fDenominatorDf([1.5, 30]), 2);
  assert.equal(fDenominatorDf([7]), 7);
});
