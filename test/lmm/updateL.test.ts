import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmmProblem } from '../../src/lmm/problem.js';
import { devianceParts, profiledDeviance } from '../../src/lmm/objective.js';
import { cases, makeFrame } from './helpers.js';
import { denseFactor } from './naive.js';

// The blocked L must agree with a dense Cholesky of the whole matrix: same log-determinant
// of the random-effects part, same L_X diagonal, same r (test/lmm/naive.ts).
function compare(name: string, frame: ReturnType<typeof cases.dyestuff_reml>, theta: number[]): void {
  const prob = lmmProblem(frame, { REML: true });
  assert.ok(Number.isFinite(prob.evaluate(theta)));
  const d = devianceParts(prob.L);
  const dense = denseFactor(frame, theta);
  let ld = 0;
  for (let c = 0; c < dense.q; c++) ld += 2 * Math.log(dense.L[c * (dense.size + 1)]);
  const P = prob.L.P;
  assert.ok(Math.abs(d.ldL2 - ld) < 1e-9 * Math.max(1, Math.abs(ld)), `${name}: ldL2 ${d.ldL2} vs ${ld}`);
  for (let t = 0; t < P; t++) {
    const got = Math.abs(prob.L.xx[t * (P + 1)]);
    const want = Math.abs(dense.L[(dense.q + t) * (dense.size + 1)]);
    assert.ok(Math.abs(got - want) < 1e-9 * want, `${name}: L_TT[${t},${t}] ${got} vs ${want}`);
  }
}

test('updateL(L, A, lambda) matches a dense Cholesky: vector term (Days | Subject)', () => {
  compare('sleepstudy', cases.sleepstudy_slopes_reml(), [0.9, -0.1, 0.3]);
});

test('updateL(L, A, lambda) matches a dense Cholesky: crossed and nested scalar terms', () => {
  compare('penicillin', cases.penicillin_crossed(), [1.3, 2.9]);
  compare('pastes', cases.pastes_nested(), [3.1, 1.2]);
});

test('updateL(L, A, lambda) matches a dense Cholesky: vector terms on two crossed factors, weights and offset', () => {
  const base = cases.penicillin_crossed();
  const n = base.nobs;
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i) + 0.1 * (i % 7));
  const frame = makeFrame('Penicillin', 'diameter', ['(Intercept)'], [
    { group: ['plate'], cols: ['(Intercept)'] },
    { group: ['sample'], cols: ['(Intercept)'] },
  ]);
  // Give both factors a second, per-row column (k = 2) by hand.
  for (const t of frame.reTerms) {
    const z = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      z[2 * i] = 1;
      z[2 * i + 1] = x[i];
    }
    Object.assign(t, { k: 2, z, cnames: ['(Intercept)', 'x'] });
  }
  const weights = Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 5) / 4);
  const offset = Float64Array.from({ length: n }, (_, i) => 0.3 * Math.cos(i));
  compare('k=2 crossed', { ...frame, weights, offset }, [1.1, 0.2, 0.7, 2.2, -0.3, 0.5]);
});

test('profiledDeviance(parts, n, p, ldW, REML) follows lme4\'s formulas', () => {
  const parts = { ldL2: 3, ldRX2: 2, pwrss: 50 };
  const ml = 3 - 0.5 + 10 * (1 + Math.log((2 * Math.PI * 50) / 10));
  const reml = 3 - 0.5 + 2 + 8 * (1 + Math.log((2 * Math.PI * 50) / 8));
  assert.ok(Math.abs(profiledDeviance(parts, 10, 2, 0.5, false) - ml) < 1e-12);
  assert.ok(Math.abs(profiledDeviance(parts, 10, 2, 0.5, true) - reml) < 1e-12);
});
