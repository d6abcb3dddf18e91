import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asCategorical, toFactor } from '../../src/data/factor.js';

test('toFactor(numeric) gives levels in numeric order labelled as R prints them', () => {
  const f = toFactor({ kind: 'numeric', values: new Float64Array([308, 2.5, NaN, 10, 308]) }, 'x');
  assert.deepEqual(f.levels, ['2.5', '10', '308']);
  assert.deepEqual([...f.codes], [2, 0, -1, 1, 2]);
});

test('toFactor(categorical) keeps declared levels, else sorts', () => {
  const declared = toFactor({ kind: 'categorical', values: ['lo', 'hi', null], levels: ['lo', 'mid', 'hi'] }, 'g');
  assert.deepEqual(declared.levels, ['lo', 'mid', 'hi']);
  assert.deepEqual([...declared.codes], [0, 2, -1]);
  const sorted = toFactor({ kind: 'categorical', values: ['b', 'a', 'b'] }, 'g');
  assert.deepEqual(sorted.levels, ['a', 'b']);
  assert.deepEqual([...sorted.codes], [1, 0, 1]);
});

test('toFactor(categorical) rejects a value outside the declared levels', () => {
  assert.throws(
    () => toFactor({ kind: 'categorical', values: ['lo', 'high'], levels: ['lo', 'hi'] }, 'g'),
    /column 'g' has value 'high' in row 2, which is not one of its levels/,
  );
});

test('asCategorical(numeric) labels values and keeps missing as null', () => {
  const c = asCategorical({ kind: 'numeric', values: new Float64Array([2, 1, NaN]) }, 'x');
  assert.deepEqual(c, { kind: 'categorical', values: ['2', '1', null], levels: ['1', '2'] });
});

test('toFactor(numeric) codes widely spread, fractional and infinite values by search, and -0 as 0', () => {
  const f = toFactor({ kind: 'numeric', values: new Float64Array([1e12, -0, 0.5, Infinity, 0, -3, NaN, 1e12]) }, 'x');
  assert.deepEqual(f.levels, ['-3', '0', '0.5', '1000000000000', 'Inf']);
  assert.deepEqual([...f.codes], [3, 1, 2, 4, 1, 0, -1, 3]);
  const all = toFactor({ kind: 'numeric', values: new Float64Array([NaN, NaN]) }, 'x');
  assert.deepEqual([all.levels, [...all.codes]], [[], [-1, -1]]);
});

test('toFactor(categorical) sorts numeric-looking text numerically and codes repeated runs and nulls', () => {
  const f = toFactor({ kind: 'categorical', values: [null, '10', '10', '2', null, '1', '10'] }, 'g');
  assert.deepEqual(f.levels, ['1', '2', '10']);
  assert.deepEqual([...f.codes], [-1, 2, 2, 1, -1, 0, 2]);
});

test('toFactor(numbers) merges numbers R labels alike into one level, as R factor() does', () => {
  // R 4.2.2: levels(factor(c(0.3, 0.1 + 0.2, 2))) is c("0.3", "2").
  const f = toFactor({ kind: 'numeric', values: Float64Array.from([0.1 + 0.2, 2, 0.3, NaN]) }, 'g');
  assert.deepEqual(f.levels, ['0.3', '2']);
  assert.deepEqual([...f.codes], [0, 1, 0, -1]);
});
