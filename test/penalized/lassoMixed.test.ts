// L1-penalised mixed models on data simulated with a known sparse truth (test/fixtures/refs/lasso_*.json;
// lme4 1.1-31's ML fits of the same data): selection by BIC keeps the true predictors with at most two
// false ones, the path starts at the intercept-only ML fit (all penalised coefficients exactly 0),
// lambda = 0 is lmer/glmer's ML fit, and the chosen fit satisfies the subgradient conditions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvFile } from '../../src/io/readTable.js';
import { lassoMixed, type LassoMixedModel } from '../../src/penalized/lassoMixed.js';
import { glmmProblem } from '../../src/glmm/problem.js';
import { makeFamily } from '../../src/glm/family.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const ref = (name: string) => JSON.parse(readFileSync(join(FIXTURES, 'refs', `${name}.json`), 'utf8'));
const data = (name: string) => readCsvFile(join(FIXTURES, 'data', `${name}.csv`));

function checkSelection(m: LassoMixedModel, r: Record<string, any>): void {
  const pt = m.path[m.selected];
  const est = Object.fromEntries(m.frame.colnames.map((t, j) => [t, pt.beta[j]]));
  for (const [t, v] of Object.entries(r.truth) as [string, number][]) {
    assert.equal(Math.sign(est[t]), Math.sign(v), `${t} kept with its sign`);
    assert.ok(Math.abs(est[t] - r.fixef_lambda0[t]) < 0.35, `${t} shrunk by < 0.35 from ML`);
  }
  const extra = Object.keys(est).filter((t) => t !== '(Intercept)' && !(t in r.truth) && est[t] !== 0);
  assert.ok(extra.length <= 2, `false predictors: ${extra}`);
  const first = m.path[0];
  assert.ok(m.frame.colnames.every((t, j) => t === '(Intercept)' || first.beta[j] === 0), 'lambda_max: all penalised at 0');
  assert.ok(first.logLik >= r.logLik_null - 1e-4, `logLik at lambda_max ${first.logLik} vs intercept-only ML ${r.logLik_null}`);
}

test('lassoMixed(y ~ x1 + ... + x8 + (1 | g)) selects the true predictors by BIC (LMM)', () => {
  const r = ref('lasso_lmm');
  const m = lassoMixed(r.formula, data(r.data), { factors: r.factors });
  assert.equal(m.base, 'lmm');
  assert.equal(m.criterion, 'BIC');
  checkSelection(m, r);
});

test('lassoMixed(..., { lambda: [0] }) is lmer\'s ML fit (logLik and fixed effects within 1e-6)', () => {
  const r = ref('lasso_lmm');
  const m = lassoMixed(r.formula, data(r.data), { factors: r.factors, lambda: [0] });
  const pt = m.path[0];
  assert.ok(Math.abs(pt.logLik - r.logLik_lambda0) < 1e-6, `${pt.logLik} vs ${r.logLik_lambda0}`);
  m.frame.colnames.forEach((t, j) => assert.ok(Math.abs(pt.beta[j] - r.fixef_lambda0[t]) < 1e-5, t));
});

/** The ML log-likelihood of a random-intercept LMM at (theta, beta, sigma): V_g = sigma^2 (I + theta^2 J). */
function lmmLogLik(m: LassoMixedModel, beta: Float64Array, theta: number, sigma: number): number {
  const { frame } = m;
  const n = frame.nobs, refs = frame.reTerms[0].refs, G = frame.reTerms[0].levels.length;
  const r = Float64Array.from(frame.y, (y, i) => y - beta.reduce((s, b, j) => s + b * frame.X[i + j * n], 0));
  const sum = new Float64Array(G), cnt = new Float64Array(G);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    sum[refs[i]] += r[i];
    cnt[refs[i]]++;
    ss += r[i] * r[i];
  }
  const t2 = theta * theta;
  let logdet = 0, quad = ss;
  for (let g = 0; g < G; g++) {
    logdet += Math.log(1 + t2 * cnt[g]);
    quad -= (t2 * sum[g] * sum[g]) / (1 + t2 * cnt[g]);
  }
  return -0.5 * (n * Math.log(2 * Math.PI * sigma * sigma) + logdet + quad / (sigma * sigma));
}

