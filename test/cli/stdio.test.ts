// The command line's output as plain writes to descriptors 1 and 2 (src/cli/stdio.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const STDIO = JSON.stringify(join(import.meta.dirname, '..', '..', 'src', 'cli', 'stdio.ts'));

/** Runs a module in a child process; its output read through pipes, after `delay` ms for stdout. */
async function run(source: string, delay = 0): Promise<{ out: string; err: string; code: number | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [], err: Buffer[] = [];
  child.stderr.on('data', (d: Buffer) => err.push(d));
  child.stdout.pause();
  setTimeout(() => {
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stdout.resume();
  }, delay);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8'), code };
}

test('output written at once reaches a pipe whole and in order', async () => {
  const r = await run(`
    import { directWriter } from ${STDIO};
    const out = directWriter(1, () => process.stdout), err = directWriter(2, () => process.stderr);
    for (let i = 0; i < 2000; i++) out('line ' + i + ' é\\n');
    err('done\\n');
  `);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, Array.from({ length: 2000 }, (_, i) => `line ${i} é\n`).join(''));
  assert.equal(r.err, 'done\n');
});

test('a pipe that refuses a write for now (non-blocking, full) gets the rest through the stream, whole and in order', async () => {
  // Making process.stdout sets the pipe non-blocking; 8 MB do not fit in it while the reader waits.
  const r = await run(`
    import { directWriter } from ${STDIO};
    void process.stdout;
    const out = directWriter(1, () => process.stdout);
    const block = 'x'.repeat(1 << 20);
    for (let i = 0; i < 8; i++) out(i + block + '\\n');
    out('end\\n');
  `, 300);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, Array.from({ length: 8 }, (_, i) => `${i}${'x'.repeat(1 << 20)}\n`).join('') + 'end\n');
});
