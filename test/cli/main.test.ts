// `mixedmodels fit` output formats with hostile names: markdown renders the data as text, never as markup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFile, runCli } from './helpers.js';
import { main } from '../../src/cli/main.js';

const tmp = mkdtempSync(join(tmpdir(), 'mm-main-'));
const rows = Array.from({ length: 60 }, (_, i) => `${(i * 37) % 50},"a\u0001b<img src=x onerror=alert(1)>${i % 6}","v<img src=y>${i % 2}","x|y\nz${i % 3}"`);
const data = join(tmp, 'hostile.csv');
writeFileSync(data, ['y,g,lv,nl', ...rows].join('\n') + '\n');

test('mixedmodels fit --format markdown escapes HTML, pipes, line breaks and control characters from the data', async () => {
  const r = await runCli(['fit', data, 'y ~ lv + nl + (1 | g)', '--format', 'markdown']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /<img/);
  assert.doesNotMatch(r.stdout, /[\u0000-\u0008\u000b-\u001f]/);
  assert.match(r.stdout, /\| lvv&lt;img src=y&gt;1 \|/);
  assert.match(r.stdout, /\| nlx&#124;y\u240az1 \|/, 'a pipe and a newline in a level stay inside their cell');
  const lines = r.stdout.split('\n');
  lines.forEach((line, i) => {
    if (line.startsWith('|') && !(lines[i + 1] ?? '').startsWith('|')) assert.equal(lines[i + 1], '', `an empty line after the table ending at line ${i + 1}`);
  });
});

test('mixedmodels fit --report escapes the data in the HTML report', async () => {
  const report = join(tmp, 'r.html');
  const r = await runCli(['fit', data, 'y ~ lv + (1 | g)', '--report', report]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(report, 'utf8');
  assert.doesNotMatch(html, /<img/);
  assert.doesNotMatch(html, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
});

test('mixedmodels fit (text) shows control characters from the data as symbols: no escape sequence reaches the terminal', async () => {
  const esc = join(tmp, 'esc.csv');
  writeFileSync(esc, ['y,g', ...Array.from({ length: 40 }, (_, i) => `${(i * 37) % 50},"\u001b[31mred${i % 4}"`)].join('\n') + '\n');
  const r = await runCli(['fit', esc, 'y ~ 1 + (1 | g)']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /\u001b/);
  const bad = await runCli(['fit', esc, 'g ~ 1', '--family', 'binomial']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /needs exactly two levels; 'g' has 4 \(\u241b\[31mred0/);
});

test('mixedmodels fit names the data file on the Data: line, as R names its data argument', async () => {
  const file = join(import.meta.dirname, '..', 'fixtures', 'data', 'sleepstudy.csv');
  const r = await runCli(['fit', file, 'Reaction ~ Days + (Days | Subject)', '--factor', 'Subject']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.split('\n').slice(0, 4), [
    "Linear mixed model fit by REML. t-tests use Satterthwaite's method [",
    'lmerModLmerTest]',
    'Formula: Reaction ~ Days + (Days | Subject)',
    `   Data: ${file}`,
  ]);
});

test('main calls io.beforeRun before a command runs, and not for --help or --version', async () => {
  let calls = 0;
  const io = { stdout: () => {}, stderr: () => {}, beforeRun: () => void calls++ };
  assert.equal(await main(['--help'], io), 0);
  assert.equal(await main(['--version'], io), 0);
  assert.equal(await main(['fit', '--help'], io), 0);
  assert.equal(calls, 0);
  assert.equal(await main(['fit', dataFile('Dyestuff'), 'Yield ~ 1 + (1 | Batch)', '--format', 'json'], io), 0);
  assert.equal(calls, 1);
});
