/**
 * Spline bases (ns, bs), reference levels (relevel(), options.reference), contrasts
 * (C(), ordered(), options.contrasts per variable or global) and factor(levels = ...)
 * against R 4.2.2 / lme4 1.1-31: test/fixtures/refs/contrasts_splines.json, made by
 * test/fixtures/r/contrasts_splines.R.
 */
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitModel, modelJson, parseCsv, predict, type FitOptions } from '../../src/index.js';
import { assertClose } from '../cli/helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const refs = JSON.parse(readFileSync(join(FIXTURES, 'refs', 'contrasts_splines.json'), 'utf8')).cases as Record<string, any>;
const data = (name: string) => parseCsv(readFileSync(join(FIXTURES, 'data', `${name}.csv`)));

for (const [name, r] of Object.entries(refs)) {
  test(`fitModel(${r.formula}) matches R (${name})`, () => {
    const options: FitOptions = { factors: [r.factors ?? []].flat(), family: r.family, reference: r.reference, contrasts: r.contrasts };
    const m = fitModel(r.formula, data(r.data), options);
    const json = modelJson(m) as any;
    // GLMM estimates agree with lme4's to a fraction of an SE (different optimisers), LMM and lm ones closely.
    const glmm = m.kind === 'glmm';
    assertClose(json.logLik, r.logLik, glmm ? 1e-5 : 1e-7, 'logLik');
    const got = Object.fromEntries(json.coefficients.map((c: any) => [c.term, c]));
    for (const [term, est] of Object.entries(r.fixef as Record<string, number>)) {
      const se = r.fixef_se[term];
      if (!got[term]) throw new Error(`no coefficient '${term}' (have ${Object.keys(got).join(', ')})`);
      assertClose(got[term].estimate, est, 0, `${term} estimate`, (glmm ? 3e-3 : 1e-4) * se);
      assertClose(got[term].stdError, se, glmm ? 3e-3 : 1e-4, `${term} SE`);
    }
    if (r.predict && m.kind === 'lmm') {
      const p = predict(m, r.predict.newdata, { population: true });
      r.predict.fit.forEach((v: number, i: number) => assertClose(p.fit[i], v, 1e-6, `prediction ${i + 1}`));
    }
  });
}
