#!/usr/bin/env node
import { main } from './main.js';

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
});
process.exitCode = code;
