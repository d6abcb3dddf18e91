import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMetric, score } from '../../src/evaluate/metrics.js';

const obs = { y: Float64Array.from([0.25, 0, 1]), trials: Float64Array.from([4, 2, 1]) };
const mu = Float64Array.from([0.2, 0.1, 0.7]);

test('score("mspe", binomial) is the study\'s sum[(1 - p)^2 successes + p^2 failures] / trials', () => {
  const expected = ((1 - 0.2) ** 2 * 1 + 0.2 ** 2 * 3 + 0.1 ** 2 * 2 + (1 - 0.7) ** 2 * 1) / 7;
  assert.ok(Math.abs(score('mspe', 'binomial', obs, mu) - expected) < 1e-15);
  assert.ok(Math.abs(score('rmse', 'binomial', obs, mu) - Math.sqrt(expected)) < 1e-15);
});

test('score(logloss | deviance | auc) per trial; missing predictions are left out', () => {
  const ll = -(Math.log(0.2) + 3 * Math.log(0.8) + 2 * Math.log(0.9) + Math.log(0.7)) / 7;
  assert.ok(Math.abs(score('logloss', 'binomial', obs, mu) - ll) < 1e-14);
  const sat = -(Math.log(0.25) + 3 * Math.log(0.75)) / 7;
  assert.ok(Math.abs(score('deviance', 'binomial', obs, mu) - 2 * (ll - sat)) < 1e-14);
  // successes: 1 at 0.2, 1 at 0.7; failures: 3 at 0.2 (tie), 2 at 0.1
  assert.ok(Math.abs(score('auc', 'binomial', obs, mu) - (1 * (2 + 1.5) + 1 * 5) / (2 * 5)) < 1e-15);
  const some = Float64Array.from([0.2, NaN, 0.7]);
  assert.ok(Math.abs(score('mspe', 'binomial', obs, some) - ((0.8 ** 2 + 0.04 * 3 + 0.09) / 5)) < 1e-15);
  assert.ok(Math.abs(score('mspe', 'gaussian', { y: Float64Array.from([1, 2]), trials: Float64Array.from([1, 1]) }, Float64Array.from([0, 4])) - 2.5) < 1e-15);
});

test('checkMetric(m, family) refuses unknown metrics and binomial-only ones for other families', () => {
  assert.throws(() => checkMetric('r2', 'gaussian'), /unknown metric 'r2'/);
  assert.throws(() => checkMetric('auc', 'poisson'), /needs a binomial response/);
  assert.equal(checkMetric('rmse', 'poisson'), 'rmse');
});
