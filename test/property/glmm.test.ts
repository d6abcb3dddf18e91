// Properties of every GLMM fit (binomial and Poisson) over generated data sets and formulas
// (generators.ts; fixed seed, PROPERTY_SEED and PROPERTY_RUNS override):
// - glmer throws nothing but MixedModelsError; a converged fit has no NaN or infinite number;
// - at the optimum (optimizer 'bobyqa'; lme4's path, the default for some of these models, stops where
//   lme4's Nelder-Mead stops, about 1e-5 short, which moves with the rounding of the rows' order and, its
//   steps in beta being at most 2, with the units of x):
//   - the fit does not depend on the order of the rows or on the labels of the levels (singular fits:
//     the criterion only, checks.ts GLMM_SINGULAR_TOLERANCE);
//   - x * 10^b (in X and Z): x's beta, se and random-effect sd divided by 10^b, the rest unchanged;
//   - (x | g) fits at least as well as (x || g), which it nests;
// - converged is false whenever a message says the fit failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MixedModelsError } from '../../src/errors.js';
import { assertConvergedAgrees, assertFinite, assertSameFit, criterion, fitCase, GLMM_SINGULAR_TOLERANCE, GLMM_TOLERANCE, rmsOf, trulyConverged } from './checks.js';
import { glmmCase, permuted, relabelled, scaled, structure, type Case } from './generators.js';

export const RUNS = Number(process.env.PROPERTY_RUNS ?? 20);
const SEED = Number(process.env.PROPERTY_SEED ?? 20240612);

function check(c: Case, b: number, seed: number): void {
  const label = `${c.formula} (${c.family}, n = ${c.data.y.length})`;
  const m = fitCase(c);
  if (m instanceof MixedModelsError) return;
  assert.equal(m.kind, 'glmm');
  if (!trulyConverged(m)) return;
  assertFinite(m, label);
  const base = fitCase(c, { optimizer: 'bobyqa' });
  if (base instanceof MixedModelsError || !trulyConverged(base)) return;
  const same = (other: Case, what: string, t = {}) => {
    const o = fitCase(other, { optimizer: 'bobyqa' });
    assert.ok(!(o instanceof MixedModelsError), `${label} ${what}: refused (${(o as Error).message}) where the original fits`);
    assertSameFit(base, o, t, `${label} ${what}`, rmsOf(other.data), base.fit.isSingular ? GLMM_SINGULAR_TOLERANCE : GLMM_TOLERANCE);
  };
  same(permuted(c, seed), 'rows permuted');
  same(relabelled(c, seed + 1), 'levels relabelled');
  if (c.formula.includes('x')) {
    const xb = 10 ** b;
    same(scaled(c, 'x', xb), `x * 1e${b}`, {
      coef: (term: string, v: number) => (term === 'x' ? v / xb : v),
      sd: (col: string, v: number) => (col === 'x' ? v / xb : v),
    });
  }
  if (c.correlated) {
    const zc = fitCase({ ...c, formula: c.formula.replace('(x | ', '(x || ') }, { optimizer: 'bobyqa' });
    if (!(zc instanceof MixedModelsError)) {
      assert.ok(criterion(base) <= criterion(zc) + 1e-4, `${label}: criterion ${criterion(base)} above the nested zero-correlation fit's ${criterion(zc)}`);
    }
  }
}

for (const family of ['binomial', 'poisson'] as const) {
  test(`glmer(generated data, generated formula, ${family}) keeps its properties over ${RUNS} cases`, () => {
    fc.assert(
      fc.property(structure(), fc.integer({ min: -12, max: 12 }), fc.integer({ min: 1, max: 1e6 }), (s, b, seed) => check(glmmCase(s, family), b, seed)),
      { seed: SEED, numRuns: RUNS, includeErrorInReport: true },
    );
  });

  test(`glmer(generated data, generated formula, ${family}) reports converged false whenever a message says it failed (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(structure(), (s) => {
        const c = glmmCase(s, family), m = fitCase(c);
        if (!(m instanceof MixedModelsError)) assertConvergedAgrees(m, `${c.formula} (${c.family}, n = ${c.data.y.length})`);
      }),
      { seed: SEED, numRuns: RUNS, includeErrorInReport: true },
    );
  });
}
