import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familyLabel } from '../../src/report/familyLabel.js';

// R 4.2.2: MASS::negative.binomial(theta)$family is paste0("Negative Binomial(", format(round(theta, 4)), ")").
test('familyLabel(family, theta) is MASS\'s name of negative.binomial(theta), other families as they are', () => {
  assert.equal(familyLabel('negative.binomial', 2.05221928082946), 'Negative Binomial(2.0522)');
  assert.equal(familyLabel('negative.binomial', 1), 'Negative Binomial(1)');
  assert.equal(familyLabel('negative.binomial', 123456.789), 'Negative Binomial(123456.8)');
  assert.equal(familyLabel('negative.binomial', 1e6), 'Negative Binomial(1e+06)');
  assert.equal(familyLabel('negative.binomial', 0.00004), 'Negative Binomial(0)');
  assert.equal(familyLabel('poisson'), 'poisson');
});
