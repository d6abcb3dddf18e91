/**
 * Missing values where the data live: NULL and NaN in PostgreSQL (double
 * precision) and in the ClickHouse Distributed table (Nullable(Float64)) drop
 * the same rows as reading the model's columns (`--pushdown off`, where both
 * are NaN), through transforms of missing values (log of a NaN, NaN / 0,
 * where a zero denominator is no error); an infinite value, and a transform
 * undefined on a row whose data are there (0/0), are the in-memory errors. Exact comparisons up to sameFit.ts's tolerances.
 * Skips, saying so, when a server is not running (CI starts both).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { dataFile, fitJson, runCli } from '../cli/helpers.js';
import { assertSameFit } from './sameFit.js';
import { CLICKHOUSE_SHARDS, CLICKHOUSE_URL, NO_CLICKHOUSE, NO_POSTGRES, POSTGRES_URL } from './servers.js';

const F = 'Reaction ~ log(Days + 1) + I(Days / d2) + (1 | Subject)';

/** sleepstudy with holes: Reaction NULL or NaN, Days NaN, and d2 zero where Days is NaN (`bad`: also one Reaction infinite and one 0/0). */
function rows(bad: boolean): { Reaction: string; Days: string; d2: string; Subject: string }[] {
  const lines = readFileSync(dataFile('sleepstudy'), 'utf8').trim().split('\n').slice(1);
  return lines.map((line, r) => {
    const [reaction, days, subject] = line.split(',');
    const daysNaN = r % 23 === 7;
    return {
      Reaction: bad && r === 11 ? 'inf' : r % 17 === 5 ? 'null' : r % 19 === 3 ? 'nan' : reaction,
      Days: daysNaN ? 'nan' : days,
      d2: daysNaN || (bad && r === 40) ? '0' : String((r % 5) + 1),
      Subject: subject,
    };
  });
}

async function loadPostgres(name: string, bad: boolean): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  const value = (v: string) => (v === 'null' ? 'NULL' : v === 'nan' ? "'NaN'::float8" : v === 'inf' ? "'Infinity'::float8" : v);
  try {
    await client.query(`DROP TABLE IF EXISTS ${name}`);
    await client.query(`CREATE TABLE ${name} ("Reaction" double precision, "Days" double precision, d2 double precision, "Subject" text)`);
    const values = rows(bad).map((x) => `(${value(x.Reaction)}, ${value(x.Days)}, ${value(x.d2)}, '${x.Subject}')`);
    await client.query(`INSERT INTO ${name} VALUES ${values.join(', ')}`);
  } finally {
    await client.end();
  }
}

async function clickhouse(shard: string, sql: string, body?: string): Promise<void> {
  const u = new URL(shard);
  const endpoint = `http://${u.hostname}:${u.port}/`;
  const res = await fetch(body === undefined ? endpoint : `${endpoint}?query=${encodeURIComponent(sql)}`, { method: 'POST', body: body ?? sql });
  if (!res.ok) throw new Error(`ClickHouse: ${await res.text()}`);
}

/** A Distributed table over a MergeTree table per shard (`columns`: its DDL), the TSV `lines` dealt to the shards in turn. */
async function clickhouseTable(name: string, columns: string, lines: string[]): Promise<void> {
  const shards = CLICKHOUSE_SHARDS!;
  for (const [i, shard] of shards.entries()) {
    await clickhouse(shard, `DROP TABLE IF EXISTS ${name}_local`);
    await clickhouse(shard, `CREATE TABLE ${name}_local (${columns}) ENGINE = MergeTree ORDER BY tuple()`);
    await clickhouse(shard, `INSERT INTO ${name}_local FORMAT TabSeparated`, lines.filter((_, r) => r % shards.length === i).join('\n') + '\n');
  }
  await clickhouse(shards[0], `DROP TABLE IF EXISTS ${name}`);
  await clickhouse(shards[0], `CREATE TABLE ${name} AS ${name}_local ENGINE = Distributed(two_shards, default, ${name}_local, rand())`);
}

async function loadClickHouse(name: string, bad: boolean): Promise<void> {
  const value = (v: string) => (v === 'null' ? '\\N' : v);
  const lines = rows(bad).map((x) => [value(x.Reaction), x.Days, x.d2, x.Subject].join('\t'));
  await clickhouseTable(name, 'Reaction Nullable(Float64), Days Float64, d2 Float64, Subject String', lines);
}

async function sameAsRows(url: string): Promise<void> {
  const on = await fitJson([url, F, '--table', 'mm_holes']);
  const off = await fitJson([url, F, '--table', 'mm_holes', '--pushdown', 'off']);
  assert.equal(on.source.pushdown, 'sums');
  assert.equal(off.source.pushdown, 'none');
  assertSameFit(on, off, 'missing values');
  assert.ok(on.nDropped > 0);
  assert.equal(on.nDropped, off.nDropped);
}

