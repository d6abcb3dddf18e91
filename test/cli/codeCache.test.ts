// The installed program's V8 code cache (src/cli/codeCache.ts, src/cli/launch.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_KINDS, cacheDirectory, cacheFile, checkDirectory, compileCached, runKey, writeCache } from '../../src/cli/codeCache.js';
import { dataFile } from './helpers.js';

const uid = typeof process.getuid === 'function' ? process.getuid() : null;
const ID = '0123456789abcdef';
const SOURCE = '(function (x) { function twice(v) { return 2 * v; } return twice(x) + 1; })';

test('cacheDirectory(host) follows MIXEDMODELS_CACHE_DIR, XDG_CACHE_HOME, the home folder, and MIXEDMODELS_CODE_CACHE=0', () => {
  const host = (env: Record<string, string>, platform = 'linux') => ({ env, platform, home: '/home/u', uid: 1000 });
  assert.equal(cacheDirectory(host({})), join('/home/u', '.cache', 'mixedmodels'));
  assert.equal(cacheDirectory(host({ XDG_CACHE_HOME: '/xdg' })), join('/xdg', 'mixedmodels'));
  assert.equal(cacheDirectory(host({ XDG_CACHE_HOME: '/xdg', MIXEDMODELS_CACHE_DIR: '/mine' })), '/mine');
  assert.equal(cacheDirectory(host({ MIXEDMODELS_CACHE_DIR: '/mine', MIXEDMODELS_CODE_CACHE: '0' })), null);
  assert.equal(cacheDirectory(host({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32')), join('C:\\Users\\u\\AppData\\Local', 'mixedmodels', 'cache'));
  assert.equal(cacheDirectory(host({}, 'win32')), null);
  assert.equal(cacheDirectory({ env: {}, platform: 'linux', home: '', uid: 1000 }), null);
});

test('runKey(argv) names the command, the kind of source and the options given, not their values', () => {
  assert.equal(runKey(['fit', 'data/sleep.csv', 'y ~ x + (1 | g)', '--factor', 'g', '--format', 'json']), 'fit csv factor format');
  assert.equal(runKey(['fit', 'data/sleep.csv', 'y ~ 1 + (1 | g)', '--format', 'text', '--factor', 'h']), 'fit csv factor format');
  assert.equal(runKey(['fit', 'clickhouse://h:8123/db', 'y ~ x + (1 | g)', '--table', 't']), 'fit clickhouse table');
  assert.equal(runKey(['fit', 'logs.csv.gz', 'y ~ x']), 'fit csv');
  assert.equal(runKey(['fit', '-', 'y ~ x']), 'fit -');
  assert.equal(runKey(['confint', 's.csv', 'y ~ x', '--method', 'boot', '--nsim=1000']), 'confint csv method nsim');
  assert.equal(runKey(['--help']), '  help');
  assert.notEqual(runKey(['fit', 'a.parquet', 'y ~ x']), runKey(['fit', 'a.csv', 'y ~ x']));
});

test('checkDirectory(dir, uid) creates the folder for its user alone and refuses one others may write to or own', { skip: uid === null ? 'no user ids on this platform' : false }, () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'mm-cache-')), 'a', 'b');
  checkDirectory(dir, uid);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  chmodSync(dir, 0o777);
  assert.throws(() => checkDirectory(dir, uid), /others may write to .* \(mode 777\)/);
  chmodSync(dir, 0o700);
  assert.throws(() => checkDirectory(dir, uid! + 1), /belongs to user/);
});

test('compileCached and writeCache: none, written, accepted; a damaged file is rejected and written again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm-cache-'));
  const first = compileCached(SOURCE, ID, 'program.js', dir, 'fit csv', uid);
  assert.equal(first.use.state, 'none');
  assert.equal(first.use.write, true);
  assert.equal(first.script.runInThisContext()(20), 41);
  assert.equal(writeCache(first.script, first.use.file!, ID), true);
  assert.equal(first.use.file, cacheFile(dir, ID, 'fit csv'));
  if (uid !== null) assert.equal(statSync(first.use.file!).mode & 0o777, 0o600);

  // Another file name each time: V8 keeps scripts it compiled in memory, by source and origin, and
  // would not look at the data for a script it already has.
  const second = compileCached(SOURCE, ID, 'program-2.js', dir, 'fit csv', uid);
  assert.equal(second.use.state, 'accepted');
  assert.equal(second.use.write, false);
  assert.equal(second.script.runInThisContext()(1), 3);
  // Another kind of run has a file of its own.
  assert.equal(compileCached(SOURCE, ID, 'program.js', dir, 'confint csv method', uid).use.state, 'none');

  writeFileSync(first.use.file!, Buffer.from('not V8 data at all, but long enough to be looked at by V8'));
  const damaged = compileCached(SOURCE, ID, 'program-3.js', dir, 'fit csv', uid);
  assert.equal(damaged.use.state, 'rejected');
  assert.equal(damaged.use.write, true);
  assert.equal(damaged.script.runInThisContext()(0), 1);
});

test('compileCached(...) with no folder runs the script compiled as usual and says why', () => {
  const off = compileCached(SOURCE, ID, 'program.js', null, 'fit csv', uid);
  assert.deepEqual([off.use.state, off.use.reason, off.use.write], ['off', 'turned off', false]);
  assert.equal(off.script.runInThisContext()(2), 5);
  const file = join(mkdtempSync(join(tmpdir(), 'mm-cache-')), 'plain-file');
  writeFileSync(file, 'x');
  const blocked = compileCached(SOURCE, ID, 'program.js', join(file, 'below'), 'fit csv', uid);
  assert.equal(blocked.use.state, 'off');
  assert.match(blocked.use.reason!, /ENOTDIR|EEXIST|not a folder/);
});