test('lassoMixed() LMM: the chosen fit meets the subgradient conditions of logLik - lambda sum w |beta|', () => {
  const r = ref('lasso_lmm');
  const m = lassoMixed(r.formula, data(r.data), { factors: r.factors });
  const pt = m.path[m.selected];
  const theta = pt.theta[0], lambda = pt.lambda;
  const ll = (b: Float64Array, th = theta, s = pt.sigma) => lmmLogLik(m, b, th, s);
  assert.ok(Math.abs(ll(pt.beta) - pt.logLik) < 1e-8, 'logLik as reported');
  const h = 1e-6;
  pt.beta.forEach((b, j) => {
    const up = pt.beta.slice(), down = pt.beta.slice();
    up[j] += h;
    down[j] -= h;
    const g = (ll(up) - ll(down)) / (2 * h);
    const bound = lambda * m.weights[j];
    if (m.weights[j] === 0) assert.ok(Math.abs(g) < 1e-5, `unpenalised ${m.frame.colnames[j]}: ${g}`);
    else if (b === 0) assert.ok(Math.abs(g) <= bound + 1e-5, `zero ${m.frame.colnames[j]}: |${g}| <= ${bound}`);
    else assert.ok(Math.abs(g - bound * Math.sign(b)) < 1e-5 * Math.max(1, bound), `active ${m.frame.colnames[j]}: ${g} vs ${bound * Math.sign(b)}`);
  });
  // theta and sigma maximise the likelihood at these beta
  for (const [dt, ds] of [[1e-5, 0], [0, 1e-5]]) {
    const g = (ll(pt.beta, theta + dt, pt.sigma + ds) - ll(pt.beta, theta - dt, pt.sigma - ds)) / (2 * (dt + ds));
    assert.ok(Math.abs(g) < 1e-3, `stationary in ${dt ? 'theta' : 'sigma'}: ${g}`);
  }
});

test('lassoMixed(..., { family: "binomial" }) selects the true predictors; lambda = 0 is glmer\'s Laplace fit', () => {
  const r = ref('lasso_glmm');
  const d = data(r.data);
  const m = lassoMixed(r.formula, d, { factors: r.factors, family: 'binomial' });
  assert.equal(m.base, 'glmm');
  checkSelection(m, r);
  // subgradient conditions on the Laplace criterion (glmer's deviance / 2)
  const pt = m.path[m.selected];
  const prob = glmmProblem(m.frame, makeFamily('binomial'));
  const nll = (b: Float64Array) => prob.devfun(pt.theta, b, 1) / 2;
  assert.ok(Math.abs(-nll(pt.beta) - pt.logLik) < 1e-6, 'logLik as reported');
  const h = 1e-5;
  pt.beta.forEach((b, j) => {
    const up = pt.beta.slice(), down = pt.beta.slice();
    up[j] += h;
    down[j] -= h;
    const g = -(nll(up) - nll(down)) / (2 * h);
    const bound = pt.lambda * m.weights[j];
    if (m.weights[j] === 0) assert.ok(Math.abs(g) < 1e-4, `unpenalised ${j}: ${g}`);
    else if (b === 0) assert.ok(Math.abs(g) <= bound + 1e-4, `zero ${j}`);
    else assert.ok(Math.abs(g - bound * Math.sign(b)) < 1e-4 * Math.max(1, bound), `active ${j}: ${g} vs ${bound * Math.sign(b)}`);
  });
  const zero = lassoMixed(r.formula, d, { factors: r.factors, family: 'binomial', lambda: [0] });
  assert.ok(zero.path[0].logLik >= r.logLik_lambda0 - 1e-3 && zero.path[0].logLik <= r.logLik_lambda0 + 0.5, `${zero.path[0].logLik} vs lme4 ${r.logLik_lambda0}`);
});

test('lassoMixed() refuses a formula without random effects, an unknown unpenalised term and other families', () => {
  const r = ref('lasso_lmm');
  const d = data(r.data);
  assert.throws(() => lassoMixed('y ~ x1 + x2', d), /needs a random-effects term/);
  assert.throws(() => lassoMixed(r.formula, d, { factors: ['g'], unpenalized: ['x9'] }), /'x9' names no fixed-effect column/);
  assert.throws(() => lassoMixed(r.formula, d, { factors: ['g'], family: 'Gamma' }), /gaussian, binomial and poisson/);
});