async function badValuesAreErrors(url: string): Promise<void> {
  let r = await runCli(['fit', url, F, '--table', 'mm_holes_bad']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /column 'Reaction' has infinite values \(1 row\)/);
  // Without the infinite response, the 0/0 in row 41 (Days 0, d2 0) is the error; in memory too.
  r = await runCli(['fit', url, F.replace('Reaction ~', 'Days ~'), '--table', 'mm_holes_bad']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /'Days\/d2' is not defined \(NaN\) where it is 0\/0.* \(1 row\)/);
  const off = await runCli(['fit', url, F.replace('Reaction ~', 'Days ~'), '--table', 'mm_holes_bad', '--pushdown', 'off']);
  assert.equal(off.code, 1);
  assert.match(off.stderr, /'I\(Days\/d2\)' is not defined \(NaN\) in row/);
}

describe('fit postgresql://... with NULL and NaN values', { skip: NO_POSTGRES }, () => {
  it('fit postgresql://... --table mm_holes drops the rows --pushdown off drops', async () => {
    await loadPostgres('mm_holes', false);
    await sameAsRows(POSTGRES_URL!);
  });
  it('fit postgresql://... --table mm_holes_bad refuses an infinite value and a 0/0 as in memory', async () => {
    await loadPostgres('mm_holes_bad', true);
    await badValuesAreErrors(POSTGRES_URL!);
  });
});

/** sleepstudy as plain non-Nullable ClickHouse columns (Float64 Reaction and Days, String Subject), Reaction NaN or infinite at `holes`. */
async function loadPlainClickHouse(name: string, holes: Map<number, string>): Promise<void> {
  const lines = readFileSync(dataFile('sleepstudy'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  await clickhouseTable(name, 'Reaction Float64, Days Float64, Subject String', lines.map((x, r) => [holes.get(r) ?? x[0], x[1], x[2]].join('\t')));
}

/** The GROUP BY statements --explain printed. */
function groupBys(stderr: string): string[] {
  return stderr.trim().split(';\n').filter((q) => / GROUP BY /.test(q));
}

describe('fit clickhouse://... over plain non-Nullable columns (the lean screen)', { skip: NO_CLICKHOUSE }, () => {
  const plain = 'Reaction ~ Days + (1 | Subject)';
  it('fit clickhouse://... --table (no missing values) screens in one lean GROUP BY, with the in-memory numbers', async () => {
    await loadPlainClickHouse('mm_plain', new Map());
    const r = await runCli(['fit', CLICKHOUSE_URL!, plain, '--table', 'mm_plain', '--explain', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const [screen, ...rest] = groupBys(r.stderr);
    assert.equal(rest.length, 0, r.stderr);
    assert.doesNotMatch(screen, /isNaN|countIf/);
    assertSameFit(JSON.parse(r.stdout), await fitJson([dataFile('sleepstudy'), plain]), 'lean screen');
  });
  it('fit clickhouse://... --table with NaN in a Float64 column: the lean screen sees it, the full screen drops the rows as in memory', async () => {
    await loadPlainClickHouse('mm_plain_nan', new Map([[3, 'nan'], [50, 'nan'], [121, 'nan']]));
    const r = await runCli(['fit', CLICKHOUSE_URL!, plain, '--table', 'mm_plain_nan', '--explain', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(groupBys(r.stderr).length, 2, r.stderr);
    const on = JSON.parse(r.stdout), off = await fitJson([CLICKHOUSE_URL!, plain, '--table', 'mm_plain_nan', '--pushdown', 'off']);
    assert.equal(on.nDropped, 3);
    assertSameFit(on, off, 'NaN through the lean screen');
  });
  it('fit clickhouse://... --table with an infinite value in a Float64 column is the error it is in memory', async () => {
    await loadPlainClickHouse('mm_plain_inf', new Map([[11, 'inf']]));
    const r = await runCli(['fit', CLICKHOUSE_URL!, plain, '--table', 'mm_plain_inf']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /column 'Reaction' has infinite values \(1 row\)/);
  });
});

describe('fit clickhouse://... (Distributed) with NULL and NaN values', { skip: NO_CLICKHOUSE }, () => {
  it('fit clickhouse://... --table mm_holes drops the rows --pushdown off drops', async () => {
    await loadClickHouse('mm_holes', false);
    await sameAsRows(CLICKHOUSE_URL!);
  });
  it('fit clickhouse://... --table mm_holes_bad refuses an infinite value and a 0/0 as in memory', async () => {
    await loadClickHouse('mm_holes_bad', true);
    await badValuesAreErrors(CLICKHOUSE_URL!);
  });
});
