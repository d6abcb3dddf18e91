/**
 * PostgreSQL through the `pg` package (an optional dependency). Results come
 * as arrays of rows; 64-bit integers and numerics arrive as text and are made
 * numbers. The session is read-only, so that the user's table or query is
 * only ever read; a table attached to a query is a temporary table of the
 * session, refilled from literal rows in a read-write transaction of its own.
 */
import type { Client as PgClient, FieldDef } from 'pg';
import { postgresDialect } from '../dialects/postgres.js';
import { literal } from '../dialect.js';
import { optionalModule } from '../optionalModule.js';
import type { AttachedTable, ColumnInfo, ColumnKind, ResultColumns, SqlClient } from '../source.js';

/** Type OIDs (pg_type) by kind, with the type name used for attached tables. */
const TYPES = new Map<number, [ColumnKind, string]>([
  [16, ['boolean', 'boolean']],
  [20, ['integer', 'bigint']],
  [21, ['integer', 'smallint']],
  [23, ['integer', 'integer']],
  [26, ['integer', 'oid']],
  [700, ['float', 'real']],
  [701, ['float', 'double precision']],
  [1700, ['float', 'numeric']],
]);

function typeOf(oid: number): [ColumnKind, string] {
  return TYPES.get(oid) ?? ['text', 'text'];
}

export class PostgresClient implements SqlClient {
  readonly engine = 'postgresql';
  readonly dialect = postgresDialect;
  private readonly created = new Set<string>();
  private constructor(private readonly client: PgClient) {}

  /** Connects to PostgreSQL through pg (an optional dependency: a clear error when it is missing). */
  static async open(connectionString: string): Promise<PostgresClient> {
    const pg = await optionalModule('pg', () => import('pg'), 'reading from PostgreSQL');
    const Client = pg.default?.Client ?? (pg as unknown as typeof pg.default).Client;
    const client = new Client({ connectionString, connectionTimeoutMillis: 15000 });
    client.on('error', () => {});
    try {
      await client.connect();
      // The user's table or query is only read: a query that would write (a function with side effects, nextval) fails instead.
      await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    return new PostgresClient(client);
  }

  async run(sql: string, attached: readonly AttachedTable[] = []): Promise<{ result: ResultColumns; bytes: number }> {
    for (const t of attached) await this.attach(t);
    const res = await this.client.query({ text: sql, rowMode: 'array' });
    return collect(res.fields ?? [], res.rows as unknown[][]);
  }

  async describe(select: string): Promise<ColumnInfo[]> {
    const res = await this.client.query({ text: `SELECT * FROM (${select}) AS mm_describe LIMIT 0`, rowMode: 'array' });
    return res.fields.map((f) => {
      const [kind, sqlType] = typeOf(f.dataTypeID);
      return { name: f.name, kind, sqlType };
    });
  }

  /** Fills the session's temporary table: the one write this client makes, in a read-write transaction of its own. */
  private async attach(t: AttachedTable): Promise<void> {
    const name = this.dialect.ident(t.name);
    await this.client.query('BEGIN READ WRITE');
    try {
      if (!this.created.has(t.name)) {
        const cols = t.columns.map((c) => `${this.dialect.ident(c.name)} ${c.sqlType}`).join(', ');
        await this.client.query(`CREATE TEMP TABLE ${name} (${cols})`);
      }
      await this.client.query(`TRUNCATE ${name}`);
      const n = t.values[0]?.length ?? 0;
      for (let from = 0; from < n; from += 5000) {
        const rows: string[] = [];
        for (let r = from; r < Math.min(n, from + 5000); r++) rows.push(`(${t.values.map((v) => literal(this.dialect, v, r)).join(', ')})`);
        await this.client.query(`INSERT INTO ${name} VALUES ${rows.join(', ')}`);
      }
      await this.client.query(`ANALYZE ${name}`);
      await this.client.query('COMMIT');
      this.created.add(t.name);
    } catch (err) {
      await this.client.query('ROLLBACK').catch(() => {});
      throw err;
    }
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.client.end();
  }
}

function collect(fields: FieldDef[], rows: unknown[][]): { result: ResultColumns; bytes: number } {
  const nrow = rows.length;
  let bytes = 0;
  const columns = fields.map((f, c) => {
    const [kind] = typeOf(f.dataTypeID);
    if (kind === 'integer' || kind === 'float') {
      const out = new Float64Array(nrow);
      for (let r = 0; r < nrow; r++) {
        const v = rows[r][c];
        out[r] = v === null ? NaN : Number(v);
      }
      bytes += 8 * nrow;
      return out;
    }
    return rows.map((row) => {
      const v = row[c];
      const s = v === null ? null : String(v);
      bytes += s === null ? 1 : s.length;
      return s;
    });
  });
  return { result: { names: fields.map((f) => f.name), columns, nrow }, bytes };
}
