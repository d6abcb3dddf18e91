// Only regular files are read: devices, pipes and folders are refused before a byte is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MixedModelsError } from '../../src/errors.js';
import { readRegularFile } from '../../src/io/readFile.js';
import { readCsvFile } from '../../src/io/readTable.js';

const tmp = mkdtempSync(join(tmpdir(), 'mm-read-'));

function refused(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (e: Error) => e instanceof MixedModelsError && pattern.test(e.message), String(pattern));
}

test('readRegularFile(path) reads a regular file whole', () => {
  const path = join(tmp, 'a.csv');
  writeFileSync(path, 'x\n1\n');
  assert.equal(new TextDecoder().decode(readRegularFile(path)), 'x\n1\n');
});

test("readRegularFile('/dev/zero') and readCsvFile('/dev/zero') are refused at once as devices", () => {
  const started = performance.now();
  refused(() => readRegularFile('/dev/zero', 'the data file'), /^cannot read the data file '\/dev\/zero': it is a device, not a regular file$/);
  refused(() => readCsvFile('/dev/urandom'), /it is a device, not a regular file/);
  assert.ok(performance.now() - started < 1000);
});

test('readRegularFile(fifo) is refused without waiting for a writer, and a folder or missing file says so', () => {
  const fifo = join(tmp, 'pipe');
  execFileSync('mkfifo', [fifo]);
  refused(() => readRegularFile(fifo), /it is a pipe, not a regular file/);
  refused(() => readRegularFile(tmp), /it is a directory, not a regular file/);
  refused(() => readRegularFile(join(tmp, 'nope.csv')), /no such file/);
  refused(() => readRegularFile(''), /no file given/);
});

test('readRegularFile(path, what, maxBytes) refuses a file over the limit, naming both sizes', () => {
  const path = join(tmp, 'big.json');
  writeFileSync(path, 'x'.repeat(3000));
  refused(() => readRegularFile(path, 'the saved model', 2048), /^the saved model '.*big\.json' is 2\.93 KiB; the limit is 2 KiB$/);
});
