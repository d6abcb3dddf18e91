/**
 * Centring (lmm/conditioning/centring.ts): y ~ x + (1 | g) with x = b + u is the model with
 * u, so R's fit of the centred data is the reference for every b. R 4.2.2,
 * lme4 1.1-31, lmerTest 3.1-3:
 *   i <- 0:399; u <- (i %% 7) * 0.1 + 0.01 * sin(i)
 *   d <- data.frame(g = i %% 20, u = u, y = sin(i) + (i %% 20) * 0.1 + 3 * u)
 *   m <- lmer(y ~ u + (1 | g), d); logLik(m); coef(summary(m))
 * logLik -464.730064386708; u: 3.067206173115, se 0.180624750155, df 379.1339731503;
 * (Intercept) 0.934439186806, se 0.143578132898; summary(m, ddf = "Kenward-Roger"):
 * u: se 0.180628281912, df 379.1339021788. lme4 on x = 1e5 + u itself:
 * logLik -464.729977372673, slope 3.06787593215, df 35.35 (lmerTest).
 * Tolerances: logLik 1e-8 relative, estimates and se 1e-6, df 1e-6 (the
 * optimisers stop at slightly different theta).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glmer, lmer } from '../../../src/api/fit.js';
import { bootstrap } from '../../../src/inference/bootstrap/bootstrap.js';
import { confint } from '../../../src/inference/confint.js';
import { CENTRE_RHO2, centredBeta, centredCovariance, centring, congruent, uncentredBeta } from '../../../src/lmm/conditioning/centring.js';
import { lmmProblem } from '../../../src/lmm/problem.js';

const n = 400;
const u = Array.from({ length: n }, (_, i) => (i % 7) * 0.1 + 0.01 * Math.sin(i));
const data = (b: number) => ({ g: u.map((_, i) => i % 20), x: u.map((v) => b + v), y: u.map((v, i) => Math.sin(i) + (i % 20) * 0.1 + 3 * v) });
const R = { logLik: -464.730064386708, slope: 3.067206173115, se: 0.180624750155, df: 379.1339731503, intercept: 0.934439186806 };
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

for (const b of [1e4, 1e5, 3e5]) {
  test(`lmer(y ~ x + (1 | g)) with x = ${b} + u gives the centred model's logLik, slope, se and df (R on u)`, () => {
    const m = lmer('y ~ x + (1 | g)', data(b), { factors: ['g'] });
    assert.ok(rel(m.fit.logLik, R.logLik) < 1e-8, `logLik ${m.fit.logLik}`);
    const slope = m.coefficients[1];
    assert.ok(rel(slope.estimate, R.slope) < 1e-6, `slope ${slope.estimate}`);
    assert.ok(rel(slope.stdError, R.se) < 1e-6, `se ${slope.stdError}`);
    assert.ok(rel(slope.df!, R.df) < 1e-6, `df ${slope.df}`);
    // The intercept is the centred one moved to x = 0: R.intercept - b * slope, to the digits that subtraction leaves.
    assert.ok(rel(m.fit.beta[0], R.intercept - b * slope.estimate) < 1e-9, `intercept ${m.fit.beta[0]}`);
    assert.ok(!m.fit.messages.some((msg) => /nearly a combination/.test(msg)), `${m.fit.messages}`);
  });
}

test('lmer(y ~ x + (1 | g), ddf kenward-roger) with x = 3e5 + u gives R\'s Kenward-Roger se and df of the slope on u', () => {
  const m = lmer('y ~ x + (1 | g)', data(3e5), { factors: ['g'], ddf: 'kenward-roger' });
  const slope = m.coefficients[1];
  assert.ok(rel(slope.stdError, 0.180628281912) < 1e-6, `se ${slope.stdError}`);
  assert.ok(rel(slope.df!, 379.1339021788) < 1e-6, `df ${slope.df}`);
});

test('centring(frame of x = 1e5 + u) replaces x by x - mean(x) (U[0, 1] = -mean); a frame of u needs none', () => {
  const far = lmer('y ~ x + (1 | g)', data(1e5), { factors: ['g'] }).frame;
  const c = centring(far, lmmProblem(far, { REML: true }).A.xx);
  assert.ok(c !== null);
  const mean = 1e5 + u.reduce((s, v) => s + v, 0) / n;
  assert.ok(Math.abs(-c!.U[2] - mean) < 1e-9, `U[0, 1] ${c!.U[2]}`);
  assert.deepEqual([c!.U[0], c!.U[1], c!.U[3]], [1, 0, 1]);
  const near = lmer('y ~ x + (1 | g)', data(0), { factors: ['g'] }).frame;
  assert.equal(centring(near, lmmProblem(near, { REML: true }).A.xx), null);
  assert.ok(CENTRE_RHO2 <= 1e-8);
});

test('uncentredBeta, centredBeta, congruent and centredCovariance map by U and its inverse', () => {
  // U = [[1, -10, 2], [0, 1, -3], [0, 0, 1]] (column-major below).
  const c = { frame: null as never, U: Float64Array.of(1, 0, 0, -10, 1, 0, 2, -3, 1) };
  assert.deepEqual(Array.from(uncentredBeta(Float64Array.of(1, 2, 3), c)), [1 - 20 + 6, 2 - 9, 3]);
  assert.deepEqual(Array.from(centredBeta(uncentredBeta(Float64Array.of(1, 2, 3), c), c)), [1, 2, 3]);
  // M = I: U U' = [[105, -16, 2], [-16, 10, -3], [2, -3, 1]].
  const M = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  assert.deepEqual(Array.from(congruent(c, M, 3)), [105, -16, 2, -16, 10, -3, 2, -3, 1]);
  assert.deepEqual(Array.from(centredCovariance(c, congruent(c, M, 3), 3)).map((v) => Math.round(v * 1e12) / 1e12), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
});

test('lmer(y ~ x * f + (1 | g)) with x = 1e5 + u gives the interaction model on u (x:f replaced by (x - mean within f) f)', () => {
  const f = u.map((_, i) => ['a', 'b', 'c'][i % 3]);
  const yf = u.map((v, i) => Math.sin(i) + (i % 20) * 0.1 + 3 * v + (i % 3) * 0.2 * v);
  const far = lmer('y ~ x * f + (1 | g)', { ...data(1e5), f, y: yf }, { factors: ['g'] });
  const near = lmer('y ~ x * f + (1 | g)', { ...data(0), f, y: yf }, { factors: ['g'] });
  assert.ok(rel(far.fit.logLik, near.fit.logLik) < 1e-10, `logLik ${far.fit.logLik} vs ${near.fit.logLik}`);
  for (const term of ['x', 'x:fb', 'x:fc']) {
    const a = far.coefficients.find((c) => c.term === term)!, b = near.coefficients.find((c) => c.term === term)!;
    assert.ok(rel(a.estimate, b.estimate) < 1e-7 && rel(a.stdError, b.stdError) < 1e-7 && rel(a.df!, b.df!) < 1e-7, `${term}: ${a.estimate} ${a.stdError} ${a.df} vs ${b.estimate} ${b.stdError} ${b.df}`);
  }
  assert.ok(!far.fit.messages.some((m) => /nearly a combination|failed to converge/.test(m)), `${far.fit.messages}`);
});

test('bootstrap(lmer with x = 1e5 + u) refits on the centred columns: the 40 slope replicates as with u', () => {
  const far = bootstrap(lmer('y ~ x + (1 | g)', data(1e5), { factors: ['g'] }), { nsim: 40, seed: 3 });
  const near = bootstrap(lmer('y ~ x + (1 | g)', data(0), { factors: ['g'] }), { nsim: 40, seed: 3 });
  const at = far.names.indexOf('x');
  for (let r = 0; r < 40; r++) {
    const a = far.replicates[r * far.names.length + at], b = near.replicates[r * near.names.length + at];
    assert.ok(Math.abs(a - b) < 1e-6 * Math.abs(b), `replicate ${r}: ${a} vs ${b}`);
  }
});

test('confint(lmer with x = 1e5 + u, profile): the slope\'s limits are those of the model on u (1e-9)', () => {
  const far = confint(lmer('y ~ x + (1 | g)', data(1e5), { factors: ['g'] }), { method: 'profile' });
  const near = confint(lmer('y ~ x + (1 | g)', data(0), { factors: ['g'] }), { method: 'profile' });
  const a = far.find((r) => r.parameter === 'x')!, b = near.find((r) => r.parameter === 'x')!;
  assert.ok(rel(a.lower!, b.lower!) < 1e-9 && rel(a.upper!, b.upper!) < 1e-9, `${a.lower} ${a.upper} vs ${b.lower} ${b.upper}`);
  const sdA = far.find((r) => r.parameter === 'sigma')!, sdB = near.find((r) => r.parameter === 'sigma')!;
  assert.ok(rel(sdA.upper!, sdB.upper!) < 1e-9, `sigma ${sdA.upper} vs ${sdB.upper}`);
});

test('glmer(y ~ x + (1 | g), binomial) with x = 100 + u and 1e3 + u: the slope\'s se of the model on u (lme4: 0.2008, 0.0151)', () => {
  // R 4.2.2, lme4 1.1-31, i <- 0:1999, u as above, y <- as.integer((sin(i * 7.1) + 1) / 2 < plogis((i %% 20) * 0.1 - 1 + 3 * u)):
  // glmer(y ~ u + (1 | g), binomial): slope 1.751885, se 0.2395359; on x = 100 + u lme4 gives se 0.2007554, on 1e3 + u 0.01511764.
  const m = 2000, v = Array.from({ length: m }, (_, i) => (i % 7) * 0.1 + 0.01 * Math.sin(i));
  const y = v.map((w, i) => ((Math.sin(i * 7.1) + 1) / 2 < 1 / (1 + Math.exp(-((i % 20) * 0.1 - 1 + 3 * w))) ? 1 : 0));
  for (const b of [100, 1e3]) {
    const fit = glmer('y ~ x + (1 | g)', { g: v.map((_, i) => i % 20), x: v.map((w) => b + w), y }, { factors: ['g'], family: 'binomial' });
    const slope = fit.fit.coefficients[1];
    assert.ok(rel(slope.stdError, 0.2395359) < 1e-4, `x = ${b} + u: se ${slope.stdError}`);
    assert.ok(rel(slope.estimate, 1.751885) < 1e-5, `x = ${b} + u: slope ${slope.estimate}`);
    assert.ok(fit.fit.converged, `${fit.fit.messages}`);
  }
});
