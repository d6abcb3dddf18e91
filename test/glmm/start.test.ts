import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFamily } from '../../src/glm/family.js';
import { glmmProblem } from '../../src/glmm/problem.js';
import { glmStart, startingMu, startingTheta, startPirls } from '../../src/glmm/start.js';
import { toTable } from '../../src/data/index.js';
import { modelFrameFromText } from '../../src/frame/index.js';
import { dataFrame, near, refFrame } from './helpers.js';

test('startingMu(resp) is R\'s mustart: (m y + 0.5) / (m + 1) for binomial, y + 0.1 for poisson, y for Gamma', () => {
  const cbpp = glmmProblem(refFrame('cbpp_laplace'), makeFamily('binomial'));
  const { y, size } = cbpp.resp;
  near(startingMu(cbpp.resp)[0], (size[0] * y[0] + 0.5) / (size[0] + 1), 1e-15, 'binomial');
  const grouse = glmmProblem(refFrame('glmm_grouse_poisson_sqrt'), makeFamily('poisson', 'sqrt'), { aggregate: false });
  near(startingMu(grouse.resp)[0], grouse.resp.y[0] + 0.1, 1e-15, 'poisson');
  const gamma = glmmProblem(refFrame('glmm_sleep_gamma_log'), makeFamily('Gamma', 'log'));
  assert.deepEqual(startingMu(gamma.resp), gamma.resp.y);
});

test('glmStart(prob) is the GLM\'s fit, found where R\'s glm finds no valid coefficients (poisson sqrt)', () => {
  const prob = glmmProblem(refFrame('glmm_grouse_poisson_sqrt'), makeFamily('poisson', 'sqrt'), { aggregate: false });
  const beta = glmStart(prob);
  assert.ok(beta !== null && beta.every(Number.isFinite));
  const { X, nobs: n } = prob.frame;
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let j = 0; j < beta.length; j++) eta += X[j * n + i] * beta[j];
    assert.ok(eta > 0, `row ${i}: eta ${eta}`);
  }
});

test('startingTheta(prob) finds a start at theta0 for links where eta = 0 is no valid start', () => {
  const cases: [string, string, string][] = [
    ['glmm_sleep_gamma_inverse', 'Gamma', 'inverse'],
    ['glmm_grouse_poisson_sqrt', 'poisson', 'sqrt'],
    ['glmm_cbpp_binomial_log', 'binomial', 'log'],
    ['glmm_sleep_invgauss_log', 'inverse.gaussian', '1/mu^2'],
  ];
  for (const [name, family, link] of cases) {
    const prob = glmmProblem(refFrame(name), makeFamily(family, link));
    const start = startingTheta(prob);
    assert.deepEqual(start?.theta, prob.map.theta0, `${family}(${link})`);
    assert.ok(Number.isFinite(start.fx) && prob.last?.converged, `${family}(${link}) PIRLS`);
  }
});

test('startingTheta(prob) is lme4\'s theta0, or theta0 shrunk until the criterion is finite', () => {
  const cbpp = glmmProblem(refFrame('cbpp_laplace'), makeFamily('binomial'));
  assert.deepEqual(startingTheta(cbpp)?.theta, cbpp.map.theta0);
  // poisson identity on cbpp: at theta = 1 the modes of herds with few cases would need mu < 0 (lme4 stops: "PIRLS loop resulted in NaN value").
  const frame = dataFrame('cbpp', 'incidence ~ period + (1 | herd)', { factors: ['herd', 'period'], family: 'poisson' });
  const prob = glmmProblem(frame, makeFamily('poisson', 'identity'));
  const { theta, fx } = startingTheta(prob)!;
  assert.ok(theta[0] < 1 && theta[0] > 0, `theta ${theta[0]}`);
  assert.ok(Number.isFinite(fx));
});

test('startingTheta(prob) falls back on the GLM\'s start where lme4\'s fails (inverse.gaussian, 1/mu^2)', () => {
  // Three groups of ten, one response of 0.001 in each: from mustart = y the first joint step leaves
  // the link's range (lme4 1.1-31: "PIRLS loop resulted in NaN value"); R's glm fits, (3.759, -1.235).
  const y = [0.001, 0.1185, 1.0742, 0.7358, 0.3631, 0.8684, 1.1805, 1.0359, 1.2956, 6.1486, 0.001, 0.2296, 0.2444, 0.1153, 1.3065,
    0.8435, 0.6633, 2.7634, 2.2528, 2.2244, 0.001, 0.2489, 1.1186, 0.635, 1.2237, 1.9907, 2.7439, 1.5708, 0.7578, 0.4405];
  const data = toTable({ y, x: y.map((_, i) => (i % 10) / 3), g: y.map((_, i) => `g${i % 3}`) });
  const prob = glmmProblem(modelFrameFromText('y ~ x + (1 | g)', data, { family: 'inverse.gaussian' }), makeFamily('inverse.gaussian'));
  startPirls(prob, null);
  assert.equal(prob.devfun0(prob.map.theta0), Infinity);
  const glmBeta = glmStart(prob)!;
  near(glmBeta[0], 3.759020, 1e-5, 'glm intercept');
  near(glmBeta[1], -1.234618, 1e-5, 'glm slope');
  const start = startingTheta(prob);
  assert.deepEqual(start?.theta, prob.map.theta0);
  assert.ok(Number.isFinite(start.fx));
});
