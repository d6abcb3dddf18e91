/**
 * Data files DuckDB reads, by extension (a glob such as `logs/*.parquet` is
 * read whole): Parquet, JSON (an array or newline-delimited), and delimited
 * text (`.csv`, `.tsv`, gzip-compressed or not). Text is read with R's
 * read.csv notion of missing values (empty fields and `NA`).
 */
import { MixedModelsError } from '../errors.js';
import type { Dialect } from './dialect.js';

export interface FileReader {
  /** What the file is, for messages (`.parquet`). */
  kind: string;
  /** The table function reading it. */
  relation(dialect: Dialect): string;
}

const KINDS: [RegExp, string, (path: string) => string][] = [
  [/\.parquet$/i, '.parquet', (p) => `read_parquet(${p})`],
  [/\.ndjson$/i, '.ndjson', (p) => `read_json(${p}, format = 'newline_delimited')`],
  [/\.json$/i, '.json', (p) => `read_json(${p})`],
  [/\.csv(\.gz)?$/i, '.csv', (p) => `read_csv(${p}, header = true, nullstr = ['NA', ''])`],
  [/\.tsv(\.gz)?$/i, '.tsv', (p) => `read_csv(${p}, header = true, delim = '\t', nullstr = ['NA', ''])`],
];

/** The DuckDB reader for a file path, or a clear error for an extension it does not read. */
export function duckdbFileReader(path: string): FileReader {
  const found = KINDS.find(([re]) => re.test(path));
  if (!found) {
    throw new MixedModelsError(
      `cannot tell how to read '${path}': name a .csv, .csv.gz, .tsv, .parquet, .json, .ndjson, .arrow or .feather file, ` +
        'a postgresql:// or clickhouse:// URL, or duckdb:file.duckdb',
    );
  }
  const [, kind, fn] = found;
  return { kind, relation: (d) => fn(d.string(path)) };
}
