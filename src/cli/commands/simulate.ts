/**
 * `mixedmodels simulate <file> "<formula>" [--nsim N] [--seed S]`: fits the
 * model and prints N simulated responses, one line per row the model used:
 * CSV with columns sim_1 .. sim_N (text format), JSON `{ nsim, seed, rows,
 * simulations }` (rows 1-based in the data file) or a markdown table.
 */
import type { Command } from 'commander';
import { MixedModelsError } from '../../errors.js';
import { simulate, type Simulation } from '../../inference/bootstrap/simulate.js';
import { markdownTable } from '../../report/format.js';
import type { OutputFormat } from '../../report/render.js';
import { addModelOptions, addSavedModelOption, modelFromArgs, wholeFlag, type CliIO, type FitFlags } from '../modelOptions.js';

interface SimulateFlags extends FitFlags {
  ml?: boolean;
  nsim: string;
  seed: string;
  keepRanef?: boolean;
}

export function registerSimulate(program: Command, io: CliIO): void {
  addSavedModelOption(addModelOptions(
    program
      .command('simulate')
      .description('fit a mixed model and simulate responses from it (lme4 simulate)')
      .argument('[file]', 'CSV file with a header row')
      .argument('[formula]', 'model formula, e.g. "Reaction ~ Days + (Days | Subject)"')
      .option('--nsim <n>', 'number of simulated responses', '1')
      .option('--seed <s>', 'seed of the random generator (same seed, same numbers)', '1')
      .option('--keep-ranef', 'keep the fitted random effects instead of drawing new ones (lme4 re.form = NULL)'),
  )).action(async (file: string | undefined, formula: string | undefined, flags: SimulateFlags & { model?: string }) => {
    const model = await modelFromArgs(file, formula, flags);
    if (model.kind === 'lm' || model.kind === 'glm') throw new MixedModelsError('simulate needs a mixed model: add a random-effects term such as (1 | group)');
    const nsim = wholeFlag('nsim', flags.nsim, 1), seed = wholeFlag('seed', flags.seed, 0);
    const sim = simulate(model, { nsim, seed, newLevels: !flags.keepRanef });
    if (model.frame.nDropped > 0) io.stderr(`note: ${model.frame.nDropped} rows with missing values have no simulated response\n`);
    io.stdout(formatSimulation(sim, seed, flags.format) + '\n');
  });
}


function formatSimulation(sim: Simulation, seed: number, format: OutputFormat): string {
  const nsim = sim.sims.length;
  if (format === 'json') {
    return JSON.stringify({ nsim, seed, rows: Array.from(sim.rows, (r) => r + 1), simulations: sim.sims.map((s) => Array.from(s)) });
  }
  const header = Array.from({ length: nsim }, (_, j) => `sim_${j + 1}`);
  const lines = Array.from(sim.rows, (_, i) => sim.sims.map((s) => String(s[i])));
  if (format === 'markdown') return markdownTable(['row', ...header], lines.map((l, i) => [String(sim.rows[i] + 1), ...l]));
  return [header.join(','), ...lines.map((l) => l.join(','))].join('\n');
}
