// Kenward-Roger: the adjusted covariance and denominator df against pbkrtest 0.5.2 /
// lmerTest 3.1-3 on sleepstudy without rows i (0-based) with i %% 7 == 3 or i %% 11 == 5
// (140 rows, unbalanced):
//   m <- lmer(Reaction ~ Days + (Days | Subject), d2)
//   pbkrtest::vcovAdj(m); anova(m, ddf = "Kenward-Roger")
// (Phi_A within 2e-4, as our fit's theta differs from lme4's in the 5th digit; the
// adjustment Phi_A - Phi within 1e-3), and the
// exact balanced cases, where Phi_A = Phi and the df are the classical ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lmer } from '../../../src/api/fit.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { kenwardRoger, kenwardRogerF, kenwardRogerT } from '../../../src/inference/ddf/kenwardRoger.js';
import { MixedModelsError } from '../../../src/errors.js';
import { assertClose, dataFile } from '../../cli/helpers.js';

const sleep = readCsvFile(dataFile('sleepstudy'));

function unbalancedSleep(): Record<string, unknown[]> {
  const keep = (i: number) => i % 7 !== 3 && i % 11 !== 5;
  const out: Record<string, unknown[]> = {};
  for (const name of sleep.names) out[name] = Array.from(sleep.columns.get(name)!.values as ArrayLike<unknown>).filter((_, i) => keep(i));
  return out;
}

const unit = (p: number, j: number) => ({ q: 1, p, values: Float64Array.from({ length: p }, (_, i) => (i === j ? 1 : 0)) });

test('kenwardRoger(model).phiAdjusted agrees with pbkrtest::vcovAdj on unbalanced data', () => {
  const m = lmer('Reaction ~ Days + (Days | Subject)', unbalancedSleep());
  assert.equal(m.fit.nobs, 140);
  const kr = kenwardRoger(m);
  const adjusted = [54.3894034517, -3.2354728002, -3.2354728002, 2.80580932282];
  const vcov = [54.22922802091, -3.20689505035, -3.20689505035, 2.80027678654];
  adjusted.forEach((v, e) => {
    assertClose(kr.phiAdjusted[e], v, 2e-4, `vcovAdj[${e}]`);
    assertClose(kr.phiAdjusted[e] - kr.phi[e], v - vcov[e], 1e-3, `vcovAdj - vcov [${e}]`);
  });
  m.fit.vcov.forEach((v, e) => assertClose(kr.phi[e], v, 1e-9, `Phi[${e}] = vcov`));
});

test('kenwardRogerF(kr, beta, L) agrees with lmerTest on unbalanced data', () => {
  const m = lmer('Reaction ~ Days + (Days | Subject)', unbalancedSleep());
  const r = kenwardRogerF(kenwardRoger(m), m.fit.beta, unit(2, 1));
  assert.equal(r.numDf, 1);
  assertClose(r.denDf, 16.9364623186, 1e-4, 'denDf');
  assertClose(r.F, 40.98838, 1e-4, 'F');
});

test('kenwardRogerF(kr, beta, L) is exact in balanced designs: Phi_A = Phi, lambda = 1, classical df', () => {
  const cases = [
    { model: lmer('Yield ~ 1 + (1 | Batch)', readCsvFile(dataFile('Dyestuff'))), df: [5] },
    { model: lmer('Reaction ~ Days + (Days | Subject)', sleep), df: [17, 17] },
    { model: lmer('strength ~ 1 + (1 | batch/cask)', readCsvFile(dataFile('Pastes'))), df: [9] },
  ];
  for (const { model, df } of cases) {
    const kr = kenwardRoger(model), p = model.fit.p;
    kr.phi.forEach((v, e) => assertClose(kr.phiAdjusted[e], v, 1e-8, 'Phi_A', 1e-10));
    df.forEach((d, j) => {
      const r = kenwardRogerF(kr, model.fit.beta, unit(p, j));
      assertClose(r.denDf, d, 1e-8, `${model.formula} df`);
      assertClose(r.scaling, 1, 1e-8, 'lambda');
    });
  }
});

