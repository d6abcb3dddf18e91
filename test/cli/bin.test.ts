// The installed binary: a reader that closes the pipe early ends the program quietly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { dataFile } from './helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'bin.ts');

test('mixedmodels simulate ... | head -1 ends without an EPIPE stack trace', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, 'simulate', dataFile('sleepstudy'), 'Reaction ~ Days + (Days | Subject)', '--nsim', '200'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const first = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d))));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.match(first, /^sim_1,sim_2/);
  assert.doesNotMatch(stderr, /EPIPE|\n\s+at /, stderr);
  assert.equal(code, 0);
});
