// R's abbreviate() against R 4.2.2 (test/fixtures/r/rformat.json): lme4 labels its correlation table with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abbreviate } from '../../../src/report/r/abbreviate.js';
import { R } from './rformat.js';

test('abbreviate(names, minlength) gives R\'s abbreviations for coefficient names', () => {
  for (const c of R.abbreviate) assert.deepEqual(abbreviate(c.names, c.minlength[0]), c.value, `abbreviate(..., ${c.minlength[0]})`);
});

test('abbreviate(names, 6) lengthens duplicated abbreviations until they differ', () => {
  const [a, b, c] = abbreviate(['recipeA:temp', 'recipeB:temp', 'recipeA:temp'], 6);
  assert.notEqual(a, b);
  assert.equal(a, c);
});
