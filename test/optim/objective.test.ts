import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CountedObjective } from '../../src/optim/objective.js';

test('CountedObjective.evaluate(x) counts calls and keeps the best point', () => {
  const obj = new CountedObjective((x) => (x[0] - 1) ** 2, 1, 10);
  obj.evaluate([3]);
  obj.evaluate([0.5]);
  obj.evaluate([2]);
  assert.equal(obj.count, 3);
  assert.equal(obj.bestF, 0.25);
  assert.deepEqual(Array.from(obj.bestX), [0.5]);
  assert.equal(obj.exhausted, false);
});

test('CountedObjective.evaluate(x) replaces NaN and Infinity by worst + (worst - best)', () => {
  const values = [5, 2, NaN, Infinity, -Infinity, 9, NaN];
  let i = 0;
  const obj = new CountedObjective(() => values[i++], 1, 10);
  const got = values.map(() => obj.evaluate([0]));
  assert.deepEqual(got, [5, 2, 8, 8, 8, 9, 16]);
  assert.equal(obj.bestF, 2);
});

test('CountedObjective.evaluate(x) uses worst + max(1, |worst|) while all values are equal', () => {
  const values = [4, NaN];
  let i = 0;
  const obj = new CountedObjective(() => values[i++], 1, 10);
  obj.evaluate([0]);
  assert.equal(obj.evaluate([0]), 8);
});

test('CountedObjective.evaluate(x) refuses a non-finite first value', () => {
  const obj = new CountedObjective(() => NaN, 1, 10);
  assert.throws(() => obj.evaluate([0]), /not finite at the starting point/);
});

test('CountedObjective.exhausted is true once maxEval calls were made', () => {
  const obj = new CountedObjective(() => 0, 1, 2);
  obj.evaluate([0]);
  obj.evaluate([0]);
  assert.equal(obj.exhausted, true);
});
