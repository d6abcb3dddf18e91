// The installed program's row helper thread (src/node/rowThread.ts): its worker file is found next to
// the program and takes part in a large binary GLMM's passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROW_SPLIT_MIN } from '../../src/glmm/pirls/rowChunks.js';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'bundle', 'mixedmodels.cjs');

/** A binary GLMM's CSV over n rows and 1,000 groups (deterministic). */
function binaryCsv(n: number): string {
  let s = 777;
  const rand = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  const u = Array.from({ length: 1000 }, () => rand() - 0.5);
  const lines = ['y,x,g'];
  for (let i = 0; i < n; i++) {
    const x = 2 * rand() - 1, g = i % 1000, eta = -0.3 + 0.8 * x + u[g];
    lines.push(`${rand() < 1 / (1 + Math.exp(-eta)) ? 1 : 0},${x.toFixed(4)},g${g}`);
  }
  return lines.join('\n') + '\n';
}

test('mixedmodels fit of a binary GLMM over ROW_SPLIT_MIN rows shares its row passes with the helper thread', { skip: existsSync(BIN) ? false : 'dist/bundle not built (npm run build)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm-rows-'));
  const file = join(dir, 'binary.csv');
  writeFileSync(file, binaryCsv(ROW_SPLIT_MIN + 500));
  const env = { ...process.env, MIXEDMODELS_CACHE_DIR: dir, MIXEDMODELS_DEBUG: '1' };
  const r = spawnSync(process.execPath, [BIN, 'fit', file, 'y ~ x + (1 | g)', '--family', 'binomial', '--format', 'json'], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const shared = /row helper: (\d+) of (\d+) operations shared/.exec(r.stderr);
  assert.ok(shared !== null, r.stderr);
  assert.ok(Number(shared[1]) > 0 && Number(shared[1]) <= Number(shared[2]), shared[0]);
  assert.ok(Number.isFinite(JSON.parse(r.stdout).logLik));
});
