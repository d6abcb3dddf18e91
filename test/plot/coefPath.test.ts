import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coefPathSpec } from '../../src/plot/coefPath.js';
import { renderQuietly } from './helpers.js';

test('coefPathSpec(input) draws one line per moving coefficient and keeps the largest when there are many', async () => {
  const lambda = [1, 0.5, 0.25];
  const terms = ['a', 'b', 'c'];
  const coefficients = [[0, 0, 0], [0.5, 0, 0], [1, -0.2, 0]];
  const spec = coefPathSpec({ lambda, terms, coefficients, marks: [{ name: 'lambda.min', lambda: 0.5 }] });
  const data = (spec.layer as any[])[0].data.values as { term: string }[];
  assert.deepEqual([...new Set(data.map((r) => r.term))], ['a', 'b'], 'c never leaves zero');
  const few = coefPathSpec({ lambda, terms, coefficients, maxTerms: 1 });
  assert.match(JSON.stringify(few.title), /The 1 largest of 2/);
  const svg = await renderQuietly(spec);
  assert.ok(svg.includes('<svg'));
});
