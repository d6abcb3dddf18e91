// `mixedmodels --version`: package.json's version, built into the CLI bundle (no file read at run time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const BUNDLE = join(ROOT, 'dist', 'bundle');

test('mixedmodels --version and -V print the version of package.json', async () => {
  for (const flag of ['--version', '-V']) {
    const r = await runCli([flag]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${VERSION}\n`);
  }
});

test('the CLI bundle prints its version from a folder without package.json', { skip: existsSync(BUNDLE) ? false : 'dist/bundle not built (npm run build)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm-version-'));
  cpSync(BUNDLE, dir, { recursive: true });
  const r = spawnSync(process.execPath, [join(dir, 'mixedmodels.cjs'), '--version'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${VERSION}\n`);
});
