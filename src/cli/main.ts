/**
 * The command-line interface. `main(argv, io)` runs one command and returns its
 * exit code, so tests drive the CLI in-process; `bin.ts` wires it to the process.
 * Every error a user can cause prints one clear message on stderr and exits 1;
 * anything else is an internal error (exit 2), reported without a stack trace
 * unless MIXEDMODELS_DEBUG is set.
 */
import { Command, CommanderError, Option } from 'commander';
import { MixedModelsError } from '../errors.js';
import type { PushdownMode } from '../sources/fitSource.js';
import type { DdfOption } from '../api/coefficients.js';
import { visibleControls } from '../report/escape.js';
import { addModelOptions, checkRemlApplies, csvOptions, fitOptions, sourceOptions, type CliIO, type FitFlags } from './modelOptions.js';
import { checkOutputs } from './outputs.js';
import { registerAnova } from './commands/anova.js';
import { registerCompare } from './commands/compare.js';
import { registerEmmeans } from './commands/emmeans.js';
import { registerConfint } from './commands/confint.js';
import { registerPredict } from './commands/predict.js';
import { registerSimulate } from './commands/simulate.js';
import { registerPlot, writeOutput } from './commands/plot.js';
import { registerApp } from './commands/app.js';
import { addPenaltyOptions, checkUnpenalizedFit, type PenaltyFlags } from './commands/penaltyOptions.js';
import { registerEvaluate } from './commands/evaluate.js';
import { VERSION } from './version.js';
import { addTidyOptions, checkTidyFlags, type TidyFlags } from './commands/tidyOptions.js';
import { registerTable } from './commands/table.js';
import { commandLine } from './commandLine.js';
import { hideUrlPassword, hideUrlPasswords } from '../sources/redact.js';

export type { CliIO } from './modelOptions.js';

/** The help's width off a terminal (commander's). */
const HELP_WIDTH = 80;

