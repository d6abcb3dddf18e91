// Properties of every LMM fit over generated data sets and formulas (generators.ts), with a
// fixed fast-check seed (PROPERTY_SEED overrides it, PROPERTY_RUNS the number of cases):
// - lmer throws nothing but MixedModelsError; a converged fit has no NaN or infinite number;
// - the fit does not depend on the order of the rows or on the labels of the levels;
// - y * 10^a: criterion + 2 nu a ln 10 (nu = n - p for REML, n for ML), beta, se, sigma and the
//   random-effect sds times 10^a; x * 10^b (in X and Z): x's beta, se and sd divided by 10^b,
//   REML criterion + 2 b ln 10 (log|X'V^-1 X|), the rest unchanged; y + 10^k sigma (k <= 6): the
//   intercept moves by as much, the rest unchanged; prior weights * 10^b: sigma times 10^(b/2),
//   the criterion and everything else unchanged;
// - (x | g) fits at least as well as (x || g), which it nests;
// - converged is false whenever a message says the fit failed (a separate test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MixedModelsError } from '../../src/errors.js';
import { assertConvergedAgrees, assertFinite, assertSameFit, criterion, fitCase, LMM_TOLERANCE, rmsOf, trulyConverged } from './checks.js';
import { lmmCase, permuted, relabelled, scaled, shifted, structure, type Case } from './generators.js';

export const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const SEED = Number(process.env.PROPERTY_SEED ?? 20240612);

function check(c: Case, a: number, b: number, seed: number): void {
  const label = `${c.formula} (REML ${c.REML}, n = ${c.data.y.length})`;
  const m = fitCase(c);
  if (m instanceof MixedModelsError) return;
  assert.equal(m.kind, 'lmm');
  if (!trulyConverged(m)) return;
  assertFinite(m, label);
  const same = (other: Case, what: string, t = {}) => {
    const o = fitCase(other);
    assert.ok(!(o instanceof MixedModelsError), `${label} ${what}: refused (${(o as Error).message}) where the original fits`);
    assertSameFit(m, o, t, `${label} ${what}`, rmsOf(other.data, other.weights), LMM_TOLERANCE);
  };
  same(permuted(c, seed), 'rows permuted');
  same(relabelled(c, seed + 1), 'levels relabelled');
  const n = m.fit.nobs, p = m.fit.p, nu = c.REML ? n - p : n, ya = 10 ** a, xb = 10 ** b;
  same(scaled(c, 'y', ya), `y * 1e${a}`, {
    criterion: (v: number) => v + 2 * nu * a * Math.LN10,
    coef: (_: string, v: number) => v * ya,
    sd: (_: string, v: number) => v * ya,
    sigma: (v: number) => v * ya,
  });
  if (c.formula.includes('x')) {
    same(scaled(c, 'x', xb), `x * 1e${b}`, {
      criterion: (v: number) => v + (c.REML && m.fit.coefnames.includes('x') ? 2 * b * Math.LN10 : 0),
      coef: (term: string, v: number) => (term === 'x' ? v / xb : v),
      sd: (col: string, v: number) => (col === 'x' ? v / xb : v),
    });
  }
  // Up to 1e6 residual sds: rounding y + by to doubles then moves y by at most 1e-9 of sigma.
  const by = m.fit.sigma * 10 ** (Math.abs(a) % 7);
  same(shifted(c, by), `y + ${by.toExponential(1)}`, { coef: (term: string, v: number) => v + (term === '(Intercept)' && v === m.fit.beta[0] ? by : 0) });
  if (c.weights) same(scaled(c, 'w', xb), `w * 1e${b}`, { sigma: (v: number) => v * Math.sqrt(xb) });
  if (c.correlated) {
    const zc = fitCase({ ...c, formula: c.formula.replace('(x | ', '(x || ') });
    if (!(zc instanceof MixedModelsError)) {
      assert.ok(criterion(m) <= criterion(zc) + 1e-6, `${label}: criterion ${criterion(m)} above the nested zero-correlation fit's ${criterion(zc)}`);
    }
  }
}

test(`lmer(generated data, generated formula) keeps its properties over ${RUNS} cases`, () => {
  fc.assert(
    fc.property(structure(), fc.integer({ min: -6, max: 6 }), fc.integer({ min: -12, max: 12 }), fc.integer({ min: 1, max: 1e6 }), (s, a, b, seed) => {
      check(lmmCase(s), a, b, seed);
    }),
    { seed: SEED, numRuns: RUNS, includeErrorInReport: true },
  );
});

test(`lmer(generated data, generated formula) reports converged false whenever a message says it failed (${RUNS} cases)`, () => {
  fc.assert(
    fc.property(structure(), (s) => {
      const c = lmmCase(s), m = fitCase(c);
      if (!(m instanceof MixedModelsError)) assertConvergedAgrees(m, `${c.formula} (REML ${c.REML}, n = ${c.data.y.length})`);
    }),
    { seed: SEED, numRuns: RUNS, includeErrorInReport: true },
  );
});
