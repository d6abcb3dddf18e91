// Output files (--save, --report, --out) never overwrite an input and are refused before any work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFile, runCli } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'mm-out-'));
const data = join(tmp, 's.csv');
copyFileSync(dataFile('sleepstudy'), data);
const before = readFileSync(data);
const F = 'Reaction ~ Days + (Days | Subject)';

async function fails(args: string[], pattern: RegExp): Promise<void> {
  const r = await runCli(args);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '', 'refused before fitting');
  assert.match(r.stderr, pattern);
}

test('mixedmodels fit data.csv --save data.csv (or --report data.csv) is refused and the data are unchanged', async () => {
  await fails(['fit', data, F, '--save', data], /^error: --save '.*s\.csv' is an input of this command: writing it would destroy it; choose another file name\n$/);
  await fails(['fit', data, F, '--report', data], /--report '.*s\.csv' is an input of this command/);
  await fails(['fit', data, F, '--save', join(tmp, 'm.json'), '--report', join(tmp, 'm.json')], /--save and --report name the same file/);
  assert.deepEqual(readFileSync(data), before);
});

test('mixedmodels plot --out onto the data file, the saved model or its data file is refused', async () => {
  // --out must be .json (or .svg, .png) and a .json data file is read as JSON data: name the CSV copy through a link.
  const csv = join(tmp, 'data-copy.csv');
  copyFileSync(data, csv);
  const json = join(tmp, 'data-link.json');
  symlinkSync(csv, json);
  await fails(['plot', 'qq', csv, F, '--out', json], /--out .*data-link\.json' is an input/);
  const saved = join(tmp, 'm.json');
  assert.equal((await runCli(['fit', csv, F, '--save', saved])).code, 0);
  const savedBefore = readFileSync(saved);
  await fails(['plot', 'qq', '--model', saved, '--out', saved], /--out .*m\.json' is an input/);
  await fails(['plot', 'qq', '--model', saved, '--out', json], /--out .*data-link\.json' is an input/);
  assert.deepEqual(readFileSync(saved), savedBefore);
  assert.deepEqual(readFileSync(csv), before);
});

test('mixedmodels fit --save writes a complete file and leaves no temporary file', async () => {
  const saved = join(tmp, 'm2.json');
  assert.equal((await runCli(['fit', data, F, '--save', saved])).code, 0);
  assert.equal(JSON.parse(readFileSync(saved, 'utf8')).format, 'mixedmodels-fit');
  assert.deepEqual(readdirSync(tmp).filter((f) => f.endsWith('.tmp')), []);
});

test('mixedmodels plot --out link.svg, a link to /dev/null, is refused: a device is never replaced', async () => {
  const link = join(tmp, 'null.svg');
  symlinkSync('/dev/null', link);
  await fails(['plot', 'qq', data, F, '--out', link], /--out '.*null\.svg' exists and is not a regular file/);
});

test('mixedmodels fit --save/--report into a folder that does not exist, or --save of data it cannot read again, is refused before fitting', async () => {
  await fails(['fit', data, F, '--save', join(tmp, 'no-such-folder', 'm.json')], /^error: --save '.*m\.json': the folder '.*no-such-folder' does not exist\n$/);
  await fails(['fit', data, F, '--report', join(tmp, 'no-such-folder', 'r.html')], /--report '.*r\.html': the folder '.*no-such-folder' does not exist/);
  // A saved fit names its CSV file: standard input, a database or a Parquet file cannot be one (said before connecting: no server here).
  await fails(['fit', '-', F, '--save', join(tmp, 'unsaved1.json')], /^error: --save needs a CSV file as the data .*; standard input is not one\n$/);
  await fails(['fit', 'postgresql://mm:hunter2@127.0.0.1:1/mm', F, '--table', 't', '--save', join(tmp, 'unsaved2.json')], /^error: --save needs a CSV file as the data .*; postgresql:\/\/mm@127\.0\.0\.1:1\/mm is not one\n$/);
  await fails(['fit', join(tmp, 'x.parquet'), F, '--save', join(tmp, 'unsaved3.json')], /--save needs a CSV file as the data/);
  assert.deepEqual(readdirSync(tmp).filter((f) => /^unsaved\d\.json$/.test(f)), []);
});
