#!/usr/bin/env node
import { main } from './main.js';
import { enableDenseThread } from '../node/denseThread.js';
import { RUN_FLAGS } from './v8Flags.js';

// The heap's flags for a command (v8Flags.ts), set when one runs, not for --help: node:v8 takes 3 ms to load.
async function beforeRun(): Promise<void> {
  (await import('node:v8')).default.setFlagsFromString(RUN_FLAGS);
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

// No top-level await: the installed program is this file bundled as one script (launch.ts).
void main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  beforeRun,
}).then((code) => {
  process.exitCode = code;
});
