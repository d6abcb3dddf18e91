#!/usr/bin/env node
import { main } from './main.js';
import { enableDenseThread } from '../node/denseThread.js';

// The young generation of V8's heap starts at 1 MB a half and doubles (to 16 MB) as objects survive
// its collections. A fit's data and matrices live in typed arrays outside that heap; what survives is
// a few megabytes of short tables (a 50,000-level ranefTable), and doubling for them cost 16 to 30 MB
// of resident memory at the end of lmm_crossed_1e6 (333 -> 303 MB peak) for no gain in time, so this
// one-shot process keeps the young generation at its starting size. (Read by V8 when it would grow;
// set before a command runs, not for --help: node:v8 takes 3 ms to load.)
async function beforeRun(): Promise<void> {
  (await import('node:v8')).default.setFlagsFromString('--semi-space-growth-factor=1');
}

// The dense kernels share their larger products with one helper thread (src/node/denseThread.ts):
// the large crossed designs' factorisations on both cores, the same numbers to the bit.
enableDenseThread();

// A reader that stops early (`mixedmodels simulate ... | head`) closes the pipe: the rest of the
// output has nowhere to go, which is not an error of this program, so it ends quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.exitCode = 2;
  });
}

const code = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  beforeRun,
});
process.exitCode = code;
