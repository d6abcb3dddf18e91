import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toTable } from '../../src/data/table.js';
import { expandFormula, parseFormula } from '../../src/formula/index.js';
import { penalizedFrame } from '../../src/glmnet/penalizedFrame.js';
import { cscRows } from '../../src/glmnet/sparseDesign.js';

const data = toTable({ y: [1, 2, 3, 4, 5, 6], x: [0.5, 1, 1.5, 2, 2.5, 3], g: ['b', 'a', 'c', 'a', 'b', 'c'], h: ['u', 'v', 'u', 'v', 'u', 'v'] });
const frameOf = (text: string) => penalizedFrame(expandFormula(parseFormula(text), data.names), data);

function dense(text: string): number[][] {
  const { design } = frameOf(text);
  const out = Array.from({ length: design.p }, () => new Array(design.n).fill(0));
  for (let j = 0; j < design.p; j++) for (let k = design.colPtr[j]; k < design.colPtr[j + 1]; k++) out[j][design.rowIdx[k]] = design.values[k];
  return out;
}

test('penalizedFrame(y ~ x + g).design codes g with one indicator per level and no intercept column', () => {
  const { design } = frameOf('y ~ x + g');
  assert.deepEqual(design.colnames, ['x', 'ga', 'gb', 'gc']);
  assert.deepEqual(dense('y ~ x + g'), [[0.5, 1, 1.5, 2, 2.5, 3], [0, 1, 0, 1, 0, 0], [1, 0, 0, 0, 1, 0], [0, 0, 1, 0, 0, 1]]);
  assert.equal(design.colPtr[4] - design.colPtr[1], 6, 'indicators store one entry per row');
  assert.deepEqual(design.blocks.map((b) => [...b]), [[1, 2, 3]]);
  assert.deepEqual([...design.assign], [0, 1, 1, 1]);
});

test('penalizedFrame(y ~ x:g + g:h).design names interactions as R, the first variable varying fastest', () => {
  assert.deepEqual(frameOf('y ~ x:g').design.colnames, ['x:ga', 'x:gb', 'x:gc']);
  assert.deepEqual(frameOf('y ~ g:h').design.colnames, ['ga:hu', 'gb:hu', 'gc:hu', 'ga:hv', 'gb:hv', 'gc:hv']);
  assert.deepEqual(dense('y ~ x:g')[0], [0, 1, 0, 2, 0, 0]);
});

test('penalizedFrame() drops rows with missing values, reads weights and refuses random effects', () => {
  const d = toTable({ y: [1, 2, NaN, 4], x: [1, 2, 3, NaN], w: [1, 2, 3, 4] });
  const f = penalizedFrame(expandFormula(parseFormula('y ~ x'), d.names), d, { weights: 'w' });
  assert.equal(f.nobs, 2);
  assert.deepEqual([...f.weights!], [1, 2]);
  assert.match(f.messages[0], /dropped 2 rows/);
  assert.throws(() => frameOf('y ~ x + (1 | g)'), /no random-effects terms/);
});

test('cscRows(x, rows) keeps the chosen rows, renumbered', () => {
  const { design } = frameOf('y ~ x + g');
  const sub = cscRows(design, Int32Array.from([1, 3, 5]));
  assert.equal(sub.n, 3);
  assert.deepEqual([...sub.rowIdx.subarray(sub.colPtr[1], sub.colPtr[2])], [0, 1], 'level a is in rows 1 and 3');
  assert.deepEqual([...sub.values.subarray(0, 3)], [1, 2, 3]);
});

test('penalizedFrame codes a factor of 200,000 levels (its columns were spread into push\'s arguments, which overflowed the stack)', () => {
  const n = 200_000;
  const data = toTable({ y: Array.from({ length: n }, (_, i) => i % 7), g: Array.from({ length: n }, (_, i) => `L${i}`) });
  const frame = penalizedFrame(expandFormula(parseFormula('y ~ g'), data.names), data);
  assert.equal(frame.design.p, n);
  assert.equal(frame.design.blocks.length, 1);
  assert.equal(frame.design.blocks[0].length, n);
});
