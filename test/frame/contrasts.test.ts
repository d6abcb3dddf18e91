import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contrastMatrix, indicatorMatrix, termCodings } from '../../src/frame/contrasts.js';

test("contrastMatrix('treatment', levels) is R's contr.treatment, columns named by level", () => {
  assert.deepEqual(contrastMatrix('treatment', ['A', 'B', 'C']), {
    ncol: 2,
    values: Float64Array.from([0, 0, 1, 0, 0, 1]),
    suffixes: ['B', 'C'],
  });
});

test("contrastMatrix('sum', levels) is R's contr.sum, columns numbered", () => {
  assert.deepEqual(contrastMatrix('sum', ['A', 'B', 'C']), {
    ncol: 2,
    values: Float64Array.from([1, 0, 0, 1, -1, -1]),
    suffixes: ['1', '2'],
  });
});

test('indicatorMatrix(levels) has one column per level', () => {
  assert.deepEqual(indicatorMatrix(['a', 'b']), { ncol: 2, values: Float64Array.from([1, 0, 0, 1]), suffixes: ['a', 'b'] });
});

// Factors a, b (3 levels), f1 (one level), numeric x.
const nlevels = (v: string) => ({ a: 3, b: 3, f1: 1 })[v] ?? 0;

test('termCodings(a * b) codes every factor by contrasts', () => {
  assert.deepEqual(termCodings([['a'], ['b'], ['a', 'b']], true, nlevels), [['contrasts'], ['contrasts'], ['contrasts', 'contrasts']]);
});

test('termCodings(0 + a + b) gives the first factor full indicators (R: a1 a2 a3 b2 b3)', () => {
  assert.deepEqual(termCodings([['a'], ['b']], false, nlevels), [['indicators'], ['contrasts']]);
  assert.deepEqual(termCodings([['x'], ['a']], false, nlevels), [['numeric'], ['indicators']]);
});

test('termCodings(a:b) without main effects codes both factors by indicators', () => {
  assert.deepEqual(termCodings([['a', 'b']], true, nlevels), [['indicators', 'indicators']]);
});

test('termCodings(a + a:b) codes b by contrasts and a by indicators inside a:b (R: a2 a3 a1:b2 ...)', () => {
  assert.deepEqual(termCodings([['a'], ['a', 'b']], true, nlevels), [['contrasts'], ['indicators', 'contrasts']]);
});

test('termCodings(x + x:a) and (x:a) follow the same rule with a numeric variable', () => {
  assert.deepEqual(termCodings([['x'], ['x', 'a']], true, nlevels), [['numeric'], ['numeric', 'contrasts']]);
  assert.deepEqual(termCodings([['x', 'a']], true, nlevels), [['numeric', 'indicators']]);
});

test('termCodings(0 + f1 + a) skips one-level factors when choosing the indicator factor', () => {
  assert.deepEqual(termCodings([['f1'], ['a']], false, nlevels), [['contrasts'], ['indicators']]);
});
