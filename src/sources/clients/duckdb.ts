/**
 * DuckDB, embedded (`@duckdb/node-api`, whose binary comes through npm): an
 * in-memory database for files (Parquet, JSON, CSV, globs of them) or a
 * `.duckdb` database file opened read-only. Results are streamed chunk by
 * chunk into typed arrays (materialising a large result first costs memory
 * and time); 64-bit integers (counts) arrive as bigint and are made numbers.
 */
import type { DuckDBConnection, DuckDBInstance, DuckDBResult } from '@duckdb/node-api';
import { duckdbDialect } from '../dialects/duckdb.js';
import { literal } from '../dialect.js';
import { optionalModule } from '../optionalModule.js';
import type { AttachedTable, ColumnInfo, ColumnKind, ResultColumns, SqlClient } from '../source.js';

export interface DuckDBOptions {
  /** A database file (opened read-only), or null for an in-memory database. */
  path: string | null;
  /** What is being read, for the message when the package is missing (`reading .parquet`). */
  purpose: string;
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|DECIMAL.*)$/;
const FLOAT = /^(FLOAT|DOUBLE|REAL)$/;

function kindOf(type: string): ColumnKind {
  if (FLOAT.test(type)) return 'float';
  if (NUMERIC.test(type)) return 'integer';
  if (type === 'BOOLEAN') return 'boolean';
  return 'text';
}

function toNumber(v: unknown): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return Number(String(v));
}

export class DuckDBClient implements SqlClient {
  readonly engine = 'duckdb';
  readonly dialect = duckdbDialect;
  private constructor(private readonly instance: DuckDBInstance, private readonly con: DuckDBConnection) {}

  /**
   * Opens a DuckDB database (in memory, or the file given) through @duckdb/node-api (an optional dependency: a clear error when it is missing).
   */
  static async open(options: DuckDBOptions): Promise<DuckDBClient> {
    const api = await optionalModule('@duckdb/node-api', () => import('@duckdb/node-api'), options.purpose);
    const instance = options.path === null
      ? await api.DuckDBInstance.create(':memory:')
      : await api.DuckDBInstance.create(options.path, { access_mode: 'READ_ONLY' });
    return new DuckDBClient(instance, await instance.connect());
  }

  async run(sql: string, attached: readonly AttachedTable[] = []): Promise<{ result: ResultColumns; bytes: number }> {
    for (const t of attached) await this.attach(t);
    const res = await this.con.stream(sql);
    return readAll(res);
  }

  async describe(select: string): Promise<ColumnInfo[]> {
    const res = await this.con.stream(`SELECT * FROM (${select}) AS mm_describe LIMIT 0`);
    return res.columnNames().map((name, i) => {
      const sqlType = res.columnType(i).toString();
      return { name, kind: kindOf(sqlType), sqlType };
    });
  }

  /** A temporary table replaced by `t` (literal rows, in batches). */
  private async attach(t: AttachedTable): Promise<void> {
    const name = this.dialect.ident(t.name);
    const cols = t.columns.map((c) => `${this.dialect.ident(c.name)} ${c.sqlType}`).join(', ');
    await this.con.run(`CREATE OR REPLACE TEMP TABLE ${name} (${cols})`);
    const n = t.values[0]?.length ?? 0;
    for (let from = 0; from < n; from += 5000) {
      const rows: string[] = [];
      for (let r = from; r < Math.min(n, from + 5000); r++) rows.push(`(${t.values.map((v) => literal(this.dialect, v, r)).join(', ')})`);
      await this.con.run(`INSERT INTO ${name} VALUES ${rows.join(', ')}`);
    }
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    this.con.closeSync();
    this.instance.closeSync();
  }
}

async function readAll(res: DuckDBResult): Promise<{ result: ResultColumns; bytes: number }> {
  const names = res.columnNames();
  const kinds = names.map((_, i) => kindOf(res.columnType(i).toString()));
  const numeric = kinds.map((k) => k === 'integer' || k === 'float');
  let cap = 2048, nrow = 0, bytes = 0;
  let nums = numeric.map((isNum) => (isNum ? new Float64Array(cap) : null));
  const texts = numeric.map((isNum) => (isNum ? null : ([] as (string | null)[])));
  for (;;) {
    const chunk = await res.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const m = chunk.rowCount;
    if (nrow + m > cap) {
      while (nrow + m > cap) cap *= 2;
      nums = nums.map((a) => {
        if (a === null) return null;
        const b = new Float64Array(cap);
        b.set(a.subarray(0, nrow));
        return b;
      });
    }
    for (let c = 0; c < names.length; c++) {
      const vec = chunk.getColumnVector(c);
      const out = nums[c];
      if (out !== null) {
        for (let r = 0; r < m; r++) out[nrow + r] = toNumber(vec.getItem(r));
        bytes += 8 * m;
      } else {
        const t = texts[c]!;
        for (let r = 0; r < m; r++) {
          const v = vec.getItem(r);
          const s = v === null ? null : String(v);
          t.push(s);
          bytes += s === null ? 1 : s.length;
        }
      }
    }
    nrow += m;
  }
  const columns = names.map((_, c) => nums[c]?.slice(0, nrow) ?? texts[c]!);
  return { result: { names, columns, nrow }, bytes };
}
