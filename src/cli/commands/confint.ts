/**
 * `mixedmodels confint <file> "<formula>" [--method profile|wald|boot] [--level 0.95]`:
 * fits a model and prints confidence intervals for its parameters
 * (lme4's confint(m, oldNames = FALSE); for an lm or a GLM, R's confint). Text is R's print of the interval
 * matrix (columns `2.5 %` and `97.5 %`, NA where the method gives none); JSON
 * an array of {parameter, lower, upper} (null for NA); markdown a table.
 * Messages (failed bootstrap refits, NA profile limits) go to stderr as notes.
 * A long bootstrap runs on worker threads (src/node/bootstrapWorkers.ts decides
 * from a timed pilot; the same replicates as in one thread).
 */
import { Option, type Command } from 'commander';
import type { FittedModel } from '../../api/fit.js';
import type { ConfidenceInterval, ConfintMethod, ConfintReport } from '../../inference/confint.js';
import { formatColumn, markdownTable, textTable } from '../../report/format.js';
import type { OutputFormat } from '../../report/render.js';
import { addModelOptions, addSavedModelOption, levelFlag, modelFromArgs, wholeFlag, type CliIO, type FitFlags } from '../modelOptions.js';

interface ConfintFlags extends FitFlags {
  method?: ConfintMethod;
  level: string;
  nsim: string;
  seed: string;
  model?: string;
}

/** The intervals; a bootstrap of a mixed model through bootstrapParallel, which starts worker threads when they pay. */
async function intervals(model: FittedModel, method: ConfintMethod | undefined, level: number, nsim: number, seed: number): Promise<ConfintReport> {
  const { bootReport, confidenceIntervals } = await import('../../inference/confint.js');
  if (method !== 'boot' || (model.kind !== 'lmm' && model.kind !== 'glmm')) return confidenceIntervals(model, { method, level, nsim, seed });
  const { bootstrapParallel } = await import('../../node/bootstrapWorkers.js');
  return bootReport(await bootstrapParallel(model, { nsim, seed, level }));
}

/** R's column label for a tail probability: `2.5 %`, `97.5 %`. */
function percent(p: number): string {
  return `${Number((100 * p).toPrecision(3))} %`;
}

/** A column of bounds, 7 significant digits with common decimals as R prints the matrix; NA for null. */
function column(xs: readonly (number | null)[]): string[] {
  const formatted = formatColumn(xs.map((x) => x ?? NaN), 7);
  return formatted.map((s, i) => (xs[i] === null ? 'NA' : s));
}

export function formatConfint(rows: readonly ConfidenceInterval[], level: number, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n';
  const alpha = (1 - level) / 2;
  const lower = column(rows.map((r) => r.lower)), upper = column(rows.map((r) => r.upper));
  const cells = rows.map((r, i) => [r.parameter, lower[i], upper[i]]);
  const header = [percent(alpha), percent(1 - alpha)];
  if (format === 'markdown') return markdownTable(['Parameter', ...header], cells) + '\n';
  return textTable(['', ...header], cells) + '\n';
}

export function registerConfint(program: Command, io: CliIO): void {
  addSavedModelOption(addModelOptions(program
    .command('confint')
    .description('confidence intervals for a model\'s parameters: likelihood profile (default), Wald or parametric bootstrap; an lm\'s t intervals (R confint.lm)')
    .argument('[file]', 'CSV file with a header row')
    .argument('[formula]', 'model formula, e.g. "Reaction ~ Days + (Days | Subject)"')
    .addOption(new Option('--method <method>', 'how the intervals are computed (default: profile; an lm: its t intervals)').choices(['profile', 'wald', 'boot']))
    .option('--level <p>', 'confidence level', '0.95')
    .option('--nsim <n>', 'boot: number of bootstrap samples', '1000')
    .option('--seed <s>', 'boot: seed of the random generator', '1')))
    .action(async (file: string | undefined, formula: string | undefined, flags: ConfintFlags) => {
      const level = levelFlag(flags.level);
      const nsim = wholeFlag('nsim', flags.nsim, 1), seed = wholeFlag('seed', flags.seed, 0);
      const model = await modelFromArgs(file, formula, flags);
      const report = await intervals(model, flags.method, level, nsim, seed);
      for (const m of report.messages) io.stderr(`note: ${m}\n`);
      io.stdout(formatConfint(report.intervals, level, flags.format));
    });
}
