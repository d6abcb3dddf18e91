import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortLevels, withReference } from '../../src/data/levels.js';
import { MixedModelsError } from '../../src/errors.js';

test('sortLevels(values) sorts text as R\'s sort() where ICU collates (R 4.2.2 here, C.UTF-8) and removes duplicates', () => {
  // R: sort(c("b", "a", "B", "a", "no flip", "No")); sort(c("b","B","a","A","é","e","z","Ä","_x","1a","Treatment","control"))
  assert.deepEqual(sortLevels(['b', 'a', 'B', 'a', 'no flip', 'No']), ['a', 'b', 'B', 'No', 'no flip']);
  assert.deepEqual(sortLevels(['b', 'B', 'a', 'A', 'é', 'e', 'z', 'Ä', '_x', '1a', 'Treatment', 'control']),
    ['_x', '1a', 'a', 'A', 'Ä', 'b', 'B', 'control', 'e', 'é', 'Treatment', 'z']);
  // Ids of digits and lower-case letters (code-unit order is the collation's there).
  assert.deepEqual(sortLevels(['u10', 'u2', 'u1', 'a9']), ['a9', 'u1', 'u10', 'u2']);
});

test('sortLevels(values) of digits and letters of both cases (no collator) is ICU\'s order: R\'s sort() and Intl.Collator agree', () => {
  // R 4.2.2 here: sort(c("S1WantCurse", "s1wantcurse", "S10DoScold", "S2wantShout", "ab", "aB", "Ab", "AB", "abc", "A1", "a10", "B", "b"))
  assert.deepEqual(sortLevels(['S1WantCurse', 's1wantcurse', 'S10DoScold', 'S2wantShout', 'ab', 'aB', 'Ab', 'AB', 'abc', 'A1', 'a10', 'B', 'b']),
    ['A1', 'a10', 'ab', 'aB', 'Ab', 'AB', 'abc', 'b', 'B', 'S10DoScold', 's1wantcurse', 'S1WantCurse', 'S2wantShout']);
  // Against ICU itself on many random texts of digits and letters.
  const collator = new Intl.Collator('en', { usage: 'sort', sensitivity: 'variant' });
  const chars = '019aAbBzZ';
  let s = 12345;
  const next = () => (s = (s * 16807) % 2147483647);
  const texts = Array.from({ length: 400 }, () => Array.from({ length: 1 + (next() % 4) }, () => chars[next() % chars.length]).join(''));
  const icu = [...new Set(texts)].sort((a, b) => collator.compare(a, b));
  assert.deepEqual(sortLevels(texts), icu);
});

test('sortLevels(values) sorts numeric codes in numeric order', () => {
  assert.deepEqual(sortLevels(['10', '2', '1', '2.5', '-3', '1e-04']), ['-3', '1e-04', '1', '2', '2.5', '10']);
});

test('sortLevels(values) sorts as text when any value is not a number', () => {
  assert.deepEqual(sortLevels(['10', '2', 'x']), ['10', '2', 'x']);
  assert.deepEqual(sortLevels([]), []);
});

test('withReference(levels, level, variable) moves the level first', () => {
  assert.deepEqual(withReference(['A', 'B', 'C'], 'C', 'recipe'), ['C', 'A', 'B']);
  assert.deepEqual(withReference(['A', 'B', 'C'], 'A', 'recipe'), ['A', 'B', 'C']);
});

test('withReference(levels, level, variable) rejects an unknown level with a suggestion', () => {
  assert.throws(
    () => withReference(['curse', 'scold', 'shout'], 'scol', 'btype'),
    (e: Error) => e instanceof MixedModelsError && e.message === "reference level 'scol' is not a level of 'btype' (did you mean 'scold'?)",
  );
  assert.throws(() => withReference(['A', 'B'], 'zzzzzz', 'recipe'), /its levels are 'A', 'B'/);
});
