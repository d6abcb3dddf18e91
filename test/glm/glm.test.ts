import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glmFit, type GlmFit } from '../../src/glm/glm.js';
import { buildFrame } from '../../src/api/fit.js';
import { lmFit } from '../../src/lm/lm.js';
import { MixedModelsError } from '../../src/errors.js';
import { assertClose } from '../distributions/close.js';
import { dummies, makeFrame, num, readCsv, readRef } from '../lm/helpers.js';

// References: R 4.x glm() + summary.glm(), logLik, AIC, in test/fixtures/refs/glm_*.json.
// Tolerances (relative): estimates 1e-6, SEs 1e-5, p-values 1e-4, deviances and AIC 1e-9.

function assertMatchesRef(fit: GlmFit, ref: any): void {
  assert.deepEqual(fit.coefficients.map((c) => c.term), Object.keys(ref.coef));
  const stat = ref.z ?? ref.t;
  for (const c of fit.coefficients) {
    assertClose(c.estimate, ref.coef[c.term], 1e-6, `${c.term} estimate`);
    assertClose(c.stdError, ref.se[c.term], 1e-5, `${c.term} se`);
    assertClose(c.statistic, stat[c.term], 1e-5, `${c.term} statistic`);
    if (ref.p[c.term] === 0) assert.ok(c.pValue < 1e-300, `${c.term} p`);
    else assertClose(c.pValue, ref.p[c.term], 1e-4, `${c.term} p`);
  }
  assertClose(fit.deviance, ref.deviance, 1e-9, 'deviance');
  assertClose(fit.nullDeviance, ref.null_deviance, 1e-9, 'null deviance');
  assert.equal(fit.dfResidual, ref.df_residual);
  assert.equal(fit.dfNull, ref.df_null);
  assertClose(fit.AIC, ref.AIC, 1e-9, 'AIC');
  assertClose(fit.logLik, ref.logLik, 1e-9, 'logLik');
  assertClose(fit.dispersion, ref.dispersion, 1e-9, 'dispersion');
  assert.equal(fit.iterations, ref.iter);
  assert.ok(fit.converged);
}

function cbppFrame() {
  const d = readCsv('cbpp');
  const size = num(d.size);
  return makeFrame({ y: num(d.incidence).map((s, i) => s / size[i]), trials: size, columns: dummies(d.period, 'period') });
}

test('glmFit(cbind(incidence, size - incidence) ~ period, binomial) matches R on cbpp', () => {
  const fit = glmFit(cbppFrame(), { family: 'binomial' });
  assertMatchesRef(fit, readRef('glm_cbpp_binomial'));
  assert.deepEqual(fit.messages, []);
  assert.equal(fit.coefficients[0].df, null);
});

test('glmFit(TICKS ~ YEAR + cHEIGHT, poisson) matches R on grouseticks', () => {
  const d = readCsv('grouseticks');
  const frame = makeFrame({ y: num(d.TICKS), columns: { ...dummies(d.YEAR, 'YEAR'), cHEIGHT: num(d.cHEIGHT) } });
  assertMatchesRef(glmFit(frame, { family: 'poisson' }), readRef('glm_grouseticks_poisson'));
});

test('glmFit(r2 ~ Anger + Gender + btype + situ, binomial probit) matches R on VerbAgg', () => {
  const d = readCsv('VerbAgg');
  const columns = { Anger: num(d.Anger), ...dummies(d.Gender, 'Gender'), ...dummies(d.btype, 'btype'), ...dummies(d.situ, 'situ') };
  const frame = makeFrame({ y: d.r2.map((v) => (v === 'Y' ? 1 : 0)), columns });
  assertMatchesRef(glmFit(frame, { family: 'binomial', link: 'probit' }), readRef('glm_verbagg_probit'));
});

test('glmFit(cbind(clicks, expos - clicks) ~ display + id, binomial) matches R on ctr1000 (1001 columns, the indicator-block solver)', () => {
  // Many id effects are quasi-separated (standard errors ~3e4), so R's estimates are only
  // determined to ~1e-10 standard errors; deviance, AIC and the iteration count are exact.
  const d = readCsv('ctr1000');
  const expos = num(d.expos);
  const columns = { display: num(d.display), ...dummies(d.id, 'id') };
  const fit = glmFit(makeFrame({ y: num(d.clicks).map((s, i) => s / expos[i]), trials: expos, columns }), { family: 'binomial' });
  const ref = readRef('glm_ctr1000_id');
  for (const c of fit.coefficients) {
    assert.ok(Math.abs(c.estimate - ref.coef[c.term]) <= 1e-6 * ref.se[c.term], c.term);
    assertClose(c.stdError, ref.se[c.term], 1e-5, `${c.term} se`);
  }
  assert.deepEqual(fit.aliased, []);
  assertClose(fit.deviance, ref.deviance, 1e-9, 'deviance');
  assertClose(fit.nullDeviance, ref.null_deviance, 1e-9, 'null deviance');
  assertClose(fit.AIC, ref.AIC, 1e-9, 'AIC');
  assert.equal(fit.iterations, ref.iter);
});