interface KrRef {
  id: string;
  data: string;
  formula: string;
  factors: string[];
  REML: boolean;
  weights: string | Record<string, never>;
  drop: string;
  KRmodcomp: { Fstat: number; ndf: number; ddf: number; Fscaling: number; p: number };
  summary?: { term: string; estimate: number; se: number; df: number }[];
  anova?: { term: string; F: number; numDf: number; denDf: number }[];
}
// test/fixtures/r/glmm_inference.R (pbkrtest 0.5.2 KRmodcomp, lmerTest 3.1-3 summary/anova with
// ddf = "Kenward-Roger"); our fits' theta differ from lme4's in the 4th-5th digit on these
// flat likelihoods, so the tolerance is 2e-3 relative.
const krRefs = (JSON.parse(readFileSync(new URL('../../fixtures/r/glmm_inference.json', import.meta.url), 'utf8')) as { kr: KrRef[] }).kr;
for (const r of krRefs) {
  test(`kenwardRogerF(kenwardRoger(m), ...) of ${r.id} (${r.REML ? 'REML' : 'ML'}${typeof r.weights === 'string' ? ', weights' : ''}) agrees with pbkrtest's KRmodcomp${r.summary ? ' and lmerTest\'s summary' : ''}`, () => {
    const data = readCsvFile(dataFile(r.data));
    const m = lmer(r.formula, data, { factors: r.factors, REML: r.REML, ...(typeof r.weights === 'string' ? { weights: r.weights } : {}) });
    const kr = kenwardRoger(m);
    assert.equal(kr.refitREML, !r.REML);
    const j = m.fit.coefnames.indexOf(r.drop), p = m.fit.coefnames.length;
    const t = kenwardRogerF(kr, kr.beta, unit(p, j));
    assertClose(t.F, r.KRmodcomp.Fstat, 2e-3, 'F');
    assertClose(t.denDf, r.KRmodcomp.ddf, 2e-3, 'ddf');
    assertClose(t.scaling, r.KRmodcomp.Fscaling, 2e-3, 'F scaling');
    for (const row of r.summary ?? []) {
      const k = m.fit.coefnames.indexOf(row.term);
      assertClose(Math.sqrt(kr.phiAdjusted[k * (p + 1)]), row.se, 2e-3, `${row.term} se`);
      assertClose(kenwardRogerT(kr, unit(p, k).values).df, row.df, 2e-3, `${row.term} df`);
    }
  });
}

test('kenwardRoger(model) refuses models too large for dense matrices', () => {
  const m = lmer('Reaction ~ Days + (1 | Subject)', sleep);
  const huge = { ...m, fit: { ...m.fit, nobs: 100000, q: 4114 } };
  assert.throws(() => kenwardRoger(huge), (e: unknown) => e instanceof MixedModelsError && /too large.*Satterthwaite/.test(e.message));
});

test('kenwardRogerT(kr, l) gives pbkrtest\'s Lb_ddf and the adjusted variance of l\'beta', () => {
  // pbkrtest 0.5.2: m <- lmer(angle ~ recipe + temp + (1 | recipe:replicate), cake); V <- vcovAdj(m)
  // Lb_ddf(c(1, 0, 0, 0), vcov(m), V) = 257.811816921; Lb_ddf(c(0, 1, 0, 0), vcov(m), V) = 42.
  const m = lmer('angle ~ recipe + temp + (1 | recipe:replicate)', readCsvFile(dataFile('cake')));
  const kr = kenwardRoger(m);
  const one = kenwardRogerT(kr, [1, 0, 0, 0]);
  assertClose(one.df, 257.811816921, 1e-6, 'intercept df');
  assertClose(one.variance, kr.phiAdjusted[0], 1e-14, 'adjusted variance');
  assertClose(kenwardRogerT(kr, [0, 1, 0, 0]).df, 42, 1e-8, 'recipeB df');
  assert.ok(Number.isNaN(kenwardRogerT(kr, [0, 0, 0, 0]).df));
});
