import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmmProblem } from '../../src/lmm/problem.js';
import { cases, instEvalFrame, readRef, refTheta } from './helpers.js';

// The profiled criterion at lme4's optimum equals lme4's `objective` (lme4 1.1-31, refs/*.json).
for (const name of Object.keys(cases)) {
  test(`lmmProblem(${name}).evaluate(ref theta) equals lme4's objective to 1e-6 relative`, () => {
    const ref = readRef(name);
    const prob = lmmProblem(cases[name](), { REML: ref.REML });
    const got = prob.evaluate(refTheta(ref));
    assert.ok(Math.abs(got - ref.objective) / Math.abs(ref.objective) < 1e-6, `${got} vs ${ref.objective}`);
  });
}

test('lmmProblem(insteval_crossed).evaluate(ref theta) equals lme4\'s objective (three crossed factors, 73421 rows)', () => {
  const ref = readRef('insteval_crossed');
  const prob = lmmProblem(instEvalFrame(), { REML: true });
  const got = prob.evaluate(refTheta(ref));
  assert.ok(Math.abs(got - ref.objective) / ref.objective < 1e-9, `${got} vs ${ref.objective}`);
});

test('lmmProblem(frame).evaluate(theta) returns Infinity, not NaN, when the fixed effects are collinear', () => {
  const frame = cases.dyestuff_reml();
  const X = new Float64Array(frame.nobs * 2);
  X.fill(1);
  const prob = lmmProblem({ ...frame, X, p: 2, colnames: ['(Intercept)', 'copy'] }, { REML: true });
  assert.equal(prob.evaluate([1]), Infinity);
});

test('lmmProblem(frame) rejects non-positive weights', () => {
  const frame = cases.dyestuff_reml();
  const weights = new Float64Array(frame.nobs).fill(1);
  weights[3] = 0;
  assert.throws(() => lmmProblem({ ...frame, weights }, { REML: true }), /weights must be positive/);
});

test('lmmProblem(frame with weights c).evaluate(theta) equals the unweighted objective at theta sqrt(c)', () => {
  // var(e) = sigma^2 / c is the same model as sigma'^2 = sigma^2 / c with Lambda' = Lambda sqrt(c).
  const frame = cases.sleepstudy_slopes_reml();
  const c = 2.5;
  const weighted = lmmProblem({ ...frame, weights: new Float64Array(frame.nobs).fill(c) }, { REML: true });
  const plain = lmmProblem(frame, { REML: true });
  const theta = [0.9, 0.02, 0.25];
  const a = weighted.evaluate(theta), b = plain.evaluate(theta.map((t) => t * Math.sqrt(c)));
  assert.ok(Math.abs(a - b) < 1e-9 * Math.abs(b), `${a} vs ${b}`);
});
