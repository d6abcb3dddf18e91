/**
 * ClickHouse over its HTTP interface with Node's http module (no
 * dependency: httpPost.ts), in the SQL that 18.16 runs: results in its Native format
 * (clickhouseNative.ts), or as TabSeparatedWithNamesAndTypes when a column's
 * type is not read there (18.16 has no JSONCompactEachRow, Parquet or Arrow
 * output), a table attached to a query as external data (multipart
 * upload, the query in the URL), credentials by HTTP basic authentication.
 */
import { MixedModelsError } from '../../errors.js';
import { doubleText } from '../dialect.js';
import { clickhouseDialect } from '../dialects/clickhouse.js';
import { parseNative } from './clickhouseNative.js';
import { httpPost, multipart, type HttpReply } from './httpPost.js';
import type { AttachedTable, ColumnInfo, ColumnKind, ResultColumns, SqlClient } from '../source.js';

export interface ClickHouseOptions {
  /** http://host:port/ */
  endpoint: string;
  database: string;
  user: string | null;
  password: string | null;
}

/** The type inside Nullable(...) / LowCardinality(...). */
function baseType(type: string): string {
  const m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(type);
  return m ? baseType(m[1]) : type;
}

function kindOf(type: string): ColumnKind {
  const t = baseType(type);
  if (/^Float(32|64)$/.test(t) || /^Decimal/.test(t)) return 'float';
  if (/^U?Int(8|16|32|64)$/.test(t)) return 'integer';
  return 'text';
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', r: '\r', n: '\n', t: '\t', 0: '\0', "'": "'", '\\': '\\' };

function unescape(field: string): string {
  return field.includes('\\') ? field.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c) : field;
}

function parseNumber(field: string): number {
  if (field === '\\N') return NaN;
  if (field === 'inf' || field === '+inf') return Infinity;
  if (field === '-inf') return -Infinity;
  return Number(field);
}

/** TabSeparatedWithNamesAndTypes -> columns. */
export function parseTsv(text: string): ResultColumns {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length < 2) return { names: [], columns: [], nrow: 0 };
  const names = lines[0].split('\t').map(unescape);
  const types = lines[1].split('\t').map(unescape);
  const nrow = lines.length - 2;
  const numeric = types.map((t) => kindOf(t) !== 'text');
  const columns: (Float64Array | (string | null)[])[] = numeric.map((isNum) => (isNum ? new Float64Array(nrow) : new Array<string | null>(nrow)));
  for (let r = 0; r < nrow; r++) {
    const fields = lines[r + 2].split('\t');
    for (let c = 0; c < names.length; c++) {
      const f = fields[c] ?? '\\N';
      const col = columns[c];
      if (col instanceof Float64Array) col[r] = parseNumber(f);
      else col[r] = f === '\\N' ? null : unescape(f);
    }
  }
  return { names, columns, nrow };
}

/** An attached table as TabSeparated rows (text escaped, numbers exact, NaN as NULL). */
function tsvBody(t: AttachedTable): string {
  const n = t.values[0]?.length ?? 0;
  const field = (col: readonly string[] | Float64Array, r: number): string => {
    if (col instanceof Float64Array) return Number.isNaN(col[r]) ? '\\N' : doubleText(col[r]);
    return col[r].replace(/[\\\t\n]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\\\'));
  };
  let out = '';
  for (let r = 0; r < n; r++) out += t.values.map((col) => field(col, r)).join('\t') + '\n';
  return out;
}

/** The server's message without its boilerplate: `Code: 60, e.displayText() = DB::Exception: X, e.what() = ...` -> `X`. */
function serverMessage(body: string): string {
  const m = /e\.displayText\(\) = (?:DB::Exception: )?(.*?)(?:, e\.what\(\) = .*)?$/s.exec(body.trim());
  return (m ? m[1] : body.trim()).replace(/\s+/g, ' ').replace(/\.$/, '');
}

export class ClickHouseClient implements SqlClient {
  readonly engine = 'clickhouse';
  readonly dialect = clickhouseDialect;
  constructor(private readonly options: ClickHouseOptions) {}

  private url(params: Record<string, string>): string {
    const u = new URL(this.options.endpoint);
    u.searchParams.set('database', this.options.database);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u.toString();
  }

  private headers(): Record<string, string> {
    const { user, password } = this.options;
    if (user === null) return {};
    return { Authorization: `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}` };
  }

  private async post(sql: string, attached: readonly AttachedTable[] = [], format = 'TabSeparatedWithNamesAndTypes'): Promise<Uint8Array> {
    const query = `${sql}\nFORMAT ${format}`;
    let reply: HttpReply;
    try {
      if (attached.length > 0) {
        const params: Record<string, string> = { query };
        for (const t of attached) params[`${t.name}_structure`] = t.columns.map((c) => `${c.name} ${c.sqlType}`).join(', ');
        const form = multipart(attached.map((t) => ({ name: t.name, data: tsvBody(t) })));
        reply = await httpPost(this.url(params), form.body, { ...this.headers(), 'Content-Type': form.contentType });
      } else {
        reply = await httpPost(this.url({}), query, this.headers());
      }
    } catch (err) {
      const e = err as { code?: string; message?: string };
      throw new MixedModelsError(e.code === 'ECONNREFUSED' ? 'connection refused' : e.message ?? String(err));
    }
    if (reply.status < 200 || reply.status >= 300) throw new MixedModelsError(serverMessage(new TextDecoder().decode(reply.body)));
    return reply.body;
  }

  /** Results in the Native format (clickhouseNative.ts); in text when a column's type is not read there. */
  async run(sql: string, attached: readonly AttachedTable[] = []): Promise<{ result: ResultColumns; bytes: number }> {
    const native = await this.post(sql, attached, 'Native');
    const result = parseNative(native);
    if (result !== null) return { result, bytes: native.length };
    const text = await this.post(sql, attached);
    return { result: parseTsv(new TextDecoder().decode(text)), bytes: native.length + text.length };
  }

  async describe(select: string): Promise<ColumnInfo[]> {
    const text = new TextDecoder().decode(await this.post(`SELECT * FROM (${select}) LIMIT 0`));
    const lines = text.split('\n');
    if (lines.length < 2) return [];
    const names = lines[0].split('\t').map(unescape);
    const types = lines[1].split('\t').map(unescape);
    return names.map((name, i) => ({ name, kind: kindOf(types[i]), sqlType: types[i], nullable: /^(LowCardinality\()?Nullable\(/.test(types[i]) }));
  }

  /** Nothing to close (each statement is one HTTP request). */
  async close(): Promise<void> {}
}
