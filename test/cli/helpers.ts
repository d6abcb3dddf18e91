import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, capturing its output. */
export async function runCli(args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

/** Runs `fit --format json` and parses the JSON; fails loudly on a non-zero exit. */
export async function fitJson(args: string[]): Promise<Record<string, any>> {
  const r = await runCli(['fit', ...args, '--format', 'json']);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export function dataFile(name: string): string {
  return join(FIXTURES, 'data', `${name}.csv`);
}

export function readRef(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(FIXTURES, 'refs', `${name}.json`), 'utf8'));
}

/** |actual - expected| <= rel * |expected| (+ abs), with a message naming what differs. */
export function assertClose(actual: number, expected: number, rel: number, what: string, abs = 0): void {
  const tol = rel * Math.abs(expected) + abs;
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new Error(`${what}: got ${actual}, R gives ${expected} (tolerance ${tol.toExponential(2)})`);
  }
}

/** Deterministic pseudo-random numbers in [0, 1), for building small test data sets. */
export function noise(i: number): number {
  const x = Math.sin(i * 12.9898 + 78.233) * 43758.5453;
  return x - Math.floor(x);
}

/** A temporary folder and a writer of CSV files into it, row by row. */
export function csvWriter(prefix: string): (name: string, header: string, rows: number, row: (i: number) => string) => string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return (name, header, rows, row) => {
    const path = join(dir, name);
    writeFileSync(path, [header, ...Array.from({ length: rows }, (_, i) => row(i))].join('\n') + '\n');
    return path;
  };
}

/** Runs `mixedmodels fit ...args` and checks it fails with exit 1, a message matching `pattern` and no stack trace. */
export async function fitFails(args: string[], pattern: RegExp): Promise<void> {
  const r = await runCli(['fit', ...args]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

/** A reference computed by one of the R scripts in test/fixtures/r (the script names how). */
export function rFixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(FIXTURES, 'r', `${name}.json`), 'utf8'));
}
