/**
 * The command-line interface. `main(argv, io)` runs one command and returns its
 * exit code, so tests drive the CLI in-process; `bin.ts` wires it to the process.
 * Every error a user can cause prints one clear message on stderr and exits 1;
 * anything else is an internal error (exit 2), reported without a stack trace
 * unless MIXEDMODELS_DEBUG is set.
 */
import { Command, CommanderError, Option } from 'commander';
import { MixedModelsError } from '../errors.js';
import { readCsvFile } from '../io/readTable.js';
import { fitModel, type FitOptions } from '../api/fit.js';
import { render, type OutputFormat } from '../report/render.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

interface FitFlags {
  factor?: string;
  family?: string;
  link?: string;
  weights?: string;
  format: OutputFormat;
  reml: boolean;
  nagq?: string;
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

function fitOptions(flags: FitFlags): FitOptions {
  return {
    factors: list(flags.factor),
    family: flags.family,
    link: flags.link,
    weights: flags.weights,
    REML: flags.reml,
    nAGQ: integerFlag('nagq', flags.nagq),
  };
}

function addModelOptions(cmd: Command): Command {
  return cmd
    .option('--factor <columns>', 'comma-separated numeric columns to treat as categorical')
    .option('--family <family>', 'gaussian, binomial, poisson, Gamma or inverse.gaussian (default gaussian)')
    .option('--link <link>', "the family's link (default: the canonical one)")
    .option('--weights <column>', 'prior weights column')
    .option('--reml', 'fit linear mixed models by REML (the default)', true)
    .option('--ml', 'fit linear mixed models by maximum likelihood')
    .option('--nagq <n>', 'GLMM: adaptive Gauss-Hermite points (0 = fast PIRLS, 1 = Laplace, >1 = quadrature)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'));
}

function program(io: CliIO): Command {
  const prog = new Command('mixedmodels')
    .description('Mixed-effects regression: lme4-compatible lmer/glmer, lm and glm from the command line')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError(false);

  addModelOptions(
    prog
      .command('fit')
      .description('fit a model: lm/glm without random effects, lmer/glmer with (bars like (1 | g))')
      .argument('<file>', 'CSV file with a header row')
      .argument('<formula>', 'model formula, e.g. "Reaction ~ Days + (Days | Subject)"'),
  ).action((file: string, formula: string, flags: FitFlags & { ml?: boolean }) => {
    const data = readCsvFile(file);
    const model = fitModel(formula, data, { ...fitOptions(flags), REML: !flags.ml });
    io.stdout(render(model, flags.format));
  });
  return prog;
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    await program(io).parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    if (err instanceof MixedModelsError) {
      io.stderr(`error: ${err.message}\n`);
      return 1;
    }
    const e = err as Error;
    io.stderr(`internal error: ${e?.message ?? String(err)}\n`);
    if (process.env.MIXEDMODELS_DEBUG) io.stderr(`${e?.stack ?? ''}\n`);
    return 2;
  }
}
