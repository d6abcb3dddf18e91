import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
