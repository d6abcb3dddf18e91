/**
 * `mixedmodels predict <file> "<formula>" [--newdata new.csv] ...`: fits the
 * model (mixed, lm or GLM), predicts for newdata's rows (or the fitted rows) and prints
 * `{ predictions: [{ fit, lower, upper }], messages }` (JSON; missing values
 * are null) or a table, in newdata's row order. Notes go to stderr.
 * `--method boot --nsim N --seed S` gives parametric-bootstrap intervals (LMMs and GLMMs).
 */
import { Option, type Command } from 'commander';
import { MixedModelsError } from '../../errors.js';
import type { Prediction, PredictOptions } from '../../inference/predict/predict.js';
import { markdownTable, signif, textTable } from '../../report/format.js';
import type { OutputFormat } from '../../report/render.js';
import { addModelOptions, addSavedModelOption, csvOptions, levelFlag, modelFromArgs, wholeFlag, type CliIO, type FitFlags } from '../modelOptions.js';

interface PredictFlags extends FitFlags {
  ml?: boolean;
  newdata?: string;
  population?: boolean;
  allowNewLevels?: boolean;
  type: 'link' | 'response';
  interval: 'none' | 'confidence' | 'prediction';
  level: string;
  method: 'analytic' | 'boot';
  nsim: string;
  seed: string;
}

/**
 * Options that only act through another: --level and --method on an interval, --nsim and
 * --seed on a bootstrap, --allow-new-levels on new data's random effects. `given(name)`:
 * the option is on the command line (not its default).
 */
function checkPredictFlags(flags: PredictFlags, given: (name: string) => boolean): void {
  const orphan = (names: string[]) => names.find(given);
  const intervalFlag = flags.interval === 'none' ? orphan(['level', 'method']) : undefined;
  if (intervalFlag !== undefined) throw new MixedModelsError(`--${intervalFlag} applies to intervals: add --interval confidence or prediction`);
  const bootFlag = flags.method === 'boot' ? undefined : orphan(['nsim', 'seed']);
  if (bootFlag !== undefined) throw new MixedModelsError(`--${bootFlag} applies to bootstrap intervals: add --method boot${flags.interval === 'none' ? ' and --interval confidence or prediction' : ''}`);
  if (flags.allowNewLevels && flags.population) throw new MixedModelsError('--allow-new-levels has no effect with --population, which predicts without random effects: leave one of them out');
  if (flags.allowNewLevels && flags.newdata === undefined) throw new MixedModelsError('--allow-new-levels applies to --newdata: the fitted rows have no new levels');
}

export function registerPredict(program: Command, io: CliIO): void {
  addSavedModelOption(addModelOptions(
    program
      .command('predict')
      .description('fit a model and predict for new data (lme4 predict, R predict.lm / predict.glm), with optional intervals')
      .argument('[file]', 'CSV file the model is fitted to')
      .argument('[formula]', 'model formula, e.g. "Reaction ~ Days + (Days | Subject)"')
      .option('--newdata <file>', 'CSV file with the rows to predict (default: the fitted rows)')
      .option('--population', 'fixed effects only (lme4 re.form = NA)')
      .option('--allow-new-levels', 'predict grouping levels the fit has not seen with a zero random effect')
      .addOption(new Option('--type <type>', 'scale of the predictions').choices(['link', 'response']).default('response'))
      .addOption(new Option('--interval <kind>', 'interval around each prediction').choices(['none', 'confidence', 'prediction']).default('none'))
      .option('--level <p>', 'coverage of the intervals', '0.95')
      .addOption(new Option('--method <method>', 'how intervals are computed (boot: parametric bootstrap)').choices(['analytic', 'boot']).default('analytic'))
      .option('--nsim <n>', 'bootstrap replicates', '1000')
      .option('--seed <s>', 'bootstrap seed', '1'),
  )).action(async (file: string | undefined, formula: string | undefined, flags: PredictFlags & { model?: string }, cmd: Command) => {
    const options: PredictOptions = {
      population: flags.population ?? false,
      allowNewLevels: flags.allowNewLevels ?? false,
      type: flags.type,
      interval: flags.interval,
      level: levelFlag(flags.level),
      method: flags.method,
      nsim: wholeFlag('nsim', flags.nsim, 1),
      seed: wholeFlag('seed', flags.seed, 0),
    };
    checkPredictFlags(flags, (name) => cmd.getOptionValueSource(name) === 'cli');
    const model = await modelFromArgs(file, formula, flags);
    const [{ predict }, { readCsvFile }] = await Promise.all([import('../../inference/predict/predict.js'), import('../../io/readTable.js')]);
    const newdata = flags.newdata === undefined ? undefined : readCsvFile(flags.newdata, csvOptions(flags));
    const p = predict(model, newdata, options);
    for (const m of p.messages) io.stderr(`note: ${m}\n`);
    io.stdout(formatPrediction(p, flags.format) + '\n');
  });
}



/** A number for JSON: null for NaN and infinities. */
function json(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function formatPrediction(p: Prediction, format: OutputFormat): string {
  const rows = Array.from(p.fit, (fit, i) => ({ fit, lower: p.lower?.[i], upper: p.upper?.[i] }));
  if (format === 'json') {
    const predictions = rows.map((r) => (r.lower === undefined ? { fit: json(r.fit) } : { fit: json(r.fit), lower: json(r.lower), upper: json(r.upper!) }));
    return JSON.stringify({ predictions, messages: p.messages }, null, 2);
  }
  const header = p.lower ? ['row', 'fit', 'lower', 'upper'] : ['row', 'fit'];
  const cells = rows.map((r, i) => [String(i + 1), ...[r.fit, r.lower, r.upper].filter((x): x is number => x !== undefined).map((x) => signif(x, 7))]);
  return format === 'markdown' ? markdownTable(header, cells) : textTable(header, cells);
}
