/**
 * `mixedmodels simulate <file> "<formula>" [--nsim N] [--seed S]`: fits the
 * model (a mixed model, or a GLM with --family) and prints N simulated responses, one line per row the model used:
 * CSV with columns sim_1 .. sim_N (text format), JSON `{ nsim, seed, rows,
 * simulations }` (rows 1-based in the data file) or a markdown table.
 * A binomial `cbind(s, f)` response is simulated as lme4 gives it: counts of
 * successes and failures, two columns per simulation named as R's write.csv
 * names them (`sim_1.s`, `sim_1.f`; an argument that is not a plain column
 * name gives an empty name, `sim_1.`), and in JSON `simulations` of successes
 * with `trials` per row and the two `response` names.
 */
import type { Command } from 'commander';
import { MixedModelsError } from '../../errors.js';
import type { FittedModel } from '../../api/fit.js';
import type { Node } from '../../formula/ast.js';
import type { Simulation } from '../../inference/bootstrap/simulate.js';
import { markdownRow, markdownRule } from '../../report/format.js';
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
      .description('fit a mixed model (or a GLM) and simulate responses from it (lme4/stats simulate)')
      .argument('[file]', 'CSV file with a header row')
      .argument('[formula]', 'model formula, e.g. "Reaction ~ Days + (Days | Subject)"')
      .option('--nsim <n>', 'number of simulated responses', '1')
      .option('--seed <s>', 'seed of the random generator (same seed, same numbers)', '1')
      .option('--keep-ranef', 'keep the fitted random effects instead of drawing new ones (lme4 re.form = NULL)'),
  )).action(async (file: string | undefined, formula: string | undefined, flags: SimulateFlags & { model?: string }) => {
    const model = await modelFromArgs(file, formula, flags);
    if (model.kind === 'lm') throw new MixedModelsError('simulate needs a mixed model or a --family other than gaussian: add a random-effects term such as (1 | group)');
    const nsim = wholeFlag('nsim', flags.nsim, 1), seed = wholeFlag('seed', flags.seed, 0);
    const { simulate } = await import('../../inference/bootstrap/simulate.js');
    const sim = simulate(model, { nsim, seed, newLevels: !flags.keepRanef });
    if (model.frame.nDropped > 0) io.stderr(`note: ${model.frame.nDropped} rows with missing values have no simulated response\n`);
    writeSimulation(countsOf(sim, model.frame), seed, flags.format, io.stdout);
  });
}

/** Simulations as the output shows them: for a `cbind()` response, successes out of each row's trials (counts), with the two columns' names. */
interface Shown extends Simulation {
  counts: { trials: Float64Array; names: [string, string] } | null;
}

function countsOf(sim: Simulation, frame: FittedModel['frame']): Shown {
  const trials = frame.trials, response = frame.formula.response;
  // With prior weights the library draws from trials x weights: proportions stay (as lme4's simulate gives them then).
  if (trials === null || frame.weights !== null || response?.kind !== 'call' || response.fn !== 'cbind' || response.args.length !== 2) return { ...sim, counts: null };
  const name = (a: Node): string => (a.kind === 'name' ? a.name : '');
  // The library gives proportions (successes / trials): back to counts, exact for whole-number trials.
  const sims = sim.sims.map((p) => {
    const out = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) out[i] = Math.round(p[i] * trials[i]);
    return out;
  });
  return { rows: sim.rows, sims, counts: { trials, names: [name(response.args[0]), name(response.args[1])] } };
}


/** Writes the simulations a line at a time (the output can be large): CSV text, one-line JSON or a markdown table. */
function writeSimulation(sim: Shown, seed: number, format: OutputFormat, write: (text: string) => void): void {
  const nsim = sim.sims.length, counts = sim.counts;
  if (format === 'json') {
    const extra = counts === null ? '' : `"response":${JSON.stringify(counts.names)},"trials":${JSON.stringify(Array.from(counts.trials))},`;
    write(`{"nsim":${nsim},"seed":${seed},"rows":${JSON.stringify(Array.from(sim.rows, (r) => r + 1))},${extra}"simulations":[`);
    sim.sims.forEach((s, j) => write(`${j > 0 ? ',' : ''}${JSON.stringify(Array.from(s))}`));
    write(']}\n');
    return;
  }
  const header = Array.from({ length: nsim }, (_, j) => (counts === null ? [`sim_${j + 1}`] : counts.names.map((n) => `sim_${j + 1}.${n}`))).flat();
  const line = (i: number) => sim.sims.flatMap((s) => (counts === null ? [String(s[i])] : [String(s[i]), String(counts.trials[i] - s[i])]));
  if (format === 'markdown') {
    write(`${markdownRow(['row', ...header])}\n${markdownRule(header.length + 1)}\n`);
    for (let i = 0; i < sim.rows.length; i++) write(`${markdownRow([String(sim.rows[i] + 1), ...line(i)])}\n`);
    write('\n');
    return;
  }
  write(`${header.join(',')}\n`);
  for (let i = 0; i < sim.rows.length; i++) write(`${line(i).join(',')}\n`);
}
