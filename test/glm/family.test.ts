import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFamily } from '../../src/glm/family.js';
import { MixedModelsError } from '../../src/errors.js';
import { assertClose } from '../distributions/close.js';

const f64 = (v: number[]) => Float64Array.from(v);

test('makeFamily(name) uses R\'s canonical links and accepts gamma for Gamma', () => {
  const links = { gaussian: 'identity', binomial: 'logit', poisson: 'log', Gamma: 'inverse', 'inverse.gaussian': '1/mu^2' };
  for (const [name, link] of Object.entries(links)) assert.equal(makeFamily(name).link.name, link);
  assert.equal(makeFamily('gamma', 'log').name, 'Gamma');
  assert.throws(() => makeFamily('Poisson'), /did you mean 'poisson'/);
  assert.throws(() => makeFamily('binomial', 'logistic'), MixedModelsError);
});

test('makeFamily(name).variance is 1, mu(1-mu), mu, mu^2, mu^3', () => {
  assert.equal(makeFamily('gaussian').variance(3), 1);
  assert.equal(makeFamily('binomial').variance(0.25), 0.1875);
  assert.equal(makeFamily('poisson').variance(3), 3);
  assert.equal(makeFamily('Gamma').variance(3), 9);
  assert.equal(makeFamily('inverse.gaussian').variance(3), 27);
});

test('makeFamily(name).devResid at boundary responses (y = 0, y = 1)', () => {
  const b = makeFamily('binomial');
  assertClose(b.devResid(0, 0.2, 3), -2 * 3 * Math.log(0.8), 1e-15);
  assertClose(b.devResid(1, 0.2, 1), -2 * Math.log(0.2), 1e-15);
  assertClose(b.devResid(0.5, 0.5, 1), 0, 0);
  assertClose(makeFamily('poisson').devResid(0, 1.5, 2), 6, 1e-15);
  assertClose(makeFamily('poisson').devResid(4, 2, 1), 2 * (4 * Math.log(2) - 2), 1e-15);
  assertClose(makeFamily('Gamma').devResid(2, 1, 1), -2 * (Math.log(2) - 1), 1e-15);
  assertClose(makeFamily('inverse.gaussian').devResid(2, 1, 1), 0.5, 1e-15);
  assertClose(makeFamily('gaussian').devResid(2, 1, 3), 3, 1e-15);
});

test('makeFamily(binomial).aic is -2 log-likelihood (Bernoulli rows, and cbind rows with n > 1)', () => {
  const b = makeFamily('binomial');
  const mu = f64([0.2, 0.7, 0.4]);
  const ones = f64([1, 1, 1]);
  const bern = b.aic(f64([0, 1, 1]), ones, mu, ones, 0);
  assertClose(bern, -2 * (Math.log(0.8) + Math.log(0.7) + Math.log(0.4)), 1e-14);
  // 3 successes of 10 at p = 0.3: dbinom = 120 * 0.3^3 * 0.7^7.
  const cb = b.aic(f64([0.3]), f64([10]), f64([0.3]), f64([10]), 0);
  assertClose(cb, -2 * Math.log(120 * 0.3 ** 3 * 0.7 ** 7), 1e-13);
});

test('makeFamily(poisson).aic is -2 sum wt log dpois(y, mu)', () => {
  const p = makeFamily('poisson');
  const aic = p.aic(f64([3, 0]), f64([1, 1]), f64([2, 0.5]), f64([2, 1]), 0);
  const logDpois32 = 3 * Math.log(2) - 2 - Math.log(6);
  assertClose(aic, -2 * (2 * logDpois32 - 0.5), 1e-14);
  assert.equal(p.aic(f64([1.5]), f64([1]), f64([1]), f64([1]), 0), Infinity);
});

test('makeFamily(gaussian).aic is n (log(2 pi dev / n) + 1) + 2 - sum log wt', () => {
  const g = makeFamily('gaussian');
  const aic = g.aic(f64([1, 2, 3, 4]), f64([1, 1, 1, 1]), f64([0, 0, 0, 0]), f64([1, 2, 0, 4]), 6);
  assertClose(aic, 3 * (Math.log((2 * Math.PI * 6) / 3) + 1) + 2 - Math.log(8), 1e-14);
});

test('makeFamily(name).initMu gives R\'s starting values', () => {
  assertClose(makeFamily('binomial').initMu(0.25, 4), 1.5 / 5, 1e-15);
  assert.equal(makeFamily('poisson').initMu(0, 1), 0.1);
  assert.equal(makeFamily('Gamma').initMu(2.5, 1), 2.5);
  assert.equal(makeFamily('gaussian').initMu(-1, 1), -1);
});

test('makeFamily(name).validMu and checkResponse enforce the support', () => {
  const b = makeFamily('binomial');
  assert.equal(b.validMu(0), false);
  assert.equal(b.validMu(0.5), true);
  assert.equal(makeFamily('poisson').validMu(0), false);
  assert.deepEqual(b.checkResponse(f64([0, 1, 0.5]), f64([1, 1, 2])), []);
  assert.match(b.checkResponse(f64([0.3]), f64([1]))[0], /non-integer/);
  assert.throws(() => b.checkResponse(f64([1.5]), f64([1])), MixedModelsError);
  assert.deepEqual(b.checkResponse(f64([1.5]), f64([0])), []);
  assert.throws(() => makeFamily('gaussian', 'log').checkResponse(f64([1, 0]), f64([1, 1])), /positive/);
  assert.throws(() => makeFamily('inverse.gaussian').checkResponse(f64([1, 0]), f64([1, 1])), /positive/);
});

test('makeFamily(name, link) accepts exactly the links R accepts for each family', () => {
  const accepted: Record<string, string[]> = {
    binomial: ['logit', 'probit', 'cauchit', 'log', 'cloglog'],
    gaussian: ['identity', 'log', 'inverse'],
    Gamma: ['inverse', 'identity', 'log'],
    poisson: ['log', 'identity', 'sqrt'],
    'inverse.gaussian': ['1/mu^2', 'inverse', 'identity', 'log'],
  };
  const links = ['identity', 'log', 'inverse', 'logit', 'probit', 'cloglog', 'cauchit', 'sqrt', '1/mu^2'];
  for (const [family, ok] of Object.entries(accepted)) {
    for (const link of links) {
      if (ok.includes(link)) assert.equal(makeFamily(family, link).link.name, link);
      else assert.throws(() => makeFamily(family, link), new RegExp(`link '${link.replace(/[/^]/g, '\\$&')}' is not available for family ${family}`));
    }
  }
});
