#!/usr/bin/env node
/**
 * The installed `mixedmodels` (dist/bundle/mixedmodels.cjs): runs the program, bin.ts bundled by
 * scripts/build-cli.mjs into one script (program.js, a function of the CommonJS module's
 * variables, of its URL and of `importModule`, which loads the optional packages, node:v8 and the plot renderer
 * plotSvg.js), through V8's code cache (codeCache.ts). MIXEDMODELS_DEBUG=1 says on stderr what the cache did.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDirectory, compileCached, processHost, runKey, writeCache } from './codeCache.js';
import { DEFAULT_FLAGS } from './v8Flags.js';

/** sha256 of program.js (its first 16 hex digits), set by the build (scripts/build-cli.mjs). */
declare const PROGRAM_ID: string;

const here = dirname(fileURLToPath(import.meta.url));
const file = join(here, 'program.js');
const host = processHost();
const argv = process.argv.slice(2);
const key = runKey(argv);
// The build checks that the script is ASCII, which latin1 reads byte for byte (faster than UTF-8).
const { script, use } = compileCached(readFileSync(file, 'latin1'), PROGRAM_ID, file, cacheDirectory(host), key, host.uid);
const debug = Boolean(process.env.MIXEDMODELS_DEBUG);
if (debug) process.stderr.write(`code cache: ${use.state}${use.reason ? ` (${use.reason})` : ''}${use.file ? `, ${use.file}` : ''}\n`);
if (use.write && use.file !== null) {
  const target = use.file;
  process.once('exit', (code) => {
    // Only a run that did its work compiled what runs of its kind need; a failed one would leave a cache of little use.
    if (code !== 0) return;
    // The data are made under the flags the next run compiles under (v8Flags.ts).
    (createRequire(import.meta.url)('node:v8') as typeof import('node:v8')).setFlagsFromString(DEFAULT_FLAGS);
    const ok = writeCache(script, target, PROGRAM_ID);
    if (debug) process.stderr.write(`code cache: ${ok ? 'written' : 'not written'} for '${key}'\n`);
  });
}
type Program = (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string, importModule: (specifier: string) => Promise<unknown>, url: string) => void;
const program = script.runInThisContext() as Program;
const module = { exports: {} };
program(module.exports, createRequire(file), module, file, here, (specifier) => import(specifier), new URL('program.js', import.meta.url).href);
