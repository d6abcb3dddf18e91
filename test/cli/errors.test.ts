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

test('mixedmodels fit /dev/zero is refused at once, as is a file with zero bytes in it', async () => {
  const started = performance.now();
  await fails(['fit', '/dev/zero', 'y ~ x'], /^error: cannot read the data file '\/dev\/zero': it is a device, not a regular file\n$/);
  assert.ok(performance.now() - started < 2000);
  await fails(['fit', csv('binary.csv', 'y,x\n1,2\u0000\n'), 'y ~ x'], /binary\.csv is not a text file: it has a zero byte at byte 8/);
});

test('mixedmodels fit "cbind(a, b) ~ ..." without --family binomial is refused', async () => {
  await fails(['fit', dataFile('sleepstudy'), 'cbind(Reaction, Days) ~ 1 + (1 | Subject)'], /a two-column response such as 'cbind\(Reaction, Days\)' means successes and failures, for binomial models only: give the family binomial \(--family binomial\)/);
  await fails(['fit', dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ period', '--family', 'poisson'], /for binomial models only/);
});

test('mixedmodels fit --weights w with every weight zero is refused instead of giving an empty fit', async () => {
  const path = csv('w0.csv', 'y,x,w\n1,1,0\n2,3,0\n4,4,0\n');
  await fails(['fit', path, 'y ~ x', '--weights', 'w'], /^error: weights column 'w' is zero in every row used: a row with weight zero does not count, so there is nothing to fit\n$/);
});

test('mixedmodels fit "y ~ y + x" fits y ~ x with a note that the response was dropped from the right-hand side', async () => {
  const path = csv('yy.csv', 'y,x\n1,1\n2,3\n4,4\n5,7\n');
  const r = await runCli(['fit', path, 'y ~ y + x', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.coefficients.map((c: { term: string }) => c.term), ['(Intercept)', 'x']);
  assert.ok(out.messages.some((m: string) => /the response 'y' also appears on the right-hand side/.test(m)), out.messages.join('; '));
});

test('mixedmodels fit "log(Reaction - 300) ~ Days" names the first row where the log is undefined, and exp(Reaction) the overflow', async () => {
  await fails(['fit', dataFile('sleepstudy'), 'log(Reaction - 300) ~ Days + (1 | Subject)'], /^error: 'log\(Reaction - 300\)' is not defined \(NaN\) in row 1 \(where Reaction = 249\.56\) and in 101 more rows/);
  await fails(['fit', dataFile('sleepstudy'), 'exp(Reaction) ~ Days + (1 | Subject)'], /^error: 'exp\(Reaction\)' is 9\.52382e\+154 in row 5 \(where Reaction = 356\.852\): numbers beyond ±1e\+150 overflow when squared/);
});

test('mixedmodels fit with a bare non-ASCII column name (días) fits as R does', async () => {
  const path = csv('dias.csv', 'peso,días\n2,1\n4,2\n5,3\n4,4\n5,5\n');
  const out = JSON.parse((await runCli(['fit', path, 'peso ~ días', '--format', 'json'])).stdout);
  // R 4.2: coef(lm(y ~ días, data.frame(días = 1:5, y = c(2, 4, 5, 4, 5)))) gives 2.2 and 0.6.
  assert.deepEqual(out.coefficients.map((c: { term: string }) => c.term), ['(Intercept)', 'días']);
  assert.ok(Math.abs(out.coefficients[0].estimate - 2.2) < 1e-12 && Math.abs(out.coefficients[1].estimate - 0.6) < 1e-12);
});

test('mixedmodels fit of a UTF-16 file (as Excel saves "Unicode text") reads it', async () => {
  const path = join(tmp, 'utf16.csv');
  writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('peso,días\n2,1\n4,2\n5,3\n4,4\n5,5\n', 'utf16le')]));
  const out = JSON.parse((await runCli(['fit', path, 'peso ~ días', '--format', 'json'])).stdout);
  assert.equal(out.nobs, 5);
});

test('mixedmodels fit with text in a numeric column names the column, row and value and offers --factor', async () => {
  const path = csv('na.csv', 'y,x\n1,1\n2,n/a\n4,4\n5,7\n6,2\n');
  await fails(['fit', path, 'y ~ x'], /^error: column 'x' holds numbers and text \(row 2 is "n\/a"\), and the model uses it as a number: fix that value \(an empty field or NA is a missing value\), or treat the column as categorical with --factor x/);
  assert.equal((await runCli(['fit', path, 'y ~ x', '--factor', 'x'])).code, 0);
});

test('mixedmodels fit reads Infinity, nan and hex fields as R does: infinite values are refused, NaN is missing, hex is a number', async () => {
  await fails(['fit', csv('inf2.csv', 'y,x\n1,1\n2,Infinity\n4,4\n5,7\n'), 'y ~ x'], /column 'x' is Inf in row 2/);
  const out = JSON.parse((await runCli(['fit', csv('hex.csv', 'y,x\n1,0x1\n2,nan\n4,0x4\n5,0x7\n6,0x2\n'), 'y ~ x', '--format', 'json'])).stdout);
  assert.equal(out.nobs, 4);
  assert.equal(out.nDropped, 1);
});
