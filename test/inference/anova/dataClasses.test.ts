import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lm } from '../../../src/api/fit.js';
import { numericVariables } from '../../../src/inference/anova/dataClasses.js';

test('numericVariables(model) lists the plain numeric fixed-effects variables, as R\'s dataClasses', () => {
  const data = { y: [1, 3, 2, 5, 4, 6, 8, 7], x: [1, 2, 3, 4, 5, 6, 7, 8], g: ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'], n: [1, 1, 2, 2, 3, 3, 1, 2] };
  const m = lm('y ~ g * x + log(x) + factor(n) + poly(x, 2) + n', data);
  assert.deepEqual([...numericVariables(m)].sort(), ['log(x)', 'n', 'x']);
  assert.deepEqual([...numericVariables(lm('y ~ g * n', data, { factors: ['n'] }))], []);
});
