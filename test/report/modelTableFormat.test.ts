import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatModelTable, type ModelTable } from '../../src/index.js';

const t: ModelTable = {
  level: 0.95,
  exponentiate: false,
  estimateLabel: 'Estimates',
  models: [{ label: 'y<script>', kind: 'lmm', formula: 'y ~ x + (1 | g)', link: 'identity' }, { label: 'z', kind: 'lm', formula: 'z ~ x', link: 'identity' }],
  fixed: [
    { term: '(Intercept)', cells: [{ estimate: 1.234, low: 0.5, high: 2, p: 0.0004 }, { estimate: 0.001234, low: -0.01, high: 0.02, p: 0.51234 }] },
    { term: 'x&y', cells: [null, { estimate: -3, low: null, high: null, p: null }] },
  ],
  random: [{ label: 'τ00 g', kind: 'variance', values: [0.5, null] }],
  summary: [{ label: 'ICC', kind: 'ratio', values: [0.33333, null] }, { label: 'Observations', kind: 'count', values: [100, 80] }],
};

test("formatModelTable(t, 'text') puts estimates, CI and p per model, then random effects and summary rows", () => {
  const lines = formatModelTable(t, 'text').split('\n');
  assert.match(lines[0], /^Predictors\s+y<script>: Estimates\s+CI \(95%\)\s+p\s+z: Estimates\s+CI \(95%\)\s+p$/);
  assert.match(lines[1], /^\(Intercept\)\s+1\.23\s+0\.50 – 2\.00\s+<0\.001\s+0\.0012\s+-0\.01 – 0\.02\s+0\.512$/);
  assert.match(lines[2], /^x&y\s+-3\.00$/);
  assert.equal(lines[3], 'Random Effects');
  assert.match(lines[5], /^ICC\s+0\.333$/);
  assert.match(lines[6], /^Observations\s+100\s+80$/);
});

test("formatModelTable(t, 'html') escapes every label and term", () => {
  const html = formatModelTable(t, 'html');
  assert.ok(!html.includes('<script>'));
  assert.match(html, /<th colspan="3">y&lt;script&gt;<\/th>/);
  assert.match(html, /<td>x&amp;y<\/td>/);
  assert.match(html, /<th colspan="7">Random Effects<\/th>/);
});

test("formatModelTable(t, 'markdown') gives one GitHub table", () => {
  const md = formatModelTable(t, 'markdown');
  assert.match(md, /^\| Predictors \| y&lt;script&gt;: Estimates \| CI \(95%\) \| p \|/);
  assert.equal(md.trim().split('\n').length, 2 + 2 + 1 + 1 + 2);
});
