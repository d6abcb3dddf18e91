/**
 * `mixedmodels plot <kind> <file> "<formula>" --out plot.svg|png`: fits the
 * model and writes one plot (see src/plot/fromModel.ts for the kinds);
 * `--out plot.json` writes the Vega-Lite specification instead.
 */
import { extname } from 'node:path';
import { Argument, Option, type Command } from 'commander';
import { MixedModelsError } from '../../errors.js';
import { GLMNET_PLOT_KINDS, PLOT_KINDS, type GlmnetPlotKind, type PlotKind } from '../../plot/kinds.js';
import { writeOutput } from '../writeOutput.js';
import { addModelOptions, addSavedModelOption, inputFiles, modelFromArgs, type CliIO, type FitFlags } from '../modelOptions.js';
import { checkOutputs } from '../outputs.js';
import { addPenaltyOptions, penaltyOnlyFlags, type PenaltyFlags } from './penaltyOptions.js';

interface PlotFlags extends FitFlags {
  out: string;
  x?: string;
  group?: string;
  level: string;
  specs?: string;
  by?: string;
  type?: 'link' | 'response';
}

export { writeOutput };

/** A model plot's formula (--offset's term is added by modelFromArgs); the penalty flags mean something only to the cv and path plots, and are refused. */
function modelFormula(formula: string | undefined, kind: PlotKind, flags: PenaltyFlags): string | undefined {
  const [flag] = [...(flags.penalty === undefined ? [] : ['--penalty']), ...penaltyOnlyFlags(flags)];
  if (flag !== undefined) throw new MixedModelsError(`${flag} applies to the cv and path plots (a penalised fit), not to the ${kind} plot`);
  return formula;
}

export function registerPlot(program: Command, io: CliIO): void {
  addPenaltyOptions(addSavedModelOption(addModelOptions(
    program
      .command('plot')
      .description('fit a model and write one plot as SVG, PNG or a Vega-Lite JSON specification')
      .addArgument(new Argument('<kind>', 'the plot (cv, path: a penalised fit)').choices([...PLOT_KINDS, ...GLMNET_PLOT_KINDS]))
      .argument('[file]', 'CSV file with a header row')
      .argument('[formula]', 'model formula')
      .requiredOption('--out <file>', 'output file: .svg, .png or .json (Vega-Lite)')
      .option('--x <column>', 'groups/effect plots: the predictor on the x axis')
      .option('--group <factor>', 'groups plot: the grouping factor')
      .option('--specs <factors>', 'emmeans plot: the factors whose marginal means to plot')
      .option('--by <factors>', 'emmeans plot: one panel per level of these factors')
      .addOption(new Option('--type <type>', 'emmeans plot: link or response scale').choices(['link', 'response']))
      .option('--level <p>', 'interval coverage', '0.95'),
  ))).action(async (kind: PlotKind | GlmnetPlotKind, file: string | undefined, formula: string | undefined, flags: PlotFlags & PenaltyFlags & { model?: string }) => {
    const ext = extname(flags.out).toLowerCase();
    if (!['.svg', '.png', '.json'].includes(ext)) throw new MixedModelsError(`--out must end in .svg, .png or .json, not '${flags.out}'`);
    const level = Number(flags.level);
    if (!(level > 0 && level < 1)) throw new MixedModelsError(`--level must be between 0 and 1, not '${flags.level}'`);
    checkOutputs([['--out', flags.out]], await inputFiles(file, flags));
    const spec = kind === 'cv' || kind === 'path'
      ? (await import('./penalized.js')).penalizedPlotSpec(file, formula, flags, kind)
      : (await import('../../plot/fromModel.js')).modelPlot(await modelFromArgs(file, modelFormula(formula, kind, flags), flags), kind, { x: flags.x, group: flags.group, level, specs: flags.specs, by: flags.by, type: flags.type });
    if (ext === '.json') writeOutput(flags.out, JSON.stringify(spec, null, 2) + '\n');
    else {
      // The renderers (vega, resvg) load only when a plot is drawn: they would double every command's start-up time.
      const { toSVG } = await import('../../plot/svg.js');
      const svg = await toSVG(spec);
      writeOutput(flags.out, ext === '.svg' ? svg : await (await import('../../plot/png.js')).toPNG(svg));
    }
    io.stderr(`wrote ${kind} plot to ${flags.out}\n`);
  });
}
