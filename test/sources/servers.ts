/**
 * The database servers the source tests use (started by scripts/test-servers.sh,
 * as .ci/run does), and loading test data into them. A test that needs a
 * server it cannot find skips, saying which variable to set.
 */
import { readFileSync } from 'node:fs';
import type { DataTable } from '../../src/data/types.js';
import { parseCsv } from '../../src/io/csv.js';
import { dataFile } from '../cli/helpers.js';

export const POSTGRES_URL = process.env.MM_TEST_POSTGRES_URL;
export const CLICKHOUSE_URL = process.env.MM_TEST_CLICKHOUSE_URL;
export const CLICKHOUSE_SHARDS = process.env.MM_TEST_CLICKHOUSE_SHARDS?.split(',');

/** A skip reason on a developer's machine without the server; under CI (CI=true) never a skip: the tests then fail. */
function skipUnless(present: boolean, what: string, vars: string): string | false {
  if (present || process.env.CI === 'true') return false;
  return `skipped: no ${what} (set ${vars}, e.g. by scripts/test-servers.sh start DIR; CI always does)`;
}

export const NO_POSTGRES = skipUnless(POSTGRES_URL !== undefined, 'PostgreSQL server', 'MM_TEST_POSTGRES_URL');
export const NO_CLICKHOUSE = skipUnless(CLICKHOUSE_URL !== undefined && CLICKHOUSE_SHARDS?.length === 2, 'ClickHouse cluster', 'MM_TEST_CLICKHOUSE_URL and MM_TEST_CLICKHOUSE_SHARDS');

export function fixtureTable(name: string): DataTable {
  return parseCsv(readFileSync(dataFile(name)), name);
}

type SqlType = 'integer' | 'double' | 'text';

function columnType(table: DataTable, name: string): SqlType {
  const c = table.columns.get(name)!;
  if (c.kind === 'categorical') return 'text';
  return c.values.every((v) => Number.isNaN(v) || (Number.isInteger(v) && Math.abs(v) < 2 ** 31)) ? 'integer' : 'double';
}

function hasMissing(table: DataTable, name: string): boolean {
  const c = table.columns.get(name)!;
  return c.kind === 'numeric' ? c.values.some(Number.isNaN) : c.values.some((v) => v === null);
}

/** Rows of the table as SQL literal tuples (standard quoting). */
function sqlRows(table: DataTable): string[] {
  const out: string[] = [];
  for (let r = 0; r < table.nrow; r++) {
    out.push(`(${table.names.map((n) => {
      const c = table.columns.get(n)!;
      if (c.kind === 'numeric') return Number.isNaN(c.values[r]) ? 'NULL' : String(c.values[r]);
      const v = c.values[r];
      return v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`;
    }).join(', ')})`);
  }
  return out;
}

/** Creates (or replaces) table `name` in PostgreSQL with the rows of `table`. */
export async function loadPostgres(url: string, name: string, table: DataTable): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const types: Record<SqlType, string> = { integer: 'integer', double: 'double precision', text: 'text' };
    await client.query(`DROP TABLE IF EXISTS "${name}"`);
    await client.query(`CREATE TABLE "${name}" (${table.names.map((n) => `"${n}" ${types[columnType(table, n)]}`).join(', ')})`);
    const rows = sqlRows(table);
    for (let i = 0; i < rows.length; i += 5000) await client.query(`INSERT INTO "${name}" VALUES ${rows.slice(i, i + 5000).join(', ')}`);
  } finally {
    await client.end();
  }
}

async function clickhouse(url: string, sql: string, body?: string): Promise<void> {
  const u = new URL(url);
  const endpoint = `http://${u.hostname}:${u.port}/`;
  const res = body === undefined
    ? await fetch(endpoint, { method: 'POST', body: sql })
    : await fetch(`${endpoint}?query=${encodeURIComponent(sql)}`, { method: 'POST', body });
  if (!res.ok) throw new Error(`ClickHouse: ${await res.text()}`);
}

/**
 * Creates table `name` on the 2-shard cluster: a MergeTree table `name_local`
 * on each shard holding alternate rows, and the Distributed table `name` over them.
 */
export async function loadClickHouse(shards: readonly string[], name: string, table: DataTable): Promise<void> {
  const types: Record<SqlType, string> = { integer: 'Int32', double: 'Float64', text: 'String' };
  const cols = table.names.map((n) => {
    const t = types[columnType(table, n)];
    return `\`${n}\` ${hasMissing(table, n) ? `Nullable(${t})` : t}`;
  }).join(', ');
  const tsv = (part: number) => {
    const lines: string[] = [];
    for (let r = part; r < table.nrow; r += shards.length) {
      lines.push(table.names.map((n) => {
        const c = table.columns.get(n)!;
        if (c.kind === 'numeric') return Number.isNaN(c.values[r]) ? '\\N' : String(c.values[r]);
        const v = c.values[r];
        return v === null ? '\\N' : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
      }).join('\t'));
    }
    return lines.join('\n') + '\n';
  };
  for (const [i, shard] of shards.entries()) {
    await clickhouse(shard, `DROP TABLE IF EXISTS \`${name}_local\``);
    await clickhouse(shard, `CREATE TABLE \`${name}_local\` (${cols}) ENGINE = MergeTree ORDER BY tuple()`);
    await clickhouse(shard, `INSERT INTO \`${name}_local\` FORMAT TabSeparated`, tsv(i));
  }
  await clickhouse(shards[0], `DROP TABLE IF EXISTS \`${name}\``);
  await clickhouse(shards[0], `CREATE TABLE \`${name}\` AS \`${name}_local\` ENGINE = Distributed(two_shards, default, \`${name}_local\`, rand())`);
}

/** Writes the fixture CSV as a Parquet file (through DuckDB, which reads the CSV's types). */
export async function toParquet(csv: string, out: string): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run(`COPY (SELECT * FROM read_csv('${csv.replaceAll("'", "''")}', header = true, nullstr = ['NA', ''])) TO '${out.replaceAll("'", "''")}' (FORMAT PARQUET)`);
  con.closeSync();
  instance.closeSync();
}
