import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFile, runCli } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'mm-plot-'));
const SLEEP = [dataFile('sleepstudy'), 'Reaction ~ Days + (Days | Subject)', '--factor', 'Subject'];

for (const kind of ['caterpillar', 'forest', 'residuals', 'qq', 'groups', 'effect']) {
  test(`mixedmodels plot ${kind} writes an SVG with marks`, async () => {
    const out = join(tmp, `${kind}.svg`);
    const r = await runCli(['plot', kind, ...SLEEP, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const svg = readFileSync(out, 'utf8');
    assert.match(svg, /^<svg/);
    assert.ok((svg.match(/<path|<line|<circle|<rect/g) ?? []).length > 10);
  });
}

test('mixedmodels plot caterpillar --out x.png writes a PNG and --out x.json the Vega-Lite spec', async () => {
  const png = join(tmp, 'c.png');
  assert.equal((await runCli(['plot', 'caterpillar', ...SLEEP, '--out', png])).code, 0);
  assert.deepEqual([...readFileSync(png).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  const json = join(tmp, 'c.json');
  assert.equal((await runCli(['plot', 'caterpillar', ...SLEEP, '--out', json])).code, 0);
  assert.match(JSON.parse(readFileSync(json, 'utf8')).$schema, /vega-lite/);
});

test('mixedmodels plot refuses a caterpillar of a model without random effects and an unknown --x', async () => {
  const a = await runCli(['plot', 'caterpillar', dataFile('sleepstudy'), 'Reaction ~ Days', '--out', join(tmp, 'x.svg')]);
  assert.equal(a.code, 1);
  assert.match(a.stderr, /needs a mixed model/);
  const b = await runCli(['plot', 'groups', ...SLEEP, '--x', 'Dayz', '--out', join(tmp, 'y.svg')]);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /'Dayz' is not a predictor.*did you mean 'Days'/);
});

test('mixedmodels fit --report writes one self-contained HTML file with every plot', async () => {
  const out = join(tmp, 'report.html');
  const r = await runCli(['fit', ...SLEEP, '--report', out]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(out, 'utf8');
  assert.equal((html.match(/<svg/g) ?? []).length, 6);
  assert.match(html, /Linear mixed model fit by REML/);
  assert.doesNotMatch(html, /(src|href)="https?:/);
});

test('mixedmodels plot with control characters and HTML in level names writes valid SVG and PNG', async () => {
  const rows = Array.from({ length: 60 }, (_, i) => `${(i * 37) % 50},"a\u0001b<img src=x onerror=alert(1)>${i % 6}","v<img src=y>${i % 2}"`);
  const data = join(tmp, 'hostile.csv');
  writeFileSync(data, ['y,g,lv', ...rows].join('\n') + '\n');
  const svgPath = join(tmp, 'hostile.svg'), pngPath = join(tmp, 'hostile.png');
  for (const out of [svgPath, pngPath]) {
    const r = await runCli(['plot', 'caterpillar', data, 'y ~ lv + (1 | g)', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
  }
  const svg = readFileSync(svgPath, 'utf8');
  assert.doesNotMatch(svg, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/, 'no character XML forbids');
  assert.doesNotMatch(svg, /<img/);
  assert.match(svg, /a\u2401b&lt;img src=x/, 'the control character shown as its picture, the markup as text');
  assert.deepEqual([...readFileSync(pngPath).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
});
