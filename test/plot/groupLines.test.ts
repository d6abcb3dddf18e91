import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupLinesSpec } from '../../src/plot/groupLines.js';
import { countMarks, encoding, layers, markType, renderQuietly, rows, texts } from './helpers.js';

// Three groups rising by 1 per unit of x, while the pooled line falls: Simpson's paradox.
const input = {
  x: [1, 2, 3, 4, 5, 6, 7, 8, 9],
  y: [3, 4, 5, 1, 2, 3, -1, 0, 1],
  group: ['a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c'],
  xName: 'dose',
  yName: 'response',
  pooled: { intercept: 5, slope: -0.6 },
  groups: [
    { level: 'a', intercept: 2, slope: 1 },
    { level: 'b', intercept: -3, slope: 1 },
    { level: 'c', intercept: -8, slope: 1 },
  ],
};

test('groupLinesSpec(input) colours points by group and draws each group line over its own x range', () => {
  const spec = groupLinesSpec(input);
  assert.deepEqual(layers(spec).map(markType), ['point', 'rule', 'rule']);
  assert.equal(encoding(layers(spec)[0], 'color').field, 'group');
  assert.equal(rows(layers(spec)[0]).length, 9);
  assert.deepEqual(rows(layers(spec)[1])[1], { group: 'b', x: 4, y: 1, x2: 6, y2: 3 });
  const [pooled] = rows(layers(spec)[2]) as { x: number; y: number; x2: number; y2: number }[];
  assert.deepEqual([pooled.x, pooled.x2], [1, 9]);
  assert.ok(Math.abs(pooled.y - 4.4) < 1e-12 && Math.abs(pooled.y2 + 0.4) < 1e-12);
  assert.deepEqual((layers(spec)[2].mark as { strokeDash: number[] }).strokeDash, [8, 5]);
});

test('groupLinesSpec(input) renders 9 points, 3 group lines, the pooled line and a legend', async () => {
  const svg = await renderQuietly(groupLinesSpec(input));
  assert.equal(countMarks(svg, 'symbol'), 9);
  assert.equal(countMarks(svg, 'rule'), 4);
  assert.ok(texts(svg).includes('Group'));
  assert.ok(texts(svg).includes('dose'));
});

test('groupLinesSpec({ group: { codes, levels } }) reads integer codes', () => {
  const codes = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2]);
  const spec = groupLinesSpec({ ...input, group: { codes, levels: ['a', 'b', 'c'] } });
  assert.deepEqual(rows(layers(spec)[0]), rows(layers(groupLinesSpec(input))[0]));
  assert.throws(() => groupLinesSpec({ ...input, group: { codes, levels: ['a', 'b'] } }), /group code 2/);
});

test('groupLinesSpec(many groups) samples points, omits the legend and says so', async () => {
  const n = 12_000;
  const x = Float64Array.from({ length: n }, (_, i) => i % 100);
  const group = Array.from({ length: n }, (_, i) => `g${Math.floor(i / 400)}`);
  const groups = Array.from({ length: 30 }, (_, k) => ({ level: `g${k}`, intercept: k, slope: 0.1 }));
  const spec = groupLinesSpec({ ...input, x, y: x, group, groups, maxPoints: 3000 });
  assert.equal(rows(layers(spec)[0]).length, 3000);
  const svg = await renderQuietly(spec);
  assert.equal(countMarks(svg, 'symbol'), 3000);
  assert.equal(countMarks(svg, 'rule'), 31);
  assert.ok(texts(svg).some((t) => t.includes('30 groups, legend omitted') && t.includes('sample of 3000 of 12000 points')));
});

test('groupLinesSpec(input) rejects mismatched columns', () => {
  assert.throws(() => groupLinesSpec({ ...input, y: [1, 2] }), /groupLinesSpec: columns differ in length/);
});
