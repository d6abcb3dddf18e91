/**
 * The model options every command shares (`--factor`, `--ref`, `--contrasts`, `--family`,
 * `--link`, `--weights`, `--reml`/`--ml`, `--nagq`, `--sep`/`--dec`, `--format`) and
 * their translation to the library's FitOptions and CSV options. Flag values
 * are read strictly: `--nagq ''` or `--nagq 0x10` is an error, not 0 or 16.
 */
import { Option, type Command } from 'commander';
import type { FitOptions, FittedModel } from '../api/fit.js';
import type { CsvOptions } from '../io/csv.js';
import { MixedModelsError } from '../errors.js';
import type { OutputFormat } from '../report/render.js';
import { CONTRAST_KINDS, contrastKind, type ContrastKind, type ContrastsOption } from '../frame/contrasts.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The width of the terminal on descriptor 1 or 2 for the help (undefined: not a terminal); default: commander's, from process.stdout and process.stderr. */
  columns?(fd: 1 | 2): number | undefined;
  /** Called before a command's action runs (not for --help or --version): bin.ts's process settings. */
  beforeRun?(): void | Promise<void>;
}

export interface FitFlags {
  factor?: string;
  ref?: string[];
  contrasts?: string;
  family?: string;
  link?: string;
  weights?: string;
  offset?: string;
  format: OutputFormat;
  reml?: boolean;
  ml?: boolean;
  nagq?: string;
  nbTheta?: string;
  sep?: string;
  dec?: string;
  table?: string;
  query?: string;
  pushdown?: string;
  explain?: boolean;
}

