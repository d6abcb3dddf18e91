// Bad input gets one clear message on stderr and exit code 1, never a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { dataFile, runCli } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'mm-cli-'));
function csv(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

async function fails(args: string[], pattern: RegExp): Promise<string> {
  const r = await runCli(args);
  assert.equal(r.code, 1, `exit code for ${args.join(' ')}: stderr ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  return r.stderr;
}

test('mixedmodels fit with an unknown column names the closest one', async () => {
  const err = await fails(['fit', dataFile('sleepstudy'), 'Reacton ~ Days'], /unknown column 'Reacton'.*did you mean 'Reaction'/);
  assert.match(err, /\^/);
});

test('mixedmodels fit with a malformed formula points a caret at the problem', async () => {
  const err = await fails(['fit', dataFile('sleepstudy'), 'Reaction ~ Days +'], /formula/);
  const lines = err.split('\n');
  const caretLine = lines.findIndex((l) => /^\s*\^+\s*$/.test(l));
  assert.ok(caretLine > 0, 'a caret line');
  assert.equal(lines[caretLine].indexOf('^'), lines[caretLine - 1].indexOf('+'));
});

test('mixedmodels fit with a categorical response says it is not numeric', async () => {
  await fails(['fit', dataFile('sleepstudy'), 'Subject ~ Days', '--factor', 'Subject'], /not numeric/);
});

test('mixedmodels fit with no complete rows says so', async () => {
  const path = csv('allmissing.csv', 'y,x\n1,NA\nNA,2\n,3\n');
  await fails(['fit', path, 'y ~ x'], /no rows|no complete|missing/i);
});

test('mixedmodels fit with a missing file or a malformed CSV says what is wrong', async () => {
  await fails(['fit', join(tmp, 'nope.csv'), 'y ~ x'], /cannot read .*nope\.csv.*no such file/);
  const bad = csv('bad.csv', 'y,x\n1,2\n3\n');
  await fails(['fit', bad, 'y ~ x'], /line 3 has 1 field/);
});

test('mixedmodels fit with an unknown family or link names the closest', async () => {
  await fails(['fit', dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ period', '--family', 'binomal'], /binomial/);
});

test('mixedmodels fit with a bad --format is refused', async () => {
  const r = await runCli(['fit', dataFile('sleepstudy'), 'Reaction ~ Days', '--format', 'yaml']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /yaml/);
});

test('the mixedmodels binary exits non-zero without a stack trace', () => {
  const bin = join(import.meta.dirname, '..', '..', 'src', 'cli', 'bin.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', bin, 'fit', dataFile('sleepstudy'), 'Reaction ~ Dayz'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown column 'Dayz'.*did you mean 'Days'/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
