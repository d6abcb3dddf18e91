/**
 * `mixedmodels evaluate <train> "<formula>" --methods glmm,glm,lasso,ridge
 * [--newdata a.csv,b.csv | --folds K | --foldid col] [--metric mspe] ...`:
 * fits each method and scores it on the new data sets, or by K-fold
 * cross-validation without them (src/evaluate).
 */
import { Option, type Command } from 'commander';
import { MixedModelsError } from '../../errors.js';
import type { OutputFormat } from '../../report/render.js';
import type { CliIO } from '../modelOptions.js';
import { csvOptions, wholeFlag } from '../modelOptions.js';
import { checkOutputs } from '../outputs.js';
import { writeOutput } from '../writeOutput.js';

interface EvaluateFlags {
  methods?: string;
  newdata?: string;
  folds?: string;
  foldid?: string;
  metric: string;
  family?: string;
  link?: string;
  nagq?: string;
  factor?: string;
  weights?: string;
  alpha?: string;
  s: 'min' | '1se';
  seed?: string;
  format: OutputFormat;
  report?: string;
  sep?: string;
  dec?: string;
}

function list(v: string | undefined): string[] {
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/**
 * The flags only the penalised methods read, refused when --methods has none of them: --alpha (enet's), --s, and
 * with --newdata --folds, --foldid and --seed (then the folds of their lambda's cross-validation).
 */
function checkPenaltyFlags(flags: EvaluateFlags, methods: readonly string[], newdata: boolean, sGiven: boolean): void {
  if (flags.alpha !== undefined && !methods.includes('enet')) throw new MixedModelsError('--alpha is the mixing of the enet method: add enet to --methods');
  if (methods.some((m) => ['lasso', 'ridge', 'enet'].includes(m))) return;
  const given = [...(sGiven ? ['--s'] : []), ...(newdata ? (['folds', 'foldid', 'seed'] as const).filter((f) => flags[f] !== undefined).map((f) => `--${f}`) : [])];
  if (given.length > 0) throw new MixedModelsError(`${given[0]} applies to the penalised methods (lasso, ridge, enet)${newdata ? ' when scoring on --newdata' : ''}: add one to --methods`);
}

export function registerEvaluate(program: Command, io: CliIO): void {
  program
    .command('evaluate')
    .description('compare methods (glmm, glm, lasso, ridge, enet, lmm, lm) by their predictions on new data, or by cross-validation')
    .argument('<train>', 'CSV file the methods are fitted to')
    .argument('<formula>', 'mixed-model formula, e.g. "cbind(clicks, expos - clicks) ~ display + (1 | id)"')
    .option('--methods <list>', 'comma-separated methods (default glmm,glm,lasso,ridge; lmm,lm,lasso,ridge for gaussian)')
    .option('--newdata <files>', 'comma-separated CSV files to score on (default: cross-validation on <train>)')
    .option('--folds <k>', 'cross-validation folds (default 10; with --newdata: the folds of lasso/ridge/enet)')
    .option('--foldid <column>', 'column of <train> giving each row its fold')
    .addOption(new Option('--metric <m>', 'score').choices(['mspe', 'deviance', 'logloss', 'auc', 'rmse']).default('mspe'))
    .option('--family <family>', 'gaussian (default), binomial or poisson')
    .option('--link <link>', "the family's link for glmm/glm")
    .option('--nagq <n>', 'glmm: adaptive Gauss-Hermite points')
    .option('--factor <columns>', 'numeric columns to treat as categorical')
    .option('--weights <column>', 'prior weights column')
    .option('--alpha <a>', 'enet: the elastic-net mixing (default 0.5)')
    .addOption(new Option('--s <which>', "lasso/ridge/enet predict at lambda.1se or lambda.min").choices(['1se', 'min']).default('1se'))
    .option('--seed <s>', "random folds as R's set.seed(s) (default 1)")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--report <file.html>', 'also write an HTML report with a plot of the scores')
    .option('--sep <char>', "CSV field separator (default ',')")
    .option('--dec <char>', "CSV decimal mark (default '.')")
    .action(async (train: string, formula: string, flags: EvaluateFlags, cmd: Command) => {
      const family = flags.family ?? 'gaussian';
      const methods = flags.methods ? list(flags.methods) : family === 'gaussian' ? ['lmm', 'lm', 'lasso', 'ridge'] : ['glmm', 'glm', 'lasso', 'ridge'];
      const files = list(flags.newdata);
      checkPenaltyFlags(flags, methods, files.length > 0, cmd.getOptionValueSource('s') === 'cli');
      const alpha = flags.alpha === undefined ? undefined : Number(flags.alpha);
      if (alpha !== undefined && !(alpha >= 0 && alpha <= 1)) throw new MixedModelsError(`--alpha must be a number between 0 and 1, not '${flags.alpha}'`);
      const csv = csvOptions(flags);
      checkOutputs([['--report', flags.report]], [train, ...files]);
      const [{ evaluateMethods }, { readCsvFile }, { evaluationJson }, { summaryEvaluation }] = await Promise.all([
        import('../../evaluate/evaluate.js'), import('../../io/readTable.js'), import('../../report/penalized/evaluationJson.js'), import('../../report/penalized/evaluationText.js'),
      ]);
      const result = evaluateMethods(formula, readCsvFile(train, csv), {
        methods,
        newdata: files.map((f) => readCsvFile(f, csv)),
        newdataNames: files,
        metric: flags.metric,
        family,
        link: flags.link,
        nAGQ: flags.nagq === undefined ? undefined : wholeFlag('nagq', flags.nagq, 0),
        factors: list(flags.factor),
        weights: flags.weights,
        alpha,
        s: flags.s,
        folds: flags.folds === undefined ? undefined : wholeFlag('folds', flags.folds, 3),
        foldid: flags.foldid,
        seed: flags.seed === undefined ? undefined : wholeFlag('seed', flags.seed, 0),
      });
      io.stdout(flags.format === 'json' ? JSON.stringify(evaluationJson(result), null, 2) + '\n' : summaryEvaluation(result, flags.format));
      if (flags.report !== undefined) {
        const { evaluationReport } = await import('../../report/penalized/evaluationReport.js');
        writeOutput(flags.report, await evaluationReport(result, formula));
        io.stderr(`wrote report to ${flags.report}\n`);
      }
    });
}
