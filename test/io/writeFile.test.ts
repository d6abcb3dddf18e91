// Outputs never destroy an input and are written whole or not at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, linkSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MixedModelsError } from '../../src/errors.js';
import { checkOutputPath, writeFileAtomic } from '../../src/io/writeFile.js';

const tmp = mkdtempSync(join(tmpdir(), 'mm-write-'));
const data = join(tmp, 'data.csv');
writeFileSync(data, 'y,x\n1,2\n');

function refused(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (e: Error) => e instanceof MixedModelsError && pattern.test(e.message), String(pattern));
}

test('checkOutputPath(output, flag, inputs) refuses an input by path, relative path, symbolic link or hard link', () => {
  refused(() => checkOutputPath(data, '--save', [data]), /^--save '.*data\.csv' is an input of this command: writing it would destroy it; choose another file name$/);
  refused(() => checkOutputPath(join(tmp, '.', 'data.csv'), '--report', [data]), /--report .* is an input/);
  const soft = join(tmp, 'soft.csv'), hard = join(tmp, 'hard.csv');
  symlinkSync(data, soft);
  linkSync(data, hard);
  refused(() => checkOutputPath(soft, '--out', [data]), /--out .* is an input/);
  refused(() => checkOutputPath(hard, '--out', [data]), /--out .* is an input/);
  refused(() => checkOutputPath(data, '--out', [soft]), /--out .* is an input/);
  assert.doesNotThrow(() => checkOutputPath(join(tmp, 'new.json'), '--save', [data]));
});

test('checkOutputPath(...) refuses devices and folders as outputs', () => {
  refused(() => checkOutputPath('/dev/null', '--save', []), /^--save '\/dev\/null' exists and is not a regular file/);
  refused(() => checkOutputPath(tmp, '--report', []), /is not a regular file/);
  refused(() => checkOutputPath('', '--out', []), /--out needs a file name/);
});

test('writeFileAtomic(path, content) replaces the file whole, keeps its mode and leaves no temporary file', () => {
  const out = join(tmp, 'out.txt');
  writeFileSync(out, 'old');
  chmodSync(out, 0o600);
  writeFileAtomic(out, 'new content');
  assert.equal(readFileSync(out, 'utf8'), 'new content');
  assert.equal(statSync(out).mode & 0o777, 0o600);
  writeFileAtomic(join(tmp, 'bytes.bin'), new Uint8Array([1, 2, 3]));
  assert.deepEqual([...readFileSync(join(tmp, 'bytes.bin'))], [1, 2, 3]);
  assert.deepEqual(readdirSync(tmp).filter((f) => f.endsWith('.tmp')), []);
});

test('writeFileAtomic(link, content) writes through a symbolic link and keeps the link', () => {
  const target = join(tmp, 'target.txt'), link = join(tmp, 'link.txt');
  writeFileSync(target, 'old');
  symlinkSync(target, link);
  writeFileAtomic(link, 'new');
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.equal(readFileSync(target, 'utf8'), 'new');
});

test('writeFileAtomic(path) into a missing folder fails with a clear message and leaves nothing behind', () => {
  refused(() => writeFileAtomic(join(tmp, 'no', 'such', 'dir', 'x.json'), 'x'), /^cannot write '.*x\.json': no such file$/);
});