test('glmFit(frame, gaussian) reproduces lmFit, weights included', () => {
  const x = [0, 1, 2, 3, 4, 5];
  const y = [1.2, 1.9, 3.4, 3.9, 5.3, 5.8];
  const weights = [1, 2, 3, 1, 2, 0.5];
  const frame = makeFrame({ y, columns: { x }, weights });
  const lm = lmFit(frame);
  const glm = glmFit(frame, { family: 'gaussian' });
  for (let k = 0; k < 2; k++) {
    assertClose(glm.coefficients[k].estimate, lm.coefficients[k].estimate, 1e-12);
    assertClose(glm.coefficients[k].stdError, lm.coefficients[k].stdError, 1e-12);
    assertClose(glm.coefficients[k].pValue, lm.coefficients[k].pValue, 1e-10);
    assert.equal(glm.coefficients[k].df, 4);
  }
  assertClose(glm.dispersion, lm.sigma ** 2, 1e-12);
  assertClose(glm.AIC, lm.AIC, 1e-12);
  assertClose(glm.logLik, lm.logLik, 1e-12);
  assertClose(glm.BIC, lm.BIC, 1e-12);
  assertClose(glm.deviance, lm.deviance, 1e-12);
});

/** Two groups of positive responses: with a group factor the MLE of mu is the group mean for any link. */
function twoGroups() {
  const g = [0, 0, 0, 0, 1, 1, 1, 1, 1];
  const y = [1.2, 0.8, 2.5, 1.9, 4.1, 3.3, 6.0, 5.2, 2.9];
  const mean = (k: number) => y.filter((_, i) => g[i] === k).reduce((s, v) => s + v) / g.filter((v) => v === k).length;
  const mu = g.map((k) => mean(k));
  return { frame: makeFrame({ y, columns: { g } }), y, mu, m0: mean(0), m1: mean(1) };
}

test('glmFit(y ~ g, Gamma) fits group means, Pearson dispersion and R\'s Gamma AIC', () => {
  const { frame, y, mu, m0, m1 } = twoGroups();
  const inv = glmFit(frame, { family: 'Gamma' });
  assertClose(inv.coefficients[0].estimate, 1 / m0, 1e-10);
  assertClose(inv.coefficients[1].estimate, 1 / m1 - 1 / m0, 1e-10);
  const log = glmFit(frame, { family: 'Gamma', link: 'log' });
  assertClose(log.coefficients[1].estimate, Math.log(m1 / m0), 1e-10);
  const dev = y.reduce((s, v, i) => s - 2 * (Math.log(v / mu[i]) - (v - mu[i]) / mu[i]), 0);
  const pearson = y.reduce((s, v, i) => s + ((v - mu[i]) / mu[i]) ** 2, 0) / 7;
  assertClose(log.deviance, dev, 1e-10);
  assertClose(log.dispersion, pearson, 1e-8);
  // R: -2 sum log dgamma(y, shape = 1/disp, scale = mu disp) + 2 + 2 rank, disp = dev / n.
  const disp = dev / 9;
  const lgamma = (a: number) => {
    // Stirling series, accurate to ~1e-12 for a > 5; shape here is about 1 / 0.1.
    let x = a;
    let acc = 0;
    while (x < 10) acc -= Math.log(x++);
    return acc + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3) + 1 / (1260 * x ** 5);
  };
  const ll = y.reduce((s, v, i) => {
    const a = 1 / disp;
    const sc = mu[i] * disp;
    return s + (a - 1) * Math.log(v) - v / sc - lgamma(a) - a * Math.log(sc);
  }, 0);
  assertClose(log.AIC, -2 * ll + 2 + 4, 1e-10);
  assertClose(log.logLik, 3 - log.AIC / 2, 1e-14);
  assert.equal(log.coefficients[0].df, 7);
});

