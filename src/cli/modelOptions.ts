/**
 * The model options every command shares (`--factor`, `--family`, `--link`,
 * `--weights`, `--reml`/`--ml`, `--nagq`, `--format`) and their translation to
 * the library's FitOptions.
 */
import { Option, type Command } from 'commander';
import { fitModel, type FitOptions, type FittedModel } from '../api/fit.js';
import { readSource } from '../sources/readSource.js';
import { loadModel } from '../io/savedModel.js';
import { MixedModelsError } from '../errors.js';
import type { OutputFormat } from '../report/render.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface FitFlags {
  factor?: string;
  family?: string;
  link?: string;
  weights?: string;
  format: OutputFormat;
  reml: boolean;
  ml?: boolean;
  nagq?: string;
  table?: string;
  query?: string;
  pushdown?: string;
  explain?: boolean;
}

function list(value: string | undefined): string[] {
  return value ? value.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

function integerFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new MixedModelsError(`--${name} must be a non-negative whole number, not '${value}'`);
  return n;
}

export function fitOptions(flags: FitFlags): FitOptions {
  return {
    factors: list(flags.factor),
    family: flags.family,
    link: flags.link,
    weights: flags.weights,
    REML: !flags.ml,
    nAGQ: integerFlag('nagq', flags.nagq),
  };
}

export function addModelOptions(cmd: Command): Command {
  return cmd
    .option('--factor <columns>', 'comma-separated numeric columns to treat as categorical')
    .option('--family <family>', 'gaussian, binomial, poisson, Gamma or inverse.gaussian (default gaussian)')
    .option('--link <link>', "the family's link (default: the canonical one)")
    .option('--weights <column>', 'prior weights column')
    .option('--reml', 'fit linear mixed models by REML (the default)', true)
    .option('--ml', 'fit linear mixed models by maximum likelihood')
    .option('--nagq <n>', 'GLMM: adaptive Gauss-Hermite points (0 = fast PIRLS, 1 = Laplace, >1 = quadrature)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--table <name>', 'the table to read from a database source (postgresql://, clickhouse://, duckdb:)')
    .option('--query <sql>', 'a SELECT whose rows are the data (databases; for files DuckDB reads, the file is the view `data`)')
    .addOption(new Option('--pushdown <mode>', 'fit: compute sums where the data live (auto: for databases and files DuckDB reads)').choices(['auto', 'on', 'off']).default('auto'))
    .option('--explain', 'print every SQL statement on stderr as it runs');
}

/** The data argument's connection options. */
export function sourceOptions(flags: FitFlags): { table?: string; query?: string } {
  return { table: flags.table, query: flags.query };
}

/** For commands that answer questions about a fit: `--model m.json` stands in for `<file> "<formula>"`. */
export function addSavedModelOption(cmd: Command): Command {
  return cmd.option('--model <saved.json>', "a fit saved by 'mixedmodels fit ... --save', instead of <file> and <formula>");
}

/** The model a command works on: loaded from --model, or fitted to the rows of <file> (any source) with <formula>. */
export async function modelFromArgs(file: string | undefined, formula: string | undefined, flags: FitFlags & { model?: string }, extra: Partial<FitOptions> = {}): Promise<FittedModel> {
  if (flags.model !== undefined) {
    if (file !== undefined || formula !== undefined) throw new MixedModelsError('give either --model or a data file and formula, not both');
    return loadModel(flags.model);
  }
  if (file === undefined || formula === undefined) throw new MixedModelsError('missing the data file and formula (or --model with a saved fit)');
  if (flags.pushdown === 'on') throw new MixedModelsError('--pushdown on applies to fit; this command needs the rows');
  const { table } = await readSource(file, { ...sourceOptions(flags), formula, weights: flags.weights });
  return fitModel(formula, table, { ...fitOptions(flags), ...extra });
}

/** A coverage level flag such as `--level 0.95`. */
export function levelFlag(value: string): number {
  const x = Number(value);
  if (!(x > 0 && x < 1)) throw new MixedModelsError(`--level must be a number between 0 and 1, such as 0.95, not '${value}'`);
  return x;
}

/** A whole-number flag such as `--nsim 1000`, at least `min`. */
export function wholeFlag(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new MixedModelsError(`--${name} must be a whole number >= ${min}, not '${value}'`);
  return n;
}
