/**
 * A data source: a relation (a table, a query, or files) in an engine that
 * runs SQL, and the connection that reaches it. The pushdown code
 * (sources/frame, sources/lmm, sources/glmm) writes SQL through the source's
 * Dialect and reads results column by column; adding an engine is writing a
 * Dialect (dialects/) and a SqlClient (clients/), then naming its URL scheme
 * in connect.ts.
 */
import type { Dialect } from './dialect.js';

/** The engines built in; a new client names its own. */
export type EngineName = 'duckdb' | 'postgresql' | 'clickhouse' | (string & {});

/** How a column's values are read: numbers, TRUE/FALSE, or text (anything else). */
export type ColumnKind = 'integer' | 'float' | 'boolean' | 'text';

/** A column of a source's relation: its name and kind (numeric, logical or text). */
export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
  /** The engine's own type name (e.g. `INTEGER`, `Nullable(String)`), for tables attached to queries. */
  sqlType: string;
  /** false when the engine says the column holds no NULL (ClickHouse's non-Nullable types); absent when unknown. */
  nullable?: boolean;
}

/** A query's result by columns: numeric columns as Float64Array (NULL -> NaN), text as strings (NULL -> null). */
export interface ResultColumns {
  names: string[];
  columns: (Float64Array | (string | null)[])[];
  nrow: number;
}

/**
 * A small table sent along with one query (e.g. the current conditional modes
 * per group), named `name` in it: a temporary table, or ClickHouse's external
 * data. Keys are given as the engine returned them (text, or numbers), other
 * values as doubles; each client writes them in its own way.
 */
export interface AttachedTable {
  name: string;
  columns: { name: string; sqlType: string }[];
  /** One array per column. */
  values: (readonly string[] | Float64Array)[];
}

/** The engine side: a connection that runs SQL (one implementation per engine, in clients/). */
export interface SqlClient {
  readonly engine: EngineName;
  readonly dialect: Dialect;
  /** Runs one statement; `bytes` is the size of the result as it travelled (or 8 per number and the text lengths). */
  run(sql: string, attached?: readonly AttachedTable[]): Promise<{ result: ResultColumns; bytes: number }>;
  /** Names and kinds of the columns a SELECT returns, without reading its rows. */
  describe(select: string): Promise<ColumnInfo[]>;
  /** Releases the connection (and its temporary tables). */
  close(): Promise<void>;
}

/** What a fit asked of its source (the JSON's `source` field). */
export interface SourceStats {
  queries: number;
  /** Rows read by the engine: the relation's rows for every query that scanned it. */
  rowsScanned: number;
  bytesFetched: number;
  /** Wall time spent waiting for the engine. */
  seconds: number;
}

/**
 * Data where they live: a relation in an engine, with its dialect, a way to run queries and describe columns, and statistics of what ran.
 */
export interface Source {
  readonly engine: EngineName;
  readonly dialect: Dialect;
  /** The source as the user named it, without any password. */
  readonly name: string;
  /** What to write after FROM: a quoted table, a table function over files, or a parenthesised query with an alias. */
  readonly relation: string;
  readonly stats: SourceStats;
  /** The relation's columns. */
  columns(): Promise<ColumnInfo[]>;
  /**
   * Runs one statement. `scans`: the number of relation rows it reads, added to
   * stats.rowsScanned. Errors become one-line MixedModelsErrors naming the source.
   */
  query(sql: string, options?: { attached?: readonly AttachedTable[]; scans?: number }): Promise<ResultColumns>;
  /** Called with every statement before it runs (the CLI's --explain). */
  onQuery: ((sql: string) => void) | null;
  /** Releases the connection (and its temporary tables). */
  close(): Promise<void>;
}