test('writeCache(...) removes files of other builds and temporary files not written for a day', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm-cache-'));
  const old = cacheFile(dir, 'fedcba9876543210', 'fit csv'), recent = cacheFile(dir, 'aaaaaaaaaaaaaaaa', 'fit csv');
  const leftTemp = `${cacheFile(dir, ID, 'plot csv')}.4242.tmp`, otherFile = join(dir, 'notes.txt');
  for (const f of [old, recent, leftTemp, otherFile]) writeFileSync(f, 'x');
  const twoDaysAgo = (Date.now() - 2 * 24 * 3600 * 1000) / 1000;
  for (const f of [old, leftTemp, otherFile]) utimesSync(f, twoDaysAgo, twoDaysAgo);
  const run = compileCached(SOURCE, ID, 'program.js', dir, 'fit csv', uid);
  assert.equal(writeCache(run.script, run.use.file!, ID), true);
  assert.equal(existsSync(old), false);
  assert.equal(existsSync(leftTemp), false);
  assert.equal(existsSync(recent), true);
  assert.equal(existsSync(otherFile), true, 'a file the cache did not make stays');
});

test('MAX_KINDS bounds the files of one build: a new kind takes the place of the one used least recently, and a run marks the file it takes as used', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm-cache-'));
  const ofBuild = () => readdirSync(dir).filter((n) => n.startsWith(`cli-${ID}-`)).length;
  // MAX_KINDS kinds, kind k last used k hours ago (kind 1 most recently, kind MAX_KINDS least).
  const first = compileCached(SOURCE, ID, 'program.js', dir, 'kind 1', uid);
  assert.equal(writeCache(first.script, first.use.file!, ID), true);
  for (let k = 2; k <= MAX_KINDS; k++) writeFileSync(cacheFile(dir, ID, `kind ${k}`), readFileSync(first.use.file!));
  const hoursAgo = (h: number) => (Date.now() - h * 3600 * 1000) / 1000;
  for (let k = 1; k <= MAX_KINDS; k++) utimesSync(cacheFile(dir, ID, `kind ${k}`), hoursAgo(k), hoursAgo(k));
  assert.equal(ofBuild(), MAX_KINDS);
  // A run of the least recently used kind takes its file and marks it used: it is now the newest.
  const taken = compileCached(SOURCE, ID, 'program.js', dir, `kind ${MAX_KINDS}`, uid);
  assert.equal(taken.use.state, 'accepted');
  assert.equal(taken.use.write, false);
  assert.ok(Date.now() - statSync(cacheFile(dir, ID, `kind ${MAX_KINDS}`)).mtimeMs < 60_000);
  // One more kind is written in place of the kind used least recently since (MAX_KINDS - 1).
  const more = compileCached(SOURCE, ID, 'program.js', dir, 'one more kind', uid);
  assert.equal(more.use.state, 'none');
  assert.equal(more.use.write, true);
  assert.equal(writeCache(more.script, more.use.file!, ID), true);
  assert.equal(ofBuild(), MAX_KINDS);
  assert.equal(existsSync(more.use.file!), true);
  assert.equal(existsSync(cacheFile(dir, ID, `kind ${MAX_KINDS - 1}`)), false);
  for (const k of [1, MAX_KINDS - 2, MAX_KINDS]) assert.equal(existsSync(cacheFile(dir, ID, `kind ${k}`)), true, `kind ${k} stays`);
  // A file used within the hour is not touched again (no write per run).
  utimesSync(first.use.file!, hoursAgo(0.5), hoursAgo(0.5));
  const before = statSync(first.use.file!).mtimeMs;
  assert.equal(compileCached(SOURCE, ID, 'program.js', dir, 'kind 1', uid).use.state, 'accepted');
  assert.equal(statSync(first.use.file!).mtimeMs, before);
});

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'bundle', 'mixedmodels.cjs');

test('the installed program writes its cache on the first run of a kind and takes it on the next, with the same output', { skip: existsSync(BIN) ? false : 'dist/bundle not built (npm run build)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm-cache-'));
  const env = { ...process.env, MIXEDMODELS_CACHE_DIR: dir, MIXEDMODELS_DEBUG: '1' };
  const args = [BIN, 'fit', dataFile('sleepstudy'), 'Reaction ~ Days + (Days | Subject)', '--factor', 'Subject', '--format', 'json'];
  const runs = [0, 1].map(() => spawnSync(process.execPath, args, { env, encoding: 'utf8' }));
  for (const r of runs) assert.equal(r.status, 0, r.stderr);
  assert.match(runs[0].stderr, /code cache: none, .*\n.*code cache: written for 'fit csv factor format'/s);
  assert.match(runs[1].stderr, /code cache: accepted/);
  assert.doesNotMatch(runs[1].stderr, /written/);
  // The same JSON but for the seconds things took.
  const timeless = (out: string) => out.replace(/"seconds": [0-9.e-]+/g, '"seconds": 0');
  assert.equal(timeless(runs[1].stdout), timeless(runs[0].stdout));
  assert.equal(JSON.parse(runs[1].stdout).logLik.toFixed(6), '-871.814136');
  const off = spawnSync(process.execPath, args, { env: { ...env, MIXEDMODELS_CODE_CACHE: '0' }, encoding: 'utf8' });
  assert.match(off.stderr, /code cache: off \(turned off\)/);
  assert.equal(timeless(off.stdout), timeless(runs[0].stdout));
});
