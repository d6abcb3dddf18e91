import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contrastFor, contrastKind, contrastMatrix, indicatorMatrix, termCodings } from '../../src/frame/contrasts.js';

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

test("contrastMatrix('helmert', levels) is R's contr.helmert, columns numbered", () => {
  // contr.helmert(4) in R 4.2.2
  assert.deepEqual(contrastMatrix('helmert', ['a', 'b', 'c', 'd']), {
    ncol: 3,
    values: Float64Array.from([-1, -1, -1, 1, -1, -1, 0, 2, -1, 0, 0, 3]),
    suffixes: ['1', '2', '3'],
  });
});

test("contrastMatrix('poly', levels) is R's contr.poly, named .L .Q .C ^4", () => {
  // contr.poly(5) in R 4.2.2 (rows = levels)
  const R = [
    [-0.632455532033676, 0.534522483824849, -0.316227766016838, 0.119522860933439],
    [-0.316227766016838, -0.267261241912424, 0.632455532033676, -0.478091443733757],
    [0, -0.534522483824849, 0, 0.717137165600636],
    [0.316227766016838, -0.267261241912424, -0.632455532033676, -0.478091443733757],
    [0.632455532033676, 0.534522483824849, 0.316227766016838, 0.119522860933439],
  ];
  const m = contrastMatrix('poly', ['1', '2', '3', '4', '5']);
  assert.deepEqual(m.suffixes, ['.L', '.Q', '.C', '^4']);
  R.forEach((row, l) => row.forEach((v, j) => assert.ok(Math.abs(m.values[l * 4 + j] - v) < 1e-14, `level ${l + 1}, column ${j + 1}`)));
});

test('contrastKind(name) reads the kinds and R\'s contr.* names, null otherwise', () => {
  assert.equal(contrastKind('sum'), 'sum');
  assert.equal(contrastKind('contr.helmert'), 'helmert');
  assert.equal(contrastKind('contr.SAS'), null);
});

test('contrastFor(option, label, own) lets a per-label kind win, then the variable\'s own, then a global kind', () => {
  assert.equal(contrastFor({ f: 'sum' }, 'f', 'poly'), 'sum');
  assert.equal(contrastFor({ g: 'sum' }, 'f', undefined), 'treatment');
  assert.equal(contrastFor('sum', 'f', 'poly'), 'poly');
  assert.equal(contrastFor('helmert', 'f', undefined), 'helmert');
  assert.equal(contrastFor(undefined, 'f', undefined), 'treatment');
});
