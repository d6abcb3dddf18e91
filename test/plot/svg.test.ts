import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toSVG } from '../../src/plot/svg.js';
import { countMarks, texts } from './helpers.js';

const spec = {
  data: { values: [{ a: 1, b: 2 }, { a: 2, b: 3 }, { a: 3, b: 1 }] },
  mark: 'point',
  encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative', title: 'B values' } },
};

test('toSVG(spec) returns one standalone <svg> with a mark per row', async () => {
  const svg = await toSVG(spec);
  assert.ok(svg.startsWith('<svg'));
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.equal(countMarks(svg, 'symbol'), 3);
  assert.ok(texts(svg).includes('B values'));
});

test('toSVG(spec) gives the same text for the same spec', async () => {
  assert.equal(await toSVG(spec), await toSVG(spec));
});
