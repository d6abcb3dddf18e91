import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandFormula, parseFormula } from '../../src/formula/index.js';
import { fixedFormula } from '../../src/evaluate/fixedFormula.js';

const fixed = (text: string) => fixedFormula(expandFormula(parseFormula(text)));

test('fixedFormula(f) turns each grouping factor into a fixed term and each slope into its interaction', () => {
  assert.equal(fixed('cbind(clicks, expos - clicks) ~ display + (1 | id)').text, 'cbind(clicks, expos - clicks) ~ display + id');
  assert.equal(fixed('y ~ x + (x | g)').text, 'y ~ x + g + x:g');
  assert.equal(fixed('y ~ 0 + x + (0 + x | g) + offset(log(n))').text, 'y ~ 0 + x + offset(log(n)) + x:g');
  const nested = fixed('y ~ x + (1 | a/b)');
  assert.equal(nested.text, 'y ~ x + b:a + a');
  assert.deepEqual(nested.groupColumns.sort(), ['a', 'b']);
  assert.throws(() => fixed('y ~ x'), /no random-effects term/);
});
