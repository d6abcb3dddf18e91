// Runs every test file under test/ (node 20's `node --test` expands no globs and
// finds no .ts files in a folder, so the files are listed here). Extra arguments
// filter the files by substring: `npm test -- formula`.
// `--fast` (`npm run test:fast`) runs the unit tests only, leaving out NOT_FAST below: tests that
// start the CLI as a process, need Chromium or database servers, build or pack the package, run
// the randomized suite, or fit the biggest references. Starting tsx once per file costs more
// than most unit files take, so the fast files run in two processes (one per core) that each
// import half of them.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn, spawnSync } from 'node:child_process';

const NOT_FAST = [
  'test/cli/', 'test/browser/', 'test/plot/browser.test.ts', 'test/app/webapp.test.ts', 'test/sources/',
  'test/examples/', 'test/docs/', 'test/property/', 'test/glmm/glmer.test.ts', 'test/evaluate/evaluate.test.ts',
  'test/inference/bootstrap/bootstrap.test.ts', 'test/glmnet/cv.test.ts', 'test/inference/confint.test.ts',
];

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : walk(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const fast = process.argv.includes('--fast');
const filters = process.argv.slice(2).filter((a) => a !== '--fast');
const files = walk('test')
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .filter((f) => !fast || !NOT_FAST.some((slow) => f.split('\\').join('/').startsWith(slow)))
  .sort();
if (files.length === 0) {
  console.error('no test files found' + (filters.length ? ` matching ${filters.join(', ')}` : ''));
  process.exit(1);
}
if (fast) process.exit(await runInShards(files, 2));
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);

/** Runs `files` in `n` processes that each import their share; resolves to the exit code. */
async function runInShards(list, n) {
  const dir = mkdtempSync(join(tmpdir(), 'mm-test-fast-'));
  const codes = await Promise.all(Array.from({ length: n }, (_, k) => {
    const entry = join(dir, `shard${k}.mjs`);
    const share = list.filter((_, i) => i % n === k);
    const urls = JSON.stringify(share.map((f) => pathToFileURL(resolve(f)).href));
    writeFileSync(entry, `for (const url of ${urls}) {\n  try { await import(url); } catch (err) { console.error(url, err); process.exitCode = 1; }\n}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', '--test-reporter=dot', entry], { stdio: ['ignore', 'inherit', 'inherit'] });
    return new Promise((done) => child.on('close', (code) => done(code ?? 1)));
  }));
  rmSync(dir, { recursive: true, force: true });
  console.log(`\n${list.length} test files in ${n} processes: ${codes.every((c) => c === 0) ? 'all passed' : 'FAILED'}`);
  return codes.find((c) => c !== 0) ?? 0;
}
