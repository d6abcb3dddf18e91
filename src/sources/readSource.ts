/**
 * Node-only: the data argument of a command as a DataTable, whatever it names:
 *
 * - `-`: CSV on standard input; a `.csv` file: our reader (R's read.csv semantics);
 * - `.arrow` / `.feather`: an Arrow IPC file (`apache-arrow`, an optional dependency);
 * - anything `connect` opens (files DuckDB reads, duckdb:, PostgreSQL, ClickHouse),
 *   pulled whole, or only the columns a formula uses.
 *
 * With `viaDuckdb`, a `.csv` file is read by DuckDB like the other files.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { DataTable } from '../data/types.js';
import { toTable } from '../data/table.js';
import { MixedModelsError } from '../errors.js';
import { expandFormula, parseFormula } from '../formula/index.js';
import { columnsOf, modelVariables } from '../frame/variables.js';
import { parseCsv, type CsvOptions } from '../io/csv.js';
import { readCsvFile } from '../io/readTable.js';
import { connect, type ConnectOptions } from './connect.js';
import { duckdbFileReader } from './files.js';
import { optionalModule } from './optionalModule.js';
import { readRelation } from './readRelation.js';
import type { Source } from './source.js';

export interface ReadSourceOptions extends ConnectOptions {
  /** Pull only the columns this formula uses (and `weights`). */
  formula?: string;
  weights?: string;
  /** Read a .csv file through DuckDB rather than our reader. */
  viaDuckdb?: boolean;
  /** Our CSV reader's syntax (separator, decimal mark) for a .csv file or standard input. */
  csv?: Omit<CsvOptions, 'source'>;
}

/** How the data were read, for the JSON's `source` field. */
export interface ReadSummary {
  engine: string;
  source: Source | null;
}

/** Names of what `connect` opens: database URLs, duckdb: files, and files DuckDB reads by extension (or globs). */
const ENGINE_SPEC = /^(postgres(ql)?:\/\/|clickhouse:\/\/|duckdb:)/i;
const DUCKDB_FILE = /\.(parquet|ndjson|json|csv\.gz|tsv|tsv\.gz)$/i;

export function isArrowFile(spec: string): boolean {
  return /\.(arrow|feather)$/i.test(spec);
}

/**
 * Whether the data argument is read in memory by our own readers: standard
 * input, Arrow files, a .csv file (unless `viaDuckdb`), and any other file
 * name that is neither a URL nor a file DuckDB reads: read as CSV, as R's
 * read.csv reads whatever file it is given (data.txt, a device is refused there);
 * a .tsv file when `csv` gives a separator or decimal mark.
 */
export function isMemorySpec(spec: string, viaDuckdb = false, csv: Omit<CsvOptions, 'source'> = {}): boolean {
  if (spec === '-' || isArrowFile(spec)) return true;
  if (/\.csv$/i.test(spec)) return !viaDuckdb;
  // A .tsv file goes to DuckDB, unless the user gave our reader's syntax (--sep, --dec) for it.
  if (/\.tsv$/i.test(spec) && (csv.sep !== undefined || csv.dec !== undefined)) return !viaDuckdb;
  return !ENGINE_SPEC.test(spec) && !DUCKDB_FILE.test(spec) && !/[*?[]/.test(spec);
}

/** The columns of `table` that `formula` (and weights) use, `.` expanded against `names`. */
export function formulaColumns(formula: string, names: readonly string[], weights?: string): string[] {
  const expanded = expandFormula(parseFormula(formula), names);
  const used = new Set<string>();
  for (const node of modelVariables(expanded).values()) for (const c of columnsOf(node)) used.add(c);
  if (weights !== undefined) used.add(weights);
  return [...used].filter((c) => names.includes(c));
}

async function readArrow(path: string): Promise<DataTable> {
  const arrow = await optionalModule('apache-arrow', () => import('apache-arrow'), `reading ${path.replace(/^.*\./, '.')}`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new MixedModelsError(`cannot read '${path}': no such file`);
  }
  try {
    return toTable(arrow.tableFromIPC(bytes));
  } catch (err) {
    if (err instanceof MixedModelsError) throw err;
    throw new MixedModelsError(`${path}: not an Arrow IPC file (${(err as Error).message.split('\n')[0]})`);
  }
}

function readStdin(csv: Omit<CsvOptions, 'source'> = {}): DataTable {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(0);
  } catch {
    throw new MixedModelsError('cannot read CSV from standard input');
  }
  return parseCsv(bytes, { ...csv, source: 'standard input' });
}

/** Reads the data argument whole (see the module comment); the source is closed before returning. */
export async function readSource(spec: string, options: ReadSourceOptions = {}): Promise<{ table: DataTable; summary: ReadSummary }> {
  if (spec === '-') return { table: readStdin(options.csv), summary: { engine: 'csv', source: null } };
  if (isMemorySpec(spec, options.viaDuckdb, options.csv)) {
    if (options.table !== undefined || options.query !== undefined) throw new MixedModelsError(`--table and --query apply to databases and files DuckDB reads, not to ${spec}`);
    const arrow = isArrowFile(spec);
    // A name that is neither a known extension nor an existing file: say what can be read.
    if (!arrow && !/\.(csv|tsv)$/i.test(spec) && !existsSync(spec)) duckdbFileReader(spec);
    const table = arrow ? await readArrow(spec) : readCsvFile(spec, options.csv);
    return { table, summary: { engine: arrow ? 'arrow' : 'csv', source: null } };
  }
  const source = await connect(spec, options);
  try {
    const names = (await source.columns()).map((c) => c.name);
    const wanted = options.formula === undefined ? undefined : formulaColumns(options.formula, names, options.weights);
    return { table: await readRelation(source, wanted), summary: { engine: source.engine, source } };
  } finally {
    await source.close();
  }
}