function list(value: string | undefined): string[] {
  return value ? value.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/**
 * A whole-number flag such as `--nsim 1000`, at least `min`: decimal digits, optionally with a
 * decimal exponent (`1e4`). Anything else (empty, hexadecimal, a fraction,
 * a sign, spaces) is an error rather than a number JavaScript would make of it.
 */
export function wholeFlag(name: string, value: string, min: number): number {
  const n = /^[0-9]+(\.[0-9]*)?([eE]\+?[0-9]+)?$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new MixedModelsError(`--${name} must be a whole number >= ${min}, not '${value}'`);
  return n;
}

/** `--ref col=level` (repeatable; quotes around the level are removed): R's relevel per column. */
function referenceFlags(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (!values?.length) return undefined;
  const out: Record<string, string> = {};
  for (const v of values) {
    const at = v.indexOf('=');
    if (at <= 0) throw new MixedModelsError(`--ref must be column=level, such as --ref style="no flip", not '${v}'`);
    out[v.slice(0, at).trim()] = v.slice(at + 1).trim().replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}

/** `--contrasts sum` (every categorical variable) or `--contrasts style=sum,period=helmert`. */
function contrastsFlag(value: string | undefined): ContrastsOption | undefined {
  if (value === undefined) return undefined;
  const kind = (name: string): ContrastKind => {
    const k = contrastKind(name.trim());
    if (k === null) throw new MixedModelsError(`--contrasts: unknown contrasts '${name.trim()}'; use ${CONTRAST_KINDS.join(', ')}`);
    return k;
  };
  if (!value.includes('=')) return kind(value);
  const out: Record<string, ContrastKind> = {};
  for (const part of list(value)) {
    const at = part.indexOf('=');
    if (at <= 0) throw new MixedModelsError(`--contrasts must be a kind (sum) or variable=kind pairs (style=sum,period=helmert), not '${value}'`);
    out[part.slice(0, at).trim()] = kind(part.slice(at + 1));
  }
  return out;
}

/** REML unless --ml; both together contradict each other. */
function remlOption(flags: FitFlags): Pick<FitOptions, 'REML'> {
  if (flags.reml && flags.ml) throw new MixedModelsError('--reml and --ml contradict each other: give one of them (REML is the default)');
  return flags.ml ? { REML: false } : flags.reml ? { REML: true } : {};
}

export function fitOptions(flags: FitFlags): FitOptions {
  const reference = referenceFlags(flags.ref);
  const contrasts = contrastsFlag(flags.contrasts);
  return {
    factors: list(flags.factor),
    ...(reference ? { reference } : {}),
    ...(contrasts ? { contrasts } : {}),
    family: flags.family,
    link: flags.link,
    weights: flags.weights,
    ...remlOption(flags),
    nAGQ: flags.nagq === undefined ? undefined : wholeFlag('nagq', flags.nagq, 0),
    ...(flags.nbTheta === undefined ? {} : { nbTheta: positiveFlag('nb-theta', flags.nbTheta) }),
  };
}

/** A positive decimal number flag such as `--nb-theta 2.5` (no hex, no sign, nothing JavaScript alone would read as one). */
function positiveFlag(name: string, value: string): number {
  const x = /^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(value) ? Number(value) : NaN;
  if (!(x > 0 && Number.isFinite(x))) throw new MixedModelsError(`--${name} must be a positive number, such as 2.5, not '${value}'`);
  return x;
}

/** `--sep` (a character, or `tab`) and `--dec` as the CSV reader's options. */
export function csvOptions(flags: Pick<FitFlags, 'sep' | 'dec'>): Omit<CsvOptions, 'source'> {
  const sep = flags.sep === 'tab' || flags.sep === '\\t' ? '\t' : flags.sep;
  return { ...(sep === undefined ? {} : { sep }), ...(flags.dec === undefined ? {} : { dec: flags.dec }) };
}

/** The files a command reads: its data file, --newdata, --model and the saved model's data file. */
export async function inputFiles(file: string | undefined, flags: { model?: string; newdata?: string }): Promise<string[]> {
  const saved = flags.model === undefined ? undefined : (await import('../io/savedModel.js')).readSaved(flags.model).data.path;
  return [file, flags.newdata, flags.model, saved].filter((f): f is string => f !== undefined);
}

/** `formats`: the --format choices (fit adds csv, for its tidy tables). */
export function addModelOptions(cmd: Command, formats: readonly string[] = ['text', 'json', 'markdown']): Command {
  return cmd
    .option('--factor <columns>', 'comma-separated numeric columns to treat as categorical')
    .option('--ref <column=level>', 'reference level of a categorical column, e.g. --ref style="no flip" (repeatable)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--contrasts <kind>', 'contrasts for categorical variables: treatment (default), sum, helmert, poly; or per variable: style=sum,period=helmert')
    .option('--family <family>', 'gaussian, binomial, poisson, Gamma, inverse.gaussian or negative.binomial (default gaussian)')
    .option('--link <link>', "the family's link (default: the canonical one)")
    .option('--weights <column>', 'prior weights column')
    .option('--offset <column>', 'numeric column added to the linear predictor, as offset(column) in the formula (any fit)')
    .option('--reml', 'fit linear mixed models by REML (the default)')
    .option('--ml', 'fit linear mixed models by maximum likelihood')
    .option('--nagq <n>', 'GLMM: adaptive Gauss-Hermite points (0 = fast PIRLS, 1 = Laplace, >1 = quadrature)')
    .option('--nb-theta <theta>', 'negative.binomial: hold theta at this value (default: estimated, as glm.nb / glmer.nb)')
    .option('--sep <char>', "CSV field separator: ',' (default), ';', tab, or another character")
    .option('--dec <char>', "CSV decimal mark: '.' (default) or ','")
    .addOption(new Option('--format <format>', 'output format').choices([...formats]).default('text'))
    .option('--table <name>', 'the table to read from a database source (postgresql://, clickhouse://, duckdb:)')
    .option('--query <sql>', 'a SELECT whose rows are the data (databases; for files DuckDB reads, the file is the view `data`)')
    .addOption(new Option('--pushdown <mode>', 'fit: compute sums where the data live (auto: for databases and files DuckDB reads)').choices(['auto', 'on', 'off']).default('auto'))
    .option('--explain', 'print every SQL statement on stderr as it runs');
}

/** The data argument's connection options and, for CSV, its syntax. */
export function sourceOptions(flags: FitFlags): { table?: string; query?: string; csv: Omit<CsvOptions, 'source'> } {
  return { table: flags.table, query: flags.query, csv: csvOptions(flags) };
}

/** For commands that answer questions about a fit: `--model m.json` stands in for `<file> "<formula>"`. */
export function addSavedModelOption(cmd: Command): Command {
  return cmd.option('--model <saved.json>', "a fit saved by 'mixedmodels fit ... --save', instead of <file> and <formula>");
}

/** The flags (keys of FitFlags) that only describe a fit from <file> "<formula>", as they are written. */
const FIT_ONLY: readonly [keyof FitFlags, string][] = [
  ['factor', '--factor'], ['ref', '--ref'], ['contrasts', '--contrasts'], ['family', '--family'], ['link', '--link'], ['weights', '--weights'], ['offset', '--offset'],
  ['reml', '--reml'], ['ml', '--ml'], ['nagq', '--nagq'], ['nbTheta', '--nb-theta'], ['table', '--table'], ['query', '--query'], ['explain', '--explain'],
];

/**
 * The fit-only flags given with --model, which a saved fit would ignore (its options are saved
 * with it); --pushdown counts when it is not its default. --sep and --dec may still read --newdata.
 */
export function fitOnlyFlags(flags: FitFlags): string[] {
  const given = FIT_ONLY.filter(([key]) => flags[key] !== undefined && flags[key] !== false).map(([, flag]) => flag);
  return flags.pushdown !== undefined && flags.pushdown !== 'auto' ? [...given, '--pushdown'] : given;
}

/**
 * The model a command works on: loaded from --model, or fitted to the rows of <file> (any source) with <formula>.
 * The fitting code is loaded here, when a command runs, not when the program starts (`--help` needs none of it).
 */
export async function modelFromArgs(file: string | undefined, formula: string | undefined, flags: FitFlags & { model?: string }, extra: Partial<FitOptions> = {}): Promise<FittedModel> {
  if (flags.model !== undefined) {
    if (file !== undefined || formula !== undefined) throw new MixedModelsError('give either --model or a data file and formula, not both');
    const [flag] = fitOnlyFlags(flags);
    if (flag !== undefined) throw new MixedModelsError(`${flag} says how to fit <file> "<formula>"; a saved fit (--model) keeps the options it was fitted with: leave it out, or refit`);
    return (await import('../io/savedModel.js')).loadModel(flags.model);
  }
  if (file === undefined || formula === undefined) throw new MixedModelsError('missing the data file and formula (or --model with a saved fit)');
  if (flags.pushdown === 'on') throw new MixedModelsError('--pushdown on applies to fit; this command needs the rows');
  const [{ readSource }, { fitModel }, { withOffset }] = await Promise.all([import('../sources/readSource.js'), import('../api/fit.js'), import('./offsetFlag.js')]);
  const fitFormula = withOffset(formula, flags.offset);
  const { table } = await readSource(file, { ...sourceOptions(flags), formula: fitFormula, weights: flags.weights });
  const model = fitModel(fitFormula, table, { ...fitOptions(flags), ...extra });
  checkRemlApplies(model, flags);
  return model;
}

/**
 * --reml / --ml choose a linear mixed model's criterion; R's lm and glm and lme4's glmer have none,
 * so on those models they would be ignored: refused instead (checked on the fitted model's kind).
 */
export function checkRemlApplies(model: Pick<FittedModel, 'kind'>, flags: Pick<FitFlags, 'reml' | 'ml'>): void {
  if ((!flags.reml && !flags.ml) || model.kind === 'lmm') return;
  const what = { lm: 'a linear model (least squares)', glm: 'a generalized linear model', glmm: 'a generalized linear mixed model (maximum likelihood)' }[model.kind as 'lm' | 'glm' | 'glmm'] ?? 'not one';
  throw new MixedModelsError(`${flags.reml ? '--reml' : '--ml'} applies to linear mixed models, and this is ${what}: leave it out`);
}

/** A coverage level flag such as `--level 0.95`. */
export function levelFlag(value: string): number {
  const x = Number(value);
  if (!(x > 0 && x < 1)) throw new MixedModelsError(`--level must be a number between 0 and 1, such as 0.95, not '${value}'`);
  return x;
}

