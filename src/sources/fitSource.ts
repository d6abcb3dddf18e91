/**
 * Node-only: fit a model to data wherever they are (the CLI's `fit <source>`).
 *
 * Pushdown (`auto`: on for databases and files DuckDB reads, off for CSV read
 * in memory; `on`: also a CSV file, read by DuckDB; `off`: the model's columns
 * are read and fitted in memory):
 * - linear mixed models: the blocks of A from GROUP BY sums (lmm/lmerSource.ts);
 * - generalized linear mixed models: rows collapsed in the engine, or PIRLS in
 *   the engine for a scalar random effect on large data (glmm/glmerSource.ts);
 * - models without random effects, and formulas with terms the SQL translation
 *   lacks (pushdown auto), read the model's columns, and say so.
 * The model carries `source`: the engine, what it computed, and its cost.
 */
import { statSync } from 'node:fs';
import { fitModel, type DataSourceSummary, type FitOptions, type FittedModel } from '../api/fit.js';
import { fitOptionEntries } from '../api/fitOptions.js';
import type { DataTable } from '../data/types.js';
import { MixedModelsError } from '../errors.js';
import { unknownReferenceError, unusedReferenceError } from '../frame/modelFrame.js';
import { expandFormula, parseFormula } from '../formula/index.js';
import { formatBytes } from '../inference/bootstrap/limits.js';
import { MAX_FILE_BYTES } from '../io/readFile.js';
import { connect, type ConnectOptions } from './connect.js';
import { sqlFrame, type SqlFrame } from './frame/sqlFrame.js';
import { PushdownUnsupported } from './frame/unsupported.js';
import { glmerFromSource } from './glmm/glmerSource.js';
import { lmerFromSource } from './lmm/lmerSource.js';
import { readRelation } from './readRelation.js';
import { formulaColumns, isMemorySpec, readSource } from './readSource.js';
import type { CsvOptions } from '../io/csv.js';
import type { Source } from './source.js';

/**
 * Whether the engine computes the model's sums: `auto` (on for databases and files DuckDB reads), `on` (an error where it cannot) or `off`.
 */
export type PushdownMode = 'auto' | 'on' | 'off';

export interface SourceFitOptions extends FitOptions, ConnectOptions {
  pushdown?: PushdownMode;
  /** Compute an LMM's residual summary where the data live (one more pass; the text summary shows it). */
  residuals?: boolean;
  /** Called with every SQL statement before it runs (--explain). */
  onQuery?: (sql: string) => void;
  /** Our CSV reader's syntax for a .csv file or standard input (readSource). */
  csv?: Omit<CsvOptions, 'source'>;
}

/** The JSON's `source`: for an engine its statistics (seconds waiting for it); in memory the rows and the seconds reading them. */
function summary(engine: string, pushdown: string, source: Source | null, rows: number, started: number): DataSourceSummary {
  const s = source?.stats;
  return { engine, pushdown, queries: s?.queries ?? 0, rowsScanned: s?.rowsScanned ?? rows, bytesFetched: s?.bytesFetched ?? 0, seconds: s?.seconds ?? (performance.now() - started) / 1000 };
}

/** The model with its source and, first among the frame's messages, why its rows were read. */
function withNote<M extends FittedModel>(model: M, note: string | null, source: DataSourceSummary): M {
  return note === null ? { ...model, source } : { ...model, source, frame: { ...model.frame, messages: [note, ...model.frame.messages] } };
}

/** The model's own options (FitOptions) without the source's (table, query, pushdown, ...), which fitModel refuses. */
function modelOptions(options: SourceFitOptions): FitOptions {
  return Object.fromEntries(Object.entries(options).filter(([key, value]) => key in fitOptionEntries && value !== undefined)) as FitOptions;
}

/** Which model the formula and options call for (api/fit.ts fitModel's rule). */
function modelKind(formula: string, names: readonly string[], options: FitOptions): 'fixed' | 'lmm' | 'glmm' {
  const f = expandFormula(parseFormula(formula), names);
  if (f.random.length === 0) return 'fixed';
  const gaussian = (options.family ?? 'gaussian') === 'gaussian' && (options.link ?? 'identity') === 'identity';
  return gaussian ? 'lmm' : 'glmm';
}

async function inMemory(source: Source, formula: string, options: SourceFitOptions): Promise<DataTable> {
  const names = (await source.columns()).map((c) => c.name);
  return readRelation(source, formulaColumns(formula, names, typeof options.weights === 'string' ? options.weights : undefined));
}

/**
 * As in memory (frame/modelFrame.ts), a reference level must be for a column a
 * categorical variable of the model comes from: one given for an unknown,
 * unused or numeric column would otherwise be ignored.
 */
