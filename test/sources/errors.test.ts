/**
 * A source that cannot be read is one line on stderr naming the source, exit
 * 1, and never the password: refused connections, missing files, tables and
 * columns, a wrong password, a query error.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../cli/helpers.js';
import { optionalModule } from '../../src/sources/optionalModule.js';
import { NO_POSTGRES, POSTGRES_URL } from './servers.js';

const F = 'Reaction ~ Days + (1 | Subject)';

async function oneLineError(args: string[], mustContain: RegExp[], secret?: string): Promise<void> {
  const r = await runCli(args);
  assert.equal(r.code, 1, `exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line: ${r.stderr}`);
  for (const re of mustContain) assert.match(r.stderr, re);
  if (secret !== undefined) assert.ok(!r.stderr.includes(secret), `the password is printed: ${r.stderr}`);
}

describe('source errors', () => {
  it('fit postgresql://user:password@host:closedport/db refuses in one line without the password', async () => {
    await oneLineError(['fit', 'postgresql://mm:hunter2@127.0.0.1:1/mm', F, '--table', 't'], [/^error: postgresql:\/\/mm@127\.0\.0\.1:1\/mm: connection refused/], 'hunter2');
  });

  it('fit clickhouse://user:password@host:closedport/db refuses in one line without the password', async () => {
    await oneLineError(['fit', 'clickhouse://me:hunter2@127.0.0.1:59998/default', F, '--table', 't'], [/^error: clickhouse:\/\/me@127\.0\.0\.1:59998\/default: connection refused/], 'hunter2');
  });

  it('fit missing.parquet names the file', async () => {
    await oneLineError(['fit', '/nonexistent/missing.parquet', F], [/missing\.parquet/, /No files found/]);
  });

  it('fit duckdb: --table nosuch names the source and the table', async () => {
    await oneLineError(['fit', 'duckdb:', F, '--table', 'nosuch'], [/^error: duckdb:: /, /nosuch/]);
  });

  it('fit duckdb: without --table or --query says what is missing', async () => {
    await oneLineError(['fit', 'duckdb:', F], [/--table <name> or --query/]);
  });

  it('fit duckdb: --query with an SQL error names the source', async () => {
    await oneLineError(['fit', 'duckdb:', F, '--query', 'select * from'], [/^error: duckdb:: /]);
  });

  it('fit data.xyz says which files and URLs are read', async () => {
    await oneLineError(['fit', 'data.xyz', F], [/cannot tell how to read 'data\.xyz'/]);
  });

  it('fit file.csv --table is refused', async () => {
    await oneLineError(['fit', 'x.csv', F, '--table', 't'], [/--table and --query apply to databases/]);
  });

  it('fit postgresql://... with both --table and --query, or neither, says so before connecting (closed port: no connection error)', async () => {
    const url = 'postgresql://mm:hunter2@127.0.0.1:1/mm';
    await oneLineError(['fit', url, F, '--table', 't', '--query', 'select 1'], [/^error: give --table or --query, not both$/m], 'hunter2');
    await oneLineError(['fit', url, F], [/^error: postgresql:\/\/mm@127\.0\.0\.1:1\/mm: say which data to read with --table <name> or --query/], 'hunter2');
    await oneLineError(['fit', url, F, '--query', ' ; '], [/^error: --query is empty$/m], 'hunter2');
  });

  it('mixedmodels fit postgresql://... without --table or --query exits at once (no connection left open to hold the process)', { skip: NO_POSTGRES }, () => {
    // In a process of its own: an open client keeps Node alive after the error (it hung here before the check moved ahead of the connection).
    for (const extra of [[], ['--table', 't', '--query', 'select 1']]) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', '..', 'src', 'cli', 'bin.ts'), 'fit', POSTGRES_URL!, F, ...extra], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.signal, null, `killed after 60 s (hung): ${r.stderr}`);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /--table/);
    }
  });

  it('fit postgresql://... with a wrong password says so without printing it', { skip: NO_POSTGRES }, async () => {
    const url = POSTGRES_URL!.replace(/:[^:@/]+@/, ':wrong-secret-42@');
    await oneLineError(['fit', url, F, '--table', 't'], [/password authentication failed/], 'wrong-secret-42');
  });

  it('fit postgresql://... --table nosuch names the source and the table', { skip: NO_POSTGRES }, async () => {
    const password = decodeURIComponent(new URL(POSTGRES_URL!).password);
    await oneLineError(['fit', POSTGRES_URL!, F, '--table', 'nosuch'], [/^error: postgresql:\/\//, /"nosuch" does not exist/], password);
  });

  it('fit of a CSV file over 2 GiB says so and points to --pushdown on; --pushdown off and other commands keep the plain limit', async () => {
    // A sparse file: 2.2 GB long, no blocks written (the size is refused before any byte is read).
    const dir = mkdtempSync(join(tmpdir(), 'mm-big-'));
    const big = join(dir, 'big.csv');
    try {
      writeFileSync(big, 'y,x,g\n');
      truncateSync(big, 2.2e9);
      await oneLineError(['fit', big, 'y ~ x + (1 | g)'], [/the data file '.*big\.csv' is 2\.05 GiB, more than the 2 GiB a file read in memory can be/, /with --pushdown on, DuckDB reads it/]);
      await oneLineError(['fit', big, 'y ~ x + (1 | g)', '--pushdown', 'off'], [/is 2\.05 GiB; the limit is 2 GiB\n$/]);
      await oneLineError(['predict', big, 'y ~ x + (1 | g)'], [/is 2\.05 GiB; the limit is 2 GiB\n$/]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('optionalModule(name) says which package to install when it is missing', async () => {
    const missing = () => Promise.reject(Object.assign(new Error('not found'), { code: 'ERR_MODULE_NOT_FOUND' }));
    await assert.rejects(optionalModule('@duckdb/node-api', missing, 'reading .parquet'), /^MixedModelsError: reading \.parquet needs @duckdb\/node-api: npm install @duckdb\/node-api$/);
  });
});