function program(io: CliIO, argv: readonly string[] = []): Command {
  const prog = new Command('mixedmodels')
    .description('Mixed-effects regression: lme4-compatible lmer/glmer, lm and glm from the command line')
    .version(VERSION, '-V, --version', 'print the package version')
    .exitOverride()
    // The help has no colours to keep or strip, and its width comes from io.columns when given: commander's defaults ask
    // process.stdout and process.stderr, whose streams cost a start-up 5 ms (stdio.ts).
    .configureOutput({
      writeOut: io.stdout, writeErr: io.stderr, getOutHasColors: () => false, getErrHasColors: () => false,
      ...(io.columns === undefined ? {} : { getOutHelpWidth: () => io.columns!(1) ?? HELP_WIDTH, getErrHelpWidth: () => io.columns!(2) ?? HELP_WIDTH }),
    })
    .showHelpAfterError(false)
    .hook('preAction', async () => {
      await io.beforeRun?.();
    });

  addTidyOptions(addPenaltyOptions(addModelOptions(
    prog
      .command('fit')
      .description('fit a model: lm/glm without random effects, lmer/glmer with (bars like (1 | g))')
      .argument('<source>', 'the data: a CSV file (or - for standard input), .parquet/.json/.arrow file or glob, duckdb:file, postgresql:// or clickhouse:// URL')
      .argument('<formula>', 'model formula, e.g. "Reaction ~ Days + (Days | Subject)"')
      .option('--report <file.html>', 'also write a self-contained HTML report: summary and every plot')
      .option('--save <model.json>', 'save the fit, to answer later questions with --model (predict, confint, anova, simulate, plot)')
      .addOption(
        new Option('--ddf <method>', "LMM coefficients' df: satterthwaite, kenward-roger, none, or auto (satterthwaite unless it takes over a second)")
          .choices(['auto', 'satterthwaite', 'kenward-roger', 'none'])
          .default('auto'),
      ),
    ['text', 'json', 'markdown', 'csv'],
  ))).action(async (file: string, formula: string, flags: FitFlags & PenaltyFlags & TidyFlags & { report?: string; save?: string; ddf: DdfOption }, cmd: Command) => {
    checkTidyFlags(flags);
    checkOutputs([['--save', flags.save], ['--report', flags.report]], file === '-' ? [] : [file]);
    if (flags.penalty !== undefined) return (await import('./commands/penalized.js')).runPenalizedFit(file, formula, flags, io, (o) => cmd.getOptionValueSource(o) === 'cli');
    checkUnpenalizedFit(flags);
    const fitFormula = (await import('./offsetFlag.js')).withOffset(formula, flags.offset);
    const csv = csvOptions(flags);
    // Loaded here, not at start-up, so that `--help` and the other commands do not compile the fitting code.
    const [{ fitSource }, { hasRows }, { render }, { isArrowFile, isMemorySpec }] = await Promise.all([
      import('../sources/fitSource.js'), import('../lmm/problem.js'), import('../report/render.js'), import('../sources/readSource.js'),
    ]);
    // Before the fit, not after it: a saved fit names the CSV file it reads again.
    if (flags.save !== undefined && (file === '-' || isArrowFile(file) || !isMemorySpec(file, flags.pushdown === 'on', csv))) {
      throw new MixedModelsError(`--save needs a CSV file as the data (a saved fit remembers its file); ${file === '-' ? 'standard input' : hideUrlPassword(file)} is not one`);
    }
    const model = await fitSource(file, fitFormula, {
      ...fitOptions(flags), ...sourceOptions(flags), ddf: flags.ddf, pushdown: flags.pushdown as PushdownMode,
      residuals: flags.format !== 'json', onQuery: flags.explain ? (sql) => io.stderr(`${visibleControls(sql, true)};\n`) : undefined,
    });
    checkRemlApplies(model, flags);
    if (cmd.getOptionValueSource('ddf') === 'cli' && model.kind !== 'lmm') {
      throw new MixedModelsError(`--ddf chooses the df of a linear mixed model's t tests, and this is ${KIND_NAMES[model.kind]}: leave it out`);
    }
    io.stdout(flags.tidy === undefined ? render(model, flags.format, { data: hideUrlPassword(file) }) : (await import('./commands/tidy.js')).tidyOutput(model, { ...flags, tidy: flags.tidy }));
    if ((flags.save !== undefined || flags.report !== undefined) && !hasRows(model.frame)) {
      throw new MixedModelsError(`--${flags.save !== undefined ? 'save' : 'report'} needs the model's rows, and this fit left them in the database: add --pushdown off`);
    }
    if (flags.save !== undefined) {
      if (model.source?.engine !== 'csv' || file === '-') throw new MixedModelsError('--save needs a CSV file as the data (a saved fit remembers its file)');
      const { savedModel } = await import('../io/savedModel.js');
      writeOutput(flags.save, JSON.stringify(savedModel(model, file, csv), null, 2) + '\n');
      io.stderr(`saved the fit to ${flags.save}\n`);
    }
    if (flags.report !== undefined) {
      const { modelReport } = await import('../report/modelReport.js');
      writeOutput(flags.report, await modelReport(model, {}, { data: hideUrlPassword(file), command: commandLine(argv.map(hideUrlPassword)), version: VERSION }));
      io.stderr(`wrote report to ${flags.report}\n`);
    }
  });
  registerPredict(prog, io);
  registerConfint(prog, io);
  registerAnova(prog, io);
  registerCompare(prog, io);
  registerEmmeans(prog, io);
  registerSimulate(prog, io);
  registerPlot(prog, io);
  registerEvaluate(prog, io);
  registerApp(prog, io);
  registerTable(prog, io);
  return prog;
}

/** What --ddf's refusal calls each model kind it does not apply to. */
const KIND_NAMES: Record<string, string> = {
  lm: 'a linear model (its t tests use the residual df)',
  glm: 'a generalized linear model',
  glmm: 'a generalized linear mixed model (Wald tests, as lme4)',
};

export async function main(argv: readonly string[], cliIo: CliIO): Promise<number> {
  // Whatever goes to stderr (errors, notes, --explain) quotes the data argument without its password.
  const io: CliIO = { ...cliIo, stderr: (s) => cliIo.stderr(hideUrlPasswords(s)) };
  try {
    await program(io, argv).parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    if (err instanceof MixedModelsError) {
      io.stderr(`error: ${visibleControls(err.message, true)}\n`);
      return 1;
    }
    const e = err as Error;
    io.stderr(`internal error: ${e?.message ?? String(err)}\n`);
    if (process.env.MIXEDMODELS_DEBUG) io.stderr(`${e?.stack ?? ''}\n`);
    return 2;
  }
}
