import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFile, runCli } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'mm-table-'));
const m1 = join(tmp, 'slopes.json');
const m2 = join(tmp, 'cbpp.json');

async function ok(args: string[]): Promise<string> {
  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

test('mixedmodels table m1.json m2.json prints saved fits side by side in text, markdown and html', async () => {
  await ok(['fit', dataFile('sleepstudy'), 'Reaction ~ Days + (Days | Subject)', '--save', m1]);
  await ok(['fit', dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ period + (1 | herd)', '--family', 'binomial', '--factor', 'period', '--save', m2]);
  const text = await ok(['table', m1, m2, '--labels', 'sleep,<cbpp>']);
  assert.match(text, /^Predictors\s+sleep: Estimates\s+CI \(95%\)\s+p\s+<cbpp>: Estimates/);
  assert.match(text, /\nDays\s+10\.47\s+7\.21 – 13\.73\s+<0\.001\n/);
  assert.match(text, /\nτ00 herd\s+0\.41\n/);
  assert.match(text, /\nObservations\s+180\s+56\n/);
  const md = await ok(['table', m1, m2, '--format', 'markdown', '--level', '0.9']);
  assert.match(md, /^\| Predictors \| Reaction: Estimates \| CI \(90%\) \| p \|/);
  const html = await ok(['table', m1, m2, '--format', 'html', '--labels', 'sleep,<cbpp>']);
  assert.match(html, /<th colspan="3">&lt;cbpp&gt;<\/th>/);
  assert.doesNotMatch(html, /<cbpp>/);
});

test('mixedmodels table --exponentiate shows odds ratios, and refuses an identity link', async () => {
  const text = await ok(['table', m2, '--exponentiate']);
  assert.match(text, /Odds Ratios/);
  const r = await runCli(['table', m1, m2, '--exponentiate']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: table\(\): exponentiate needs models with a log or logit link/);
  const missing = await runCli(['table', join(tmp, 'none.json')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: .*none\.json/);
});
