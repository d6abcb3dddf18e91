// The runnable examples in examples/ (they import the built package, as a user would: `npm ci` builds
// dist/). Each must exit 0 and print what it shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

function run(script: string, args: string[] = []): string {
  assert.ok(existsSync(join(root, 'dist', 'index.js')), 'dist/index.js is missing: run `npm run build` (npm ci does)');
  const r = spawnSync(process.execPath, [join(root, 'examples', script), ...args], { cwd: root, encoding: 'utf8', timeout: 300000 });
  assert.equal(r.status, 0, `${script} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

test('node examples/archers.mjs: the bow effect without and with archers, skill scores, profile intervals', () => {
  const out = run('archers.mjs');
  assert.match(out, /lm\(distance ~ bow\)/);
  assert.match(out, /bowSouthwood\s+-11\.93\s+SE\s+1\.13/);
  assert.match(out, /Skill scores/);
  assert.match(out, /sd_\(Intercept\)\|archer\s+\[/);
});

test('node examples/flipped.mjs: lm, lm with professors (aliased), lmer with Satterthwaite df', () => {
  const out = run('flipped.mjs');
  assert.match(out, /not defined because of singularities: professor10, professor15/);
  assert.match(out, /df\s+12\.0/);
  assert.match(out, /ICC 0\.39/);
});

test('node examples/ctr-study.mjs: simulates the click-through data, scores four methods, writes the report', () => {
  const report = join(mkdtempSync(join(tmpdir(), 'mm-example-')), 'ctr.html');
  const out = run('ctr-study.mjs', ['--users', '300', '--sets', '2', '--report', report]);
  for (const m of ['glmm', 'glm', 'lasso', 'ridge']) assert.match(out, new RegExp(`^${m}\\s+0\\.\\d+`, 'm'));
  assert.match(out, /2 new data sets/);
  assert.match(readFileSync(report, 'utf8'), /<svg/);
});
