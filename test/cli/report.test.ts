import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VERSION } from '../../src/cli/version.js';
import { dataFile, runCli } from './helpers.js';

test('mixedmodels fit --report writes a header with the data file, date, version and the command, shell-quoted', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'mm-report-')), 'r.html');
  const args = ['fit', dataFile('sleepstudy'), 'Reaction ~ Days + (1 | Subject)', '--report', out];
  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(out, 'utf8');
  assert.ok(html.includes(`<dt>Data</dt><dd>${dataFile('sleepstudy')}</dd>`));
  assert.ok(html.includes(`<dt>mixedmodels</dt><dd>version ${VERSION}</dd>`));
  assert.ok(html.includes(`<code>mixedmodels fit ${dataFile('sleepstudy')} &#39;Reaction ~ Days + (1 | Subject)&#39; --report ${out}</code>`));
  assert.match(html, /<dt>Date<\/dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC<\/dd>/);
});
