#!/usr/bin/env node
import { main } from './main.js';
import { enableDenseThread } from '../node/denseThread.js';
import { enableRowThread } from '../node/rowThread.js';
import { RUN_FLAGS } from './v8Flags.js';
import { directWriter, terminalColumns } from './stdio.js';
import { startedRowHelper } from '../glmm/pirls/rowHelper.js';

// The heap's flags for a command (v8Flags.ts), set when one runs, not for --help: node:v8 takes 3 ms to load.
async function beforeRun(): Promise<void> {
  (await import('node:v8')).default.setFlagsFromString(RUN_FLAGS);
}

// The dense kernels share their larger products with one helper thread (src/node/denseThread.ts):
// the large crossed designs' factorisations on both cores, the same numbers to the bit.
enableDenseThread();
// So do the row passes of large scalar GLMMs (src/node/rowThread.ts), the same numbers with or without it.
enableRowThread();

// MIXEDMODELS_DEBUG=1: whether the row helper took part (as the launcher says what the code cache did).
if (process.env.MIXEDMODELS_DEBUG) {
  process.once('exit', () => {
    const helper = startedRowHelper();
    if (helper !== null) process.stderr.write(`row helper: ${helper.parts} of ${helper.handed} operations shared\n`);
  });
}

// No top-level await: the installed program is this file bundled as one script (launch.ts).
void main(process.argv.slice(2), {
  // Plain writes to the descriptors, not process.stdout/stderr (stdio.ts: their streams cost every start-up 5 ms).
  stdout: directWriter(1, () => process.stdout),
  stderr: directWriter(2, () => process.stderr),
  columns: (fd) => terminalColumns(fd, () => (fd === 1 ? process.stdout : process.stderr)),
  beforeRun,
}).then((code) => {
  process.exitCode = code;
});
