import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMeasure, measureName, rowLoss, weightedAuc } from '../../src/glmnet/cvMeasures.js';

test('rowLoss(family, measure, y, eta) follows cv.elnet, cv.lognet and cv.fishnet', () => {
  assert.equal(rowLoss('gaussian', 'mse', 3, 1), 4);
  assert.equal(rowLoss('gaussian', 'mae', 3, 1), 2);
  const p = 1 / (1 + Math.exp(-0.4));
  assert.ok(Math.abs(rowLoss('binomial', 'deviance', 1, 0.4) + 2 * Math.log(p)) < 1e-15);
  assert.ok(Math.abs(rowLoss('binomial', 'mse', 0.25, 0.4) - 2 * (0.25 - p) ** 2) < 1e-15);
  assert.equal(rowLoss('binomial', 'class', 1, -0.1), 1);
  assert.equal(rowLoss('binomial', 'class', 1, 0.1), 0);
  // glmnet clamps probabilities to [1e-5, 1 - 1e-5] for the deviance
  assert.ok(Math.abs(rowLoss('binomial', 'deviance', 1, -50) + 2 * Math.log(1e-5)) < 1e-12);
  assert.ok(Math.abs(rowLoss('poisson', 'deviance', 2, Math.log(2))) < 1e-15);
  assert.ok(Math.abs(rowLoss('poisson', 'deviance', 0, 0) - 2) < 1e-15);
});

test('weightedAuc(y, score, w) counts ties as one half and weighs successes by w y, failures by w (1 - y)', () => {
  assert.equal(weightedAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], [1, 1, 1, 1]), 0.75);
  assert.equal(weightedAuc([0, 1], [0.5, 0.5], [1, 1]), 0.5);
  // a proportion is a success and a failure at the same score
  assert.equal(weightedAuc([0.5, 1], [0.2, 0.9], [2, 1]), (1 * 1 + 1 * 0.5) / (1 * 2));
});

test('checkMeasure(family, m) picks glmnet\'s default and refuses measures a family lacks', () => {
  assert.equal(checkMeasure('gaussian', 'default'), 'mse');
  assert.equal(checkMeasure('binomial', undefined), 'deviance');
  assert.throws(() => checkMeasure('gaussian', 'auc'), /not available for the gaussian family/);
  assert.equal(measureName('poisson', 'deviance'), 'Poisson Deviance');
});
