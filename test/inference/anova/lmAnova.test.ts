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

test('lmAnova(weighted lm, 2) uses X\'WX for terms contained in others (car::Anova)', () => {
  // R 4.2.2, car: cu <- cake[-sample(270, 60), ] (set.seed(42)), w <- round(runif(210, 0.5, 2), 2), x <- round(rnorm(210), 3),
  // temp3 <- cut(temp, c(0, 180, 200, 300)); car::Anova(lm(angle ~ recipe * temp3 + x, cu, weights = w), type = 2).
  const m = lm('angle ~ recipe * temp3 + x', readCsvFile(dataFile('cake_unbal_w')), { weights: 'w' });
  const expected = [
    ['recipe', 31.7638659119857, 0.211387319715420, 8.09641103923691e-01],
    ['temp3', 2294.5287530005644, 15.270001593972651, 6.73550376852879e-07],
    ['x', 118.6176056059812, 1.578791308941254, 2.10400488610239e-01],
    ['recipe:temp3', 124.1411788081496, 0.413077412039216, 7.99105680440050e-01],
  ] as const;
  const rows = lmAnova(m, 2);
  expected.forEach(([term, ss, F, p], i) => {
    assert.equal(rows[i].term, term);
    assertClose(rows[i].sumSq, ss, 1e-10, `${term} Sum Sq`);
    assertClose(rows[i].F, F, 1e-10, `${term} F`);
    assertClose(rows[i].pValue, p, 1e-9, `${term} p`);
  });
});
