// glmAnova(model, test) against R 4.2.2's anova(glm, test = "Chisq" | "F") (test/fixtures/r/anova_extra.json,
// made by test/fixtures/r/anova_refs.R): deviances within 1e-9 relative, p-values within 1e-8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glm } from '../../../src/api/fit.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { defaultGlmTest, glmAnova } from '../../../src/inference/anova/glmAnova.js';
import { MixedModelsError } from '../../../src/errors.js';
import { assertClose, dataFile, rFixture } from '../../cli/helpers.js';

const cases = rFixture('anova_extra').cases.filter((c: any) => c.kind === 'glm');
const fit = (c: any) => glm(c.formula, readCsvFile(dataFile(c.data)), { family: c.family, factors: c.factors });

for (const c of cases) {
  test(`glmAnova(glm(${c.formula}, ${c.family}), 'Chisq' | 'F') agrees with R's anova.glm`, () => {
    const m = fit(c);
    for (const [test, key] of [['Chisq', 'chisq'], ['F', 'f']] as const) {
      const rows = glmAnova(m, test);
      assert.deepEqual(rows.map((r) => r.term), c[key].map((e: any) => e.term));
      rows.forEach((r, i) => {
        const e = c[key][i];
        assert.equal(r.residDf, e.residDf);
        assertClose(r.residDeviance, e.residDeviance, 1e-9, `${key} ${e.term} Resid. Dev`);
        if (e.df === null) return assert.ok(Number.isNaN(r.df) && Number.isNaN(r.pValue), 'NULL row');
        assert.equal(r.df, e.df);
        assertClose(r.deviance, e.deviance, 1e-9, `${key} ${e.term} Deviance`);
        assertClose(r.pValue, e.pValue, 1e-8, `${key} ${e.term} p`);
        if (test === 'F') assertClose(r.F, e.F, 1e-9, `${e.term} F`);
        else assert.ok(Number.isNaN(r.F));
      });
    }
  });
}

test("defaultGlmTest(model) is R 4.3's: Chisq for binomial and Poisson, F for Gamma", () => {
  assert.deepEqual(cases.map((c: any) => defaultGlmTest(fit(c))), ['Chisq', 'F', 'Chisq']);
  const none = glmAnova(fit(cases[0]), 'none');
  assert.ok(none.every((r) => Number.isNaN(r.pValue)));
  assert.throws(() => glmAnova(fit(cases[0]), 'LRT' as 'Chisq'), MixedModelsError);
});