function checkSqlReferences(sql: SqlFrame, reference: SourceFitOptions['reference']): void {
  const categorical = new Set([...sql.variables.values()].flatMap((v) => (v.kind === 'categorical' ? [v.column] : [])));
  const used = new Set([...sql.variables.values()].flatMap((v) => (v.kind === 'categorical' || v.kind === 'numeric' ? [v.column ?? ''] : [])));
  for (const name of Object.keys(reference ?? {})) {
    if (categorical.has(name)) continue;
    if (!sql.columns.has(name)) throw unknownReferenceError(name, [...sql.columns.keys()]);
    // A column the SQL frame uses without making it categorical is a numeric one.
    throw unusedReferenceError(name, used.has(name), true);
  }
}

async function pushedDown(source: Source, formula: string, options: SourceFitOptions, started: number): Promise<FittedModel> {
  const names = (await source.columns()).map((c) => c.name);
  const kind = modelKind(formula, names, options);
  const weights = typeof options.weights === 'string' ? options.weights : undefined;
  if (options.weights !== undefined && weights === undefined) throw new MixedModelsError('weights for a database source must name a column');
  let note: string | null = null;
  if (kind === 'fixed' && options.pushdown === 'on') {
    throw new MixedModelsError('--pushdown on: models without random effects are fitted from the rows; use --pushdown auto or off');
  }
  if (kind !== 'fixed') {
    try {
      const sql = await sqlFrame(source, expandFormula(parseFormula(formula), names), { factors: options.factors, weights });
      checkSqlReferences(sql, options.reference);
      if (kind === 'lmm') {
        const { model } = await lmerFromSource(sql, formula, options);
        return { ...model, source: summary(source.engine, 'sums', source, 0, started) };
      }
      const { model, pushdown } = await glmerFromSource(sql, formula, options);
      return { ...model, source: summary(source.engine, pushdown, source, 0, started) };
    } catch (err) {
      if (!(err instanceof PushdownUnsupported) || options.pushdown === 'on') throw err;
      note = `pushdown off: ${err.message}; the model's columns were read instead`;
    }
  }
  const table = await inMemory(source, formula, options);
  return withNote(fitModel(formula, table, modelOptions(options)), note, summary(source.engine, 'none', source, table.nrow, started));
}

/**
 * A .csv (or .tsv) file larger than a file read whole can be (2 GiB, Node's limit for one read):
 * the reader would refuse it; say so, and that --pushdown on reads it with DuckDB instead. Other
 * files, and names that are not regular files, are left to the reader and its messages.
 */
function tooLargeForMemory(spec: string): void {
  if (!/\.(csv|tsv)$/i.test(spec)) return;
  let size: number;
  try {
    const stat = statSync(spec);
    if (!stat.isFile()) return;
    size = stat.size;
  } catch {
    return;
  }
  if (size > MAX_FILE_BYTES) {
    throw new MixedModelsError(`the data file '${spec}' is ${formatBytes(size)}, more than the ${formatBytes(MAX_FILE_BYTES)} a file read in memory can be: with --pushdown on, DuckDB reads it instead and computes the model's sums where the model allows`);
  }
}

/**
 * Fits a model to data where they live (a file DuckDB reads, a DuckDB, PostgreSQL or ClickHouse database): LMM sums and GLMM counts computed in the engine where possible (`pushdown`), otherwise the model's columns read.
 * @example
 * ```ts
 * const model = await fitSource('postgresql://me@db/shop', 'y ~ x + (1 | g)', { table: 'sales' });
 * model.source; // { engine, pushdown, queries, rowsScanned, bytesFetched, seconds }
 * ```
 */
export async function fitSource(spec: string, formula: string, options: SourceFitOptions = {}): Promise<FittedModel> {
  const started = performance.now();
  const mode = options.pushdown ?? 'auto';
  if (mode !== 'auto' && mode !== 'on' && mode !== 'off') throw new MixedModelsError(`--pushdown must be auto, on or off, not '${mode}'`);
  if (isMemorySpec(spec, mode === 'on', options.csv)) {
    if (mode === 'on') throw new MixedModelsError(`--pushdown on needs a database or a file DuckDB reads; ${spec} is read in memory`);
    if (mode === 'auto') tooLargeForMemory(spec);
    const { table, summary: read } = await readSource(spec, { table: options.table, query: options.query, csv: options.csv });
    const source = summary(read.engine, 'none', null, table.nrow, started);
    return { ...fitModel(formula, table, modelOptions(options)), source };
  }
  const source = await connect(spec, { table: options.table, query: options.query });
  source.onQuery = options.onQuery ?? null;
  try {
    if (mode === 'off') {
      const table = await inMemory(source, formula, options);
      return { ...fitModel(formula, table, modelOptions(options)), source: summary(source.engine, 'none', source, table.nrow, started) };
    }
    return await pushedDown(source, formula, options, started);
  } finally {
    await source.close();
  }
}
