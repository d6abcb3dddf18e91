import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFamily } from '../../src/glm/family.js';
import { overdispersionNote } from '../../src/glm/negativeBinomial.js';
import { MixedModelsError } from '../../src/errors.js';
import { assertClose } from '../distributions/close.js';

// R 4.2.2, MASS 7.3-58: f <- negative.binomial(1.7); f$dev.resids(y, mu, wt), f$aic(y, 1, mu, wt, 0), f$variance(mu).
const y = Float64Array.from([0, 1, 3, 0.5, 10]);
const mu = Float64Array.from([0.4, 2, 2.5, 1, 4]);
const wt = Float64Array.from([1, 2, 1, 1, 0.5]);

test('makeFamily("negative.binomial", "log", 1.7) has MASS\'s variance, deviance residuals and aic', () => {
  const f = makeFamily('negative.binomial', 'log', 1.7);
  assert.equal(f.name, 'negative.binomial');
  assert.equal(f.theta, 1.7);
  assert.equal(f.estimatedDispersion, false);
  const dev = [0.718450918468503952, 0.630286581471089402, 0.036636296552838843, 0.901095415642457875, 0.749172115272044081];
  const v = [0.49411764705882355, 4.35294117647058876, 6.17647058823529438, 1.58823529411764719, 13.41176470588235325];
  for (let i = 0; i < y.length; i++) {
    assertClose(f.devResid(y[i], mu[i], wt[i]), dev[i], 1e-14, `dev.resids[${i}]`);
    assertClose(f.variance(mu[i]), v[i], 1e-15, `variance[${i}]`);
  }
  assertClose(f.aic(y, new Float64Array(5).fill(1), mu, wt, 0), 16.224768970352731, 1e-14, 'aic');
  assert.equal(f.initMu(0, 1), 1 / 6);
  assert.equal(f.initMu(3, 1), 3);
});

test('the negative binomial aic keeps its digits for a large theta (1e7)', () => {
  // R: negative.binomial(1e7)$aic(y[-4], 1, mu[-4], wt[-4], 0) = 14.354653894901276 (R's own formula loses ~1e-9 here).
  const f = makeFamily('negative.binomial', 'log', 1e7);
  const keep = [0, 1, 2, 4];
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]);
  assertClose(f.aic(pick(y), new Float64Array(4).fill(1), pick(mu), pick(wt), 0), 14.354653894901276, 1e-8, 'aic');
});

test('makeFamily("negative.binomial") without theta has no likelihood; a bad theta, other links and theta for other families are refused', () => {
  const noTheta = makeFamily('negative.binomial');
  assert.equal(noTheta.link.name, 'log');
  assert.equal(noTheta.theta, undefined);
  assert.throws(() => noTheta.variance(1), (e) => e instanceof MixedModelsError && /needs its theta/.test(e.message));
  assert.throws(() => makeFamily('negative.binomial', 'log', -1), /positive finite/);
  assert.throws(() => makeFamily('negative.binomial', 'logit', 1), /not available for family negative.binomial; its links are log, sqrt, identity/);
  assert.throws(() => makeFamily('poisson', 'log', 2), /belongs to the negative binomial/);
  for (const link of ['log', 'sqrt', 'identity']) assert.equal(makeFamily('negative.binomial', link, 2).link.name, link);
});

test('the negative binomial response check refuses negative counts and notes fractional ones', () => {
  const f = makeFamily('negative.binomial', 'log', 2);
  const ones = new Float64Array(3).fill(1);
  assert.throws(() => f.checkResponse(Float64Array.from([1, -1, 2]), ones), /negative values not allowed/);
  assert.deepEqual(f.checkResponse(Float64Array.from([1, 0, 2]), ones), []);
  assert.match(f.checkResponse(Float64Array.from([1, 0.5, 2]), ones)[0], /1 non-integer counts/);
});

test('overdispersionNote speaks only when mu / theta is below 1% on average', () => {
  const m = Float64Array.from([2, 4, 6]), w = new Float64Array(3).fill(1);
  assert.deepEqual(overdispersionNote(10, m, w), []);
  assert.match(overdispersionNote(1e4, m, w)[0], /no overdispersion/);
});
