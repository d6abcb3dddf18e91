import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortLevels, withReference } from '../../src/data/levels.js';
import { MixedModelsError } from '../../src/errors.js';

test('sortLevels(values) sorts text in code-unit order and removes duplicates', () => {
  assert.deepEqual(sortLevels(['b', 'a', 'B', 'a', 'no flip', 'No']), ['B', 'No', 'a', 'b', 'no flip']);
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
