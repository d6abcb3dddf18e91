// elnetPath against glmnet 4.1.6 (test/fixtures/refs/glmnet_*.json, computed with thresh = 1e-14, so
// the exact optimum): the lambda path within 1e-10 relative, its length (glmnet's early stop), the
// fraction of deviance explained within 1e-6 and the coefficients at the stored path points within
// 1e-4 x max(1, |b|) (the tolerances are 1e-6 and 1e-3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { elnetPath } from '../../src/glmnet/path.js';
import { GLMNET_REFS, near, readRef, refInputs } from './helpers.js';

for (const name of GLMNET_REFS) {
  test(`elnetPath(data, { family, alpha }) reproduces glmnet's path for ${name}`, () => {
    const ref = readRef(name);
    const { frame, data, options } = refInputs(ref);
    const path = elnetPath(data, options);
    assert.equal(path.points.length, ref.lambda.length, 'path length (early stop)');
    ref.lambda.forEach((l: number, m: number) => near(path.points[m].lambda, l, 1e-10 * l, `lambda[${m}]`));
    ref.dev_ratio.forEach((d: number, m: number) => near(path.points[m].devRatio, d, 1e-6, `devRatio[${m}]`));
    ref.df.forEach((df: number, m: number) => m > 0 && assert.ok(Math.abs(path.points[m].index.length - df) <= 1, `df[${m}] ${path.points[m].index.length} vs ${df}`));
    for (const pt of ref.path) {
      const P = path.points[pt.index - 1];
      const got: Record<string, number> = { '(Intercept)': P.intercept };
      P.index.forEach((j, k) => (got[frame.design.colnames[j]] = P.value[k]));
      for (const [term, v] of Object.entries(pt.coef) as [string, number][]) near(got[term] ?? 0, v, 1e-4 * Math.max(1, Math.abs(v)), `${term} at lambda ${pt.index}`);
    }
  });
}

test('elnetPath(data, { lambda }) solves a user sequence in decreasing order without stopping early', () => {
  const { data, options } = refInputs(readRef('glmnet_gauss_lasso'));
  const path = elnetPath(data, { ...options, lambda: [0.01, 0.5, 0.1] });
  assert.deepEqual(path.points.map((p) => p.lambda), [0.5, 0.1, 0.01]);
  assert.ok(path.userLambda);
});

test('elnetPath(data, { lambda: [0] }) gives least squares', () => {
  const { data, frame } = refInputs(readRef('glmnet_gauss_lasso'));
  const path = elnetPath(data, { family: 'gaussian', alpha: 1, lambda: [0] });
  // The design has every level of region (no reference), so least squares is not unique; check the
  // normal equations instead: X'(y - fit) = 0 for every column and the intercept, relative to |x| |r|.
  const P = path.points[0];
  const x = frame.design, n = x.n;
  const fit = new Float64Array(n).fill(P.intercept);
  P.index.forEach((j, k) => {
    for (let t = x.colPtr[j]; t < x.colPtr[j + 1]; t++) fit[x.rowIdx[t]] += x.values[t] * P.value[k];
  });
  const r = frame.y.map((y, i) => y - fit[i]);
  const rnorm = Math.hypot(...r);
  near(r.reduce((a, b) => a + b, 0), 0, 1e-8 * Math.sqrt(n) * rnorm, 'sum of residuals');
  for (let j = 0; j < x.p; j++) {
    let s = 0, xx = 0;
    for (let t = x.colPtr[j]; t < x.colPtr[j + 1]; t++) {
      s += r[x.rowIdx[t]] * x.values[t];
      xx += x.values[t] ** 2;
    }
    near(s, 0, 1e-6 * Math.sqrt(xx) * rnorm, `X'r for ${x.colnames[j]}`);
  }
});

test('elnetPath() rejects alpha outside [0, 1], a constant response and an all-constant design', () => {
  const { data, options } = refInputs(readRef('glmnet_gauss_lasso'));
  assert.throws(() => elnetPath(data, { ...options, alpha: 1.5 }), /alpha must be between 0 and 1/);
  assert.throws(() => elnetPath({ ...data, y: new Float64Array(data.y.length).fill(2) }, options), /response is constant/);
  assert.throws(() => elnetPath(data, { ...options, family: 'binomial' }), /binomial response must lie in \[0, 1\]/);
});
