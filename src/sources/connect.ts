/**
 * `connect(spec, { table | query })`: a Source from what the user typed.
 *
 * - `postgresql://user:password@host:port/db` (or `postgres://`): PostgreSQL;
 * - `clickhouse://user:password@host:port/db`: ClickHouse's HTTP interface (port 8123 by default);
 * - `duckdb:path/to/file.duckdb` (read-only) or `duckdb:` (an empty in-memory database);
 * - a file or glob read by DuckDB: `.parquet`, `.json`, `.ndjson`, `.csv`, `.csv.gz`,
 *   `.tsv`, `.tsv.gz` (the relation is the file itself; with `query`, the file is
 *   also the view `data`).
 *
 * Databases need `table` (`name` or `schema.name`, quoted here) or `query` (run as
 * given: it is the user's own SQL). The password never appears in the source's
 * name or in any error message.
 */
import { MixedModelsError } from '../errors.js';
import { ClickHouseClient } from './clients/clickhouse.js';
import { DuckDBClient } from './clients/duckdb.js';
import { PostgresClient } from './clients/postgres.js';
import type { Dialect } from './dialect.js';
import { duckdbFileReader } from './files.js';
import type { AttachedTable, ColumnInfo, ResultColumns, Source, SourceStats, SqlClient } from './source.js';

export interface ConnectOptions {
  /** A table (or view) of the database: `name` or `schema.name`. */
  table?: string;
  /** A SELECT whose rows are the data. */
  query?: string;
}

/**
 * The user's choice of data, checked before any connection opens (so that a
 * mistake in the options never leaves a client open behind its error): both
 * --table and --query, an empty --query, or (for a database) neither.
 */
function checkChoice(options: ConnectOptions, name: string, database: boolean): void {
  if (options.table !== undefined && options.query !== undefined) throw new MixedModelsError('give --table or --query, not both');
  if (options.query !== undefined && options.query.trim().replace(/;\s*$/, '') === '') throw new MixedModelsError('--query is empty');
  if (database && options.query === undefined && (options.table === undefined || options.table.trim() === '')) {
    throw new MixedModelsError(`${name}: say which data to read with --table <name> or --query "select ..."`);
  }
}

/** The relation the data are read from: the user's query as a subquery, or the table's quoted name (checkChoice first). */
function relationOf(dialect: Dialect, options: ConnectOptions): string {
  if (options.query !== undefined) return `(${options.query.trim().replace(/;\s*$/, '')}) AS mm_source`;
  return options.table!.split('.').map((part) => dialect.ident(part)).join('.');
}

/** The URL without its password (kept only inside the client). */
function redact(url: URL): string {
  const copy = new URL(url.toString());
  copy.password = '';
  return copy.toString().replace(/\/$/, '');
}

export async function connect(spec: string, options: ConnectOptions = {}): Promise<Source> {
  if (/^postgres(ql)?:\/\//i.test(spec)) {
    const url = parseUrl(spec);
    const name = redact(url);
    checkChoice(options, name, true);
    const client = await opening(name, [url.password], () => PostgresClient.open(spec));
    return wrap(client, name, relationOf(client.dialect, options), [decodeURIComponent(url.password)]);
  }
  if (/^clickhouse:\/\//i.test(spec)) {
    const url = parseUrl(spec);
    const name = redact(url);
    checkChoice(options, name, true);
    const client = new ClickHouseClient({
      endpoint: `http://${url.hostname}:${url.port || '8123'}/`,
      database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'default',
      user: url.username ? decodeURIComponent(url.username) : null,
      password: url.password ? decodeURIComponent(url.password) : null,
    });
    return wrap(client, name, relationOf(client.dialect, options), [decodeURIComponent(url.password)]);
  }
  if (/^duckdb:/i.test(spec)) {
    const path = spec.slice('duckdb:'.length);
    checkChoice(options, spec, true);
    const client = await opening(spec, [], () => DuckDBClient.open({ path: path === '' ? null : path, purpose: 'reading a duckdb: database' }));
    return wrap(client, spec, relationOf(client.dialect, options), []);
  }
  const reader = duckdbFileReader(spec);
  if (options.table !== undefined) throw new MixedModelsError(`--table applies to databases; ${spec} is a file (use --query to select from it)`);
  checkChoice(options, spec, false);
  const client = await opening(spec, [], () => DuckDBClient.open({ path: null, purpose: `reading ${reader.kind}` }));
  if (options.query === undefined) return wrap(client, spec, reader.relation(client.dialect), []);
  const source = wrap(client, spec, relationOf(client.dialect, options), []);
  try {
    await source.query(`CREATE VIEW data AS SELECT * FROM ${reader.relation(client.dialect)}`);
  } catch (err) {
    await source.close().catch(() => {});
    throw err;
  }
  return source;
}

function parseUrl(spec: string): URL {
  try {
    return new URL(spec);
  } catch {
    throw new MixedModelsError(`cannot read the URL '${spec.replace(/:[^:@/]*@/, ':***@')}'`);
  }
}

/** One line from an engine's error: its first line, the password replaced. */
function errorLine(err: unknown, secrets: readonly string[]): string {
  const e = err as { message?: string; code?: string; errors?: { message?: string }[] };
  let text = e?.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(e?.message ?? '') ? 'connection refused' : e?.message ?? String(err);
  if (text === '' && e?.errors?.length) text = e.errors[0].message ?? '';
  text = text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? 'unknown error';
  for (const s of secrets) if (s) text = text.split(s).join('***');
  return text;
}

async function opening<T>(name: string, secrets: readonly string[], open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (err) {
    if (err instanceof MixedModelsError) throw err;
    throw new MixedModelsError(`${name}: ${errorLine(err, secrets)}`);
  }
}

/** A Source over a client: statistics, --explain, one-line errors naming the source. */
export function wrap(client: SqlClient, name: string, relation: string, secrets: readonly string[]): Source {
  const stats: SourceStats = { queries: 0, rowsScanned: 0, bytesFetched: 0, seconds: 0 };
  let columns: ColumnInfo[] | null = null;
  const source: Source = {
    engine: client.engine,
    dialect: client.dialect,
    name,
    relation,
    stats,
    onQuery: null,
    async columns() {
      if (columns === null) {
        try {
          columns = await client.describe(`SELECT * FROM ${relation}`);
        } catch (err) {
          throw new MixedModelsError(`${name}: ${errorLine(err, secrets)}`);
        }
      }
      return columns;
    },
    async query(sql: string, options: { attached?: readonly AttachedTable[]; scans?: number } = {}): Promise<ResultColumns> {
      source.onQuery?.(sql);
      const started = performance.now();
      try {
        const { result, bytes } = await client.run(sql, options.attached);
        stats.queries++;
        stats.rowsScanned += options.scans ?? 0;
        stats.bytesFetched += bytes;
        return result;
      } catch (err) {
        throw new MixedModelsError(`${name}: ${errorLine(err, secrets)}`);
      } finally {
        stats.seconds += (performance.now() - started) / 1000;
      }
    },
    close: () => client.close(),
  };
  return source;
}
