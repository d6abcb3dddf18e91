// MASS's gamma.shape (the ML shape of a Gamma GLM), which R's Gamma()$simulate draws a GLM's responses with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glm } from '../../src/api/fit.js';
import { gammaShape } from '../../src/glm/gammaShape.js';
import { glmSimulator } from '../../src/inference/bootstrap/simulate.js';
import { createRandom } from '../../src/inference/bootstrap/random.js';
import { readCsvFile } from '../../src/io/readTable.js';
import { assertClose } from '../distributions/close.js';
import { dataFile } from '../cli/helpers.js';

const sleep = readCsvFile(dataFile('sleepstudy'));

test('gammaShape(y, mu, w, deviance, df) is MASS::gamma.shape\'s alpha, with and without prior weights', () => {
  // R 4.2.2, MASS 7.3: gamma.shape(glm(Reaction ~ Days, Gamma("log"), d))$alpha 41.302968490011;
  // with d$w <- rep(c(1, 2, 3), 60) and glm(Reaction ~ Days, Gamma, d, weights = w): 19.983028125421
  const m = glm('Reaction ~ Days', sleep, { family: 'Gamma', link: 'log' });
  assertClose(gammaShape(m.frame.y, m.fit.fitted, m.fit.priorWeights, m.fit.deviance, m.fit.dfResidual), 41.302968490011, 1e-10, 'alpha');
  const w = Array.from({ length: 180 }, (_, i) => [1, 2, 3][i % 3]);
  const weighted = glm('Reaction ~ Days', { ...Object.fromEntries(sleep.names.map((n) => [n, sleep.columns.get(n)!.values])), w }, { family: 'Gamma', weights: 'w' });
  assertClose(gammaShape(weighted.frame.y, weighted.fit.fitted, weighted.fit.priorWeights, weighted.fit.deviance, weighted.fit.dfResidual), 19.983028125421, 1e-10, 'alpha, weights');
});

test('glmSimulator of a Gamma GLM draws with the ML shape: the relative variance of the draws is 1 / alpha, not the Pearson dispersion', () => {
  // Skewed responses (shape 1.5: the Pearson dispersion and 1 / alpha part by several percent).
  const r = createRandom(3), x: number[] = [], y: number[] = [];
  for (let i = 0; i < 300; i++) {
    x.push(i / 100);
    y.push(Math.exp(1 + 0.4 * (i / 100)) * r.gamma(1.5) / 1.5);
  }
  const m = glm('y ~ x', { y, x }, { family: 'Gamma', link: 'log' });
  const alpha = gammaShape(m.frame.y, m.fit.fitted, m.fit.priorWeights, m.fit.deviance, m.fit.dfResidual);
  assert.ok(Math.abs(1 / alpha - m.fit.dispersion) > 0.025 / alpha, `the two differ here: ${1 / alpha} and ${m.fit.dispersion}`);
  const draw = glmSimulator(m), rng = createRandom(7), out = new Float64Array(300), mu = m.fit.fitted;
  let sum = 0, count = 0;
  for (let k = 0; k < 1000; k++) {
    draw(rng, out);
    for (let i = 0; i < 300; i++, count++) sum += (out[i] / mu[i] - 1) ** 2;
  }
  // 300,000 draws: the mean of (y / mu - 1)^2 within 1.5% of 1 / alpha (its standard error about 0.5% here; the
  // Pearson dispersion is 3% off it).
  assertClose(sum / count, 1 / alpha, 0.015, 'relative variance');
});
