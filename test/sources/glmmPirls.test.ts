/**
 * PIRLS in the engine (pushdown "pirls"): a binary GLMM with a continuous
 * covariate on 110,000 generated rows (too many for lme4's criterion, and they
 * do not collapse; --pushdown on, since under auto rows this few are read)
 * gives the numbers of the in-memory fit of the same CSV, from Parquet,
 * PostgreSQL and the ClickHouse Distributed table.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCsv } from '../../src/io/csv.js';
import { fitJson } from '../cli/helpers.js';
import { assertSameFit } from './sameFit.js';
import { CLICKHOUSE_SHARDS, CLICKHOUSE_URL, loadClickHouse, loadPostgres, NO_CLICKHOUSE, NO_POSTGRES, POSTGRES_URL, toParquet } from './servers.js';

/** Deterministic data: y ~ Bernoulli(logit^-1(-1 + 0.5 x + 0.3 treat + a_g)), a_g ~ N(0, 1.2^2), 1000 groups. */
function generate(n: number, groups: number): string {
  let s = 0x2545f491;
  const u01 = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 0.5) / 4294967296;
  };
  const norm = () => Math.sqrt(-2 * Math.log(u01())) * Math.cos(2 * Math.PI * u01());
  const a = Array.from({ length: groups }, () => 1.2 * norm());
  const lines = ['y,x,treat,g'];
  for (let i = 0; i < n; i++) {
    const g = i % groups, x = Math.round(norm() * 1e4) / 1e4, t = u01() < 0.5 ? 1 : 0;
    const eta = -1 + 0.5 * x + 0.3 * t + a[g];
    lines.push(`${u01() < 1 / (1 + Math.exp(-eta)) ? 1 : 0},${x},${t},g${g}`);
  }
  return lines.join('\n') + '\n';
}

const F = 'y ~ x + treat + (1 | g)';
const dir = mkdtempSync(join(tmpdir(), 'mm-pirls-'));
const csv = join(dir, 'binary.csv');
let memory: Record<string, any>;

before(async () => {
  writeFileSync(csv, generate(110000, 1000));
  await toParquet(csv, join(dir, 'binary.parquet'));
  memory = await fitJson([csv, F, '--family', 'binomial']);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function checkPirls(json: Record<string, any>, engine: string): void {
  assertSameFit(json, memory, engine);
  assert.deepEqual([json.source.engine, json.source.pushdown], [engine, 'pirls']);
  assert.equal(json.nobs, 110000);
  const perQuery = json.source.bytesFetched / json.source.queries;
  assert.ok(perQuery < 110000 * 4, `the rows stayed in the engine (${perQuery} bytes per query)`);
}

describe('glmer with PIRLS in the engine', () => {
  it('fit binary.parquet "y ~ x + treat + (1 | g)" --family binomial', async () => {
    checkPirls(await fitJson([join(dir, 'binary.parquet'), F, '--family', 'binomial', '--pushdown', 'on']), 'duckdb');
  });

  it('fit postgresql --table pirls_binary', { skip: NO_POSTGRES }, async () => {
    await loadPostgres(POSTGRES_URL!, 'pirls_binary', parseCsv(readFileSync(csv), 'binary'));
    checkPirls(await fitJson([POSTGRES_URL!, F, '--table', 'pirls_binary', '--family', 'binomial', '--pushdown', 'on']), 'postgresql');
  });

  it('fit clickhouse --table pirls_binary (Distributed)', { skip: NO_CLICKHOUSE }, async () => {
    await loadClickHouse(CLICKHOUSE_SHARDS!, 'pirls_binary', parseCsv(readFileSync(csv), 'binary'));
    checkPirls(await fitJson([CLICKHOUSE_URL!, F, '--table', 'pirls_binary', '--family', 'binomial', '--pushdown', 'on']), 'clickhouse');
  });
});
