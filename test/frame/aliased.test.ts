import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearlyFullRank, dropAliased, findAliased, nearConstantNote } from '../../src/frame/aliased.js';
import { modelFrameFromText } from '../../src/frame/modelFrame.js';
import { toTable } from '../../src/data/table.js';
import { readFixture, readRef } from './helpers.js';

function matrix(columns: number[][]): Float64Array {
  return Float64Array.from(columns.flat());
}

test('findAliased(X) flags a copy of an earlier column and a zero column', () => {
  const X = matrix([
    [1, 1, 1, 1],
    [1, 2, 3, 4],
    [1, 2, 3, 4],
    [0, 0, 0, 0],
    [1, 4, 9, 16],
  ]);
  assert.deepEqual(findAliased(X, 4, 5), [false, false, true, true, false]);
});

test('findAliased(X) flags a linear combination but keeps a column that is merely close to one', () => {
  const x = [1, 2, 3, 4, 5];
  const combo = x.map((v) => 3 - 2 * v);
  const near = combo.map((v, i) => v + (i === 2 ? 1e-5 : 0));
  assert.deepEqual(findAliased(matrix([[1, 1, 1, 1, 1], x, combo, near]), 5, 4), [false, false, true, false]);
});

test('findAliased(X, n, p, tol) uses a tolerance relative to each column\'s norm', () => {
  const big = [1e8, 2e8, 3e8];
  const nearBig = big.map((v, i) => v + (i === 0 ? 1 : 0)); // relative residual ~ 2e-9 < 1e-7
  assert.deepEqual(findAliased(matrix([big, nearBig]), 3, 2), [false, true]);
  assert.deepEqual(findAliased(matrix([big, nearBig]), 3, 2, 1e-12), [false, false]);
});

test('dropAliased(design) removes the columns and reports their names', () => {
  const design = { n: 3, p: 3, values: matrix([[1, 1, 1], [1, 2, 3], [2, 2, 2]]), colnames: ['(Intercept)', 'x', 'two'], assign: Int32Array.from([0, 1, 2]) };
  const { design: kept, aliased } = dropAliased(design);
  assert.deepEqual(aliased, ['two']);
  assert.deepEqual(kept.colnames, ['(Intercept)', 'x']);
  assert.deepEqual([...kept.assign], [0, 1]);
  assert.deepEqual([...kept.values], [1, 1, 1, 1, 2, 3]);
});

test('modelFrame(score ~ style + professor) drops professor10 and professor15 as R does (lm_flipped_style_prof)', () => {
  const ref = readRef('lm_flipped_style_prof');
  const frame = modelFrameFromText(ref.formula, readFixture('flipped', ref.factors));
  const names = Object.keys(ref.coef);
  assert.deepEqual(frame.aliased, names.filter((k) => ref.coef[k] === null));
  assert.deepEqual(frame.aliased, ['professor10', 'professor15']);
  assert.deepEqual(frame.colnames, names.filter((k) => ref.coef[k] !== null));
  assert.ok(frame.messages.includes('dropped aliased columns: professor10, professor15'));
});

test('modelFrame(distance ~ bow + archer) keeps every column: bow varies within archers (lm_archers3_bow_archer)', () => {
  const ref = readRef('lm_archers3_bow_archer');
  const frame = modelFrameFromText(ref.formula, readFixture('archers3', ref.factors));
  assert.deepEqual(frame.colnames, Object.keys(ref.coef));
  assert.deepEqual(frame.aliased, []);
});

test('modelFrame(y ~ x + x2) drops a column duplicated under another name', () => {
  const data = toTable({ y: [1, 3, 2, 5], x: [1, 2, 3, 4], x2: [1, 2, 3, 4] });
  const frame = modelFrameFromText('y ~ x + x2', data);
  assert.deepEqual(frame.colnames, ['(Intercept)', 'x']);
  assert.deepEqual(frame.aliased, ['x2']);
  assert.equal(frame.p, 2);
  assert.equal(frame.X.length, 8);
});

test('nearConstantNote(values, name) says when a dropped column differs only in its last digits (x + 1e12)', () => {
  const x = Float64Array.from({ length: 10 }, (_, i) => 1e12 + i);
  assert.match(nearConstantNote(x, 'x')!, /^x varies only in its last digits .* a spread of 9\.00 around 1\.00e\+12.*x - 1\.00e\+12/);
  assert.equal(nearConstantNote(Float64Array.from([2, 2, 2]), 'c'), null, 'constant');
  assert.equal(nearConstantNote(Float64Array.from([1, 2, 3]), 'y'), null, 'an ordinary column');
});

test('clearlyFullRank(X) passes columns far from aliased and leaves near or exact combinations to Gram-Schmidt', () => {
  // Deterministic pseudo-random columns (a linear congruential sequence), n = 2000.
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  const n = 2000, x1 = Array.from({ length: n }, rnd), x2 = Array.from({ length: n }, rnd), e = Array.from({ length: n }, rnd);
  const ones = new Array(n).fill(1);
  const withRatio = (r: number) => x1.map((v, i) => v + x2[i] + r * e[i]);
  assert.equal(clearlyFullRank(matrix([ones, x1, x2]), n, 3), true);
  assert.deepEqual(findAliased(matrix([ones, x1, x2]), n, 3), [false, false, false]);
  // x1 + x2 + r e: its part orthogonal to [1 x1 x2] is about r times its norm.
  for (const [r, aliased] of [[1e-2, false], [1e-5, false], [1e-9, true], [0, true]] as const) {
    const X = matrix([ones, x1, x2, withRatio(r)]);
    assert.equal(clearlyFullRank(X, n, 4), r >= 1e-2, `r = ${r}`);
    assert.deepEqual(findAliased(X, n, 4), [false, false, false, aliased], `r = ${r}`);
  }
  // A zero column is never passed by the screen (and is aliased).
  assert.equal(clearlyFullRank(matrix([ones, new Array(n).fill(0)]), n, 2), false);
});
