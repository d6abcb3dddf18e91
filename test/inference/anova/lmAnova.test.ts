// lmAnova(model, type) against R 4.2.2: anova.lm for type I and car::Anova(type = 2) for type II
// (test/fixtures/r/anova_extra.json, made by test/fixtures/r/anova_refs.R), within 1e-10 relative.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lm } from '../../../src/api/fit.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { lmAnova } from '../../../src/inference/anova/lmAnova.js';
import { assertClose, dataFile, rFixture } from '../../cli/helpers.js';

const cases = rFixture('anova_extra').cases.filter((c: any) => c.kind === 'lm');

for (const c of cases) {
  test(`lmAnova(lm(${c.formula}${c.weights ? `, weights = ${c.weights}` : ''}), 1 | 2) agrees with R's anova and car's Anova`, () => {
    const m = lm(c.formula, readCsvFile(dataFile(c.data)), { factors: c.factors, weights: c.weights ?? undefined });
    for (const [type, key] of [[1, 'type1'], [2, 'car_type2']] as const) {
      const rows = lmAnova(m, type);
      assert.deepEqual(rows.map((r) => r.term), c[key].map((e: any) => e.term), key);
      rows.forEach((r, i) => {
        const e = c[key][i];
        assert.equal(r.numDf, e.numDf, `${key} ${e.term} Df`);
        assertClose(r.sumSq, e.sumSq, 1e-10, `${key} ${e.term} Sum Sq`);
        if (e.F === null) return assert.ok(Number.isNaN(r.F) && Number.isNaN(r.pValue), 'Residuals row has no test');
        assertClose(r.F, e.F, 1e-10, `${key} ${e.term} F`);
        assertClose(r.pValue, e.pValue, 1e-9, `${key} ${e.term} p`);
        if (e.meanSq !== undefined) assertClose(r.meanSq, e.meanSq, 1e-10, `${key} ${e.term} Mean Sq`);
      });
    }
  });
}

test('lmAnova(lm(y ~ 1), 1) has only the Residuals row', () => {
  const m = lm('angle ~ 1', readCsvFile(dataFile('cake')));
  const rows = lmAnova(m, 1);
  assert.deepEqual(rows.map((r) => r.term), ['Residuals']);
  assert.equal(rows[0].numDf, 269);
});
