/**
 * `mixedmodels plot <kind> <file> "<formula>" --out plot.svg|png`: fits the
 * model and writes one plot (see src/plot/fromModel.ts for the kinds);
 * `--out plot.json` writes the Vega-Lite specification instead.
 */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Argument, type Command } from 'commander';
import { MixedModelsError } from '../../errors.js';
import { modelPlot, PLOT_KINDS, type PlotKind } from '../../plot/fromModel.js';
import { addModelOptions, addSavedModelOption, modelFromArgs, type CliIO, type FitFlags } from '../modelOptions.js';

interface PlotFlags extends FitFlags {
  out: string;
  x?: string;
  group?: string;
  level: string;
}

/** Writes `content` to `path`, turning a file-system failure into a clear message. */
export function writeOutput(path: string, content: string | Uint8Array): void {
  try {
    writeFileSync(path, content);
  } catch (err) {
    throw new MixedModelsError(`cannot write '${path}': ${(err as Error).message}`);
  }
}

export function registerPlot(program: Command, io: CliIO): void {
  addSavedModelOption(addModelOptions(
    program
      .command('plot')
      .description('fit a model and write one plot as SVG, PNG or a Vega-Lite JSON specification')
      .addArgument(new Argument('<kind>', 'the plot').choices([...PLOT_KINDS]))
      .argument('[file]', 'CSV file with a header row')
      .argument('[formula]', 'model formula')
      .requiredOption('--out <file>', 'output file: .svg, .png or .json (Vega-Lite)')
      .option('--x <column>', 'groups/effect plots: the predictor on the x axis')
      .option('--group <factor>', 'groups plot: the grouping factor')
      .option('--level <p>', 'interval coverage', '0.95'),
  )).action(async (kind: PlotKind, file: string | undefined, formula: string | undefined, flags: PlotFlags & { model?: string }) => {
    const ext = extname(flags.out).toLowerCase();
    if (!['.svg', '.png', '.json'].includes(ext)) throw new MixedModelsError(`--out must end in .svg, .png or .json, not '${flags.out}'`);
    const level = Number(flags.level);
    if (!(level > 0 && level < 1)) throw new MixedModelsError(`--level must be between 0 and 1, not '${flags.level}'`);
    const model = await modelFromArgs(file, formula, flags);
    const spec = modelPlot(model, kind, { x: flags.x, group: flags.group, level });
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