test('glmFit(y ~ g, inverse.gaussian) fits group means with R\'s deviance and AIC', () => {
  const { frame, y, mu, m0, m1 } = twoGroups();
  const fit = glmFit(frame, { family: 'inverse.gaussian', epsilon: 1e-14 });
  assertClose(fit.coefficients[0].estimate, 1 / m0 ** 2, 1e-10);
  assertClose(fit.coefficients[1].estimate, 1 / m1 ** 2 - 1 / m0 ** 2, 1e-10);
  const dev = y.reduce((s, v, i) => s + (v - mu[i]) ** 2 / (v * mu[i] ** 2), 0);
  assertClose(fit.deviance, dev, 1e-10);
  const aic = 9 * (Math.log((2 * Math.PI * dev) / 9) + 1) + 3 * y.reduce((s, v) => s + Math.log(v), 0) + 2 + 4;
  assertClose(fit.AIC, aic, 1e-12);
});

test('glmFit(frame, binomial): proportions with weights give the cbind fit; 0/1 rows give the same estimates', () => {
  const cb = glmFit(cbppFrame(), { family: 'binomial' });
  const d = readCsv('cbpp');
  const size = num(d.size);
  const prop = makeFrame({ y: num(d.incidence).map((s, i) => s / size[i]), weights: size, columns: dummies(d.period, 'period') });
  const pw = glmFit(prop, { family: 'binomial' });
  for (let k = 0; k < 4; k++) assertClose(pw.coefficients[k].estimate, cb.coefficients[k].estimate, 1e-10);
  assertClose(pw.AIC, cb.AIC, 1e-12);
  assertClose(pw.deviance, cb.deviance, 1e-12);
  // Expand each herd-period into size Bernoulli rows.
  const inc = num(d.incidence);
  const rows = size.flatMap((m, i) => Array.from({ length: m }, (_, k) => ({ y: k < inc[i] ? 1 : 0, period: d.period[i] })));
  const bern = makeFrame({ y: rows.map((r) => r.y), columns: dummies(rows.map((r) => r.period), 'period') });
  const b = glmFit(bern, { family: 'binomial', epsilon: 1e-14 });
  const exact = glmFit(cbppFrame(), { family: 'binomial', epsilon: 1e-14 });
  for (let k = 0; k < 4; k++) {
    assertClose(b.coefficients[k].estimate, exact.coefficients[k].estimate, 1e-10);
    assertClose(b.coefficients[k].stdError, exact.coefficients[k].stdError, 1e-7);
  }
});

test('glmFit(frame, poisson) with an offset: null deviance from the intercept-only fit', () => {
  const y = [2, 3, 6, 7, 8, 9, 10, 12, 15];
  const expo = [10, 12, 20, 18, 25, 22, 30, 28, 35];
  const x = [0, 0, 0, 1, 1, 1, 2, 2, 2];
  const fit = glmFit(makeFrame({ y, columns: { x }, offset: expo.map(Math.log) }), { family: 'poisson' });
  // Intercept-only with offset log(expo): rate = sum(y) / sum(expo).
  const rate = y.reduce((s, v) => s + v) / expo.reduce((s, v) => s + v);
  const nullDev = y.reduce((s, v, i) => s + 2 * (v * Math.log(v / (rate * expo[i])) - (v - rate * expo[i])), 0);
  assertClose(fit.nullDeviance, nullDev, 1e-9);
  assertClose(fit.fitted[0], Math.exp(fit.linearPredictor[0]), 1e-14);
  assertClose(fit.linearPredictor[0], fit.coefficients[0].estimate + Math.log(10), 1e-14);
  assert.equal(fit.dfNull, 8);
});

test('glmFit(frame, binomial) warns about separation and non-convergence', () => {
  const sep = makeFrame({ y: [0, 0, 0, 1, 1, 1], columns: { x: [1, 2, 3, 4, 5, 6] } });
  const fit = glmFit(sep, { family: 'binomial' });
  assert.ok(fit.messages.some((m) => /numerically 0 or 1/.test(m)));
  assert.ok(fit.diagnostics.some((d) => d.kind === 'separation'));
  assert.equal(fit.converged, false);
  const short = glmFit(cbppFrame(), { family: 'binomial', maxIter: 2 });
  assert.equal(short.converged, false);
  assert.equal(short.iterations, 2);
  assert.deepEqual(short.diagnostics, [{ kind: 'convergence', message: 'IRLS did not converge in 2 iterations' }]);
});

