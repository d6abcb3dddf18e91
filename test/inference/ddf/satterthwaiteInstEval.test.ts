// Satterthwaite t tests on InstEval (73,421 ratings; lmerTest 3.1-3's summary in
// test/fixtures/refs/insteval_*.json): df within 0.2%, p within 2% (not 1%: the
// intercept's t is 112, so the 5th-digit difference between our theta and lme4's
// moves its p by 1.5%). About 45 s: two fits and 13 + 25 criterion evaluations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { satterthwaiteCoefficients } from '../../../src/inference/ddf/satterthwaite.js';
import { assertClose, dataFile, readRef } from '../../cli/helpers.js';
import { lmer } from '../../../src/api/fit.js';
import { readCsvFile } from '../../../src/io/readTable.js';

for (const name of ['insteval_crossed', 'insteval_dept_service']) {
  test(`satterthwaiteCoefficients(lmer(...)) agrees with lmerTest for ${name}`, () => {
    const ref = readRef(name);
    const model = lmer(ref.formula, readCsvFile(dataFile(ref.data)), { factors: ref.factors, REML: ref.REML });
    const coefs = satterthwaiteCoefficients(model);
    assert.deepEqual(coefs.map((c) => c.term), Object.keys(ref.satterthwaite_df));
    for (const c of coefs) {
      assertClose(c.df!, ref.satterthwaite_df[c.term], 2e-3, `${c.term} df`);
      assertClose(c.pValue, ref.satterthwaite_p[c.term], 2e-2, `${c.term} p`);
    }
  });
}
