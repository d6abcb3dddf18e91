/**
 * `mixedmodels emmeans <file> "<formula>" --specs f`: estimated marginal means
 * of the factors in --specs (within the levels of --by) and their contrasts,
 * pairwise with Tukey-adjusted p-values by default, as R's
 * emmeans(model, pairwise ~ f | by) prints them. JSON: {emmeans, contrasts, ...}
 * (report/emmeansTable.ts).
 */
import { Option, type Command } from 'commander';
import { MixedModelsError } from '../../errors.js';
import { CONTRAST_METHODS, type ContrastMethod } from '../../inference/emmeans/contrastMethods.js';
import type { EmmeansOptions } from '../../inference/emmeans/emmeans.js';
import type { EmmDdf } from '../../inference/emmeans/basis.js';
import { addModelOptions, addSavedModelOption, levelFlag, modelFromArgs, wholeFlag, type CliIO, type FitFlags } from '../modelOptions.js';

interface EmmeansFlags extends FitFlags {
  specs: string;
  by?: string;
  ddf?: EmmDdf;
  ddfLimit?: string;
  type: 'link' | 'response';
  contrast: string;
  control?: string;
  adjust?: string;
  level: string;
  model?: string;
}

/**
 * `--contrast`: a method name, `none`, or named coefficient vectors
 * `name=1,-1,0;other=1,0,-1` (one coefficient per mean in a by group).
 */
export function contrastFlag(value: string): ContrastMethod | null {
  if (value === 'none') return null;
  if ((CONTRAST_METHODS as readonly string[]).includes(value)) return value as ContrastMethod;
  if (!value.includes('=')) throw new MixedModelsError(`--contrast must be one of ${CONTRAST_METHODS.join(', ')}, none, or named coefficients such as 'AvsB=1,-1,0', not '${value}'`);
  const out: Record<string, number[]> = {};
  for (const part of value.split(';').map((s) => s.trim()).filter(Boolean)) {
    const at = part.indexOf('=');
    const name = part.slice(0, at).trim();
    const coefficients = part.slice(at + 1).split(',').map((s) => Number(s.trim()));
    if (at <= 0 || name === '' || coefficients.some((c) => !Number.isFinite(c))) {
      throw new MixedModelsError(`--contrast: cannot read '${part}'; write name=c1,c2,... with numbers`);
    }
    out[name] = coefficients;
  }
  return out;
}

/** `--control`: a 1-based position or a level label. */
function controlFlag(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function registerEmmeans(program: Command, io: CliIO): void {
  addSavedModelOption(addModelOptions(
    program
      .command('emmeans')
      .description('estimated marginal means (emmeans) and their pairwise or other contrasts')
      .argument('[file]', 'CSV file with a header row')
      .argument('[formula]', 'model formula, e.g. "score ~ style + (1 | professor)"')
      .requiredOption('--specs <factors>', 'factors whose means are wanted (comma-separated, or "a | b")')
      .option('--by <factors>', 'factors to compute the means and contrasts within')
      .addOption(new Option('--ddf <method>', 'LMM degrees of freedom (default kenward-roger, as emmeans)').choices(['kenward-roger', 'satterthwaite', 'asymptotic']))
      .option('--ddf-limit <n>', 'LMMs with more observations get asymptotic df, as emmeans (default 3000)')
      .addOption(new Option('--type <type>', 'scale of the results: link, or response (back-transformed; ratios of means)').choices(['link', 'response']).default('link'))
      .option('--contrast <method>', `${CONTRAST_METHODS.join(', ')}, none, or 'name=1,-1,0;...'`, 'pairwise')
      .option('--control <level>', 'trt.vs.ctrl: the control level (name or position, default 1)')
      .option('--adjust <method>', "p-value adjustment: tukey, sidak, bonferroni, holm, hochberg, BH, fdr, BY, scheffe, dunnettx, none (default: the contrast method's)")
      .option('--level <p>', 'confidence level of the intervals', '0.95'),
  )).action(async (file: string | undefined, formula: string | undefined, flags: EmmeansFlags) => {
    const method = contrastFlag(flags.contrast);
    const level = levelFlag(flags.level);
    const model = await modelFromArgs(file, formula, flags);
    const [{ emmeans }, { contrast }, { formatEmmeans }] = await Promise.all([
      import('../../inference/emmeans/emmeans.js'), import('../../inference/emmeans/contrast.js'), import('../../report/emmeansTable.js'),
    ]);
    const options: EmmeansOptions = { by: flags.by, ddf: flags.ddf, type: flags.type, level };
    if (flags.ddfLimit !== undefined) options.ddfLimit = wholeFlag('ddf-limit', flags.ddfLimit, 1);
    const emm = emmeans(model, flags.specs, options);
    const contrasts = method === null ? null : contrast(emm, method, { adjust: flags.adjust, ref: controlFlag(flags.control) });
    io.stdout(formatEmmeans(emm, contrasts, flags.format));
  });
}