test('glmFit(frame, binomial) flags the quasi-complete separation of a level with no successes, where R\'s glm is silent', () => {
  // cbpp with herd 1 (the reference level) given no cases: R's glm converges in 17 iterations, intercept -19.2, SE 1924, no warning.
  const d = readCsv('cbpp');
  const size = num(d.size);
  const cases = num(d.incidence).map((v, i) => (d.herd[i] === '1' ? 0 : v));
  const frame = makeFrame({ y: cases.map((s, i) => s / size[i]), trials: size, columns: { ...dummies(d.period, 'period'), ...dummies(d.herd, 'herd') } });
  const fit = glmFit(frame, { family: 'binomial' });
  assert.equal(fit.converged, false);
  const sep = fit.diagnostics.filter((x) => x.kind === 'separation');
  assert.equal(sep.length, 1);
  assert.match(sep[0].message, /^fitted probabilities numerically 0 or 1 occurred \(complete or quasi-complete separation, 4 rows\): the estimates of \(Intercept\), herd2, herd3/);
  assert.ok(fit.coefficients[0].stdError > 1000);
  // The same data with herd 1's cases: no separation.
  assert.equal(glmFit(cbppFrame(), { family: 'binomial' }).diagnostics.length, 0);
});

test('glmFit(TICKS ~ YEAR + cHEIGHT, poisson sqrt) fits where R\'s glm finds no valid coefficients, and says it did not converge', () => {
  // R 4.2: glm(TICKS ~ YEAR + cHEIGHT, poisson(link = "sqrt"), grouseticks) stops with
  // "no valid set of coefficients has been found"; from a start it ends on the boundary too (boundary = TRUE).
  const d = readCsv('grouseticks');
  const frame = makeFrame({ y: num(d.TICKS), columns: { ...dummies(d.YEAR, 'YEAR'), cHEIGHT: num(d.cHEIGHT) } });
  const fit = glmFit(frame, { family: 'poisson', link: 'sqrt' });
  assert.equal(fit.converged, false);
  assert.ok(fit.linearPredictor.every((e) => e > 0));
  assert.ok(fit.diagnostics.some((x) => x.kind === 'convergence'), fit.messages.join('\n'));
  const truncated = fit.messages.filter((m) => m.startsWith('step size truncated'));
  assert.equal(truncated.length, 1);
  assert.match(truncated[0], /\(in \d+ iterations\)$/);
});

test('glmFit(frame, options) rejects bad families, links and responses', () => {
  const frame = makeFrame({ y: [0, 1, 2], columns: {} });
  assert.throws(() => glmFit(frame, { family: 'binomail' }), /did you mean 'binomial'/);
  assert.throws(() => glmFit(frame, { family: 'poisson', link: 'lgo' }), /did you mean 'log'/);
  assert.throws(() => glmFit(frame, { family: 'binomial' }), MixedModelsError);
  assert.throws(() => glmFit(makeFrame({ y: [1, -1, 2], columns: {} }), { family: 'poisson' }), /negative/);
  assert.throws(() => glmFit(makeFrame({ y: [1, 0, 2], columns: {} }), { family: 'Gamma' }), /non-positive/);
  assert.throws(() => glmFit(makeFrame({ y: [0.5, 0.2], columns: {}, trials: [2, 5] }), { family: 'poisson' }), /binomial/);
  assert.throws(() => glmFit(frame, { family: 'poisson', maxIter: 0 }), /maxIter/);
});

test('glmFit with prior weights of 0: BIC as R\'s BIC(), from every fitted row (logLik.glm\'s nobs), nobs without them', () => {
  // R 4.2.2: d <- data.frame(x = 1:12, cnt = c(2,3,1,5,4,6,8,7,9,12,10,15), w = c(1,1,0,1,2,1,0,1,1,1,1,1));
  // m <- glm(cnt ~ x, poisson, d, weights = w); BIC(m) 46.474793521657, AIC(m) 45.504980222081, nobs(m) 10
  const frame = buildFrame('cnt ~ x', { x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], cnt: [2, 3, 1, 5, 4, 6, 8, 7, 9, 12, 10, 15], w: [1, 1, 0, 1, 2, 1, 0, 1, 1, 1, 1, 1] }, { weights: 'w', family: 'poisson' } as never);
  const fit = glmFit(frame, { family: 'poisson' });
  assertClose(fit.AIC, 45.504980222081, 1e-10, 'AIC');
  assertClose(fit.BIC, 46.474793521657, 1e-10, 'BIC');
  assert.equal(fit.nobs, 10);
});
