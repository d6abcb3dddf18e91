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
import type { EmmeansOptions, parseSpecs } from '../../inference/emmeans/emmeans.js';
import type { EmmDdf } from '../../inference/emmeans/basis.js';
import type { FittedModel } from '../../api/fit.js';
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

/**
 * --specs and --by as emmeans reads them, refusing what it would pool or drop: a contrast
 * left-hand side (`pairwise ~ f`, this command's --contrast), by factors given both after
 * `|` and with --by, an empty by list, and a factor that is both compared and conditioned on.
 */
function checkSpecs(specs: string, by: string | undefined, parse: typeof parseSpecs): void {
  const bars = specs.split('|').length - 1;
  if (bars > 1) throw new MixedModelsError(`--specs '${specs}' has ${bars} '|': write the by factors after one '|', such as 'recipe | temperature, replicate'`);
  if (bars === 1 && by !== undefined) throw new MixedModelsError(`--specs '${specs}' and --by both give by factors: use one of the two`);
  const { specs: compared, by: within } = parse(specs, by);
  if (bars === 1 && within.length === 0) throw new MixedModelsError(`--specs '${specs}' names no by factor after '|': name one, or leave out the '|'`);
  if (by !== undefined && within.length === 0) throw new MixedModelsError(`--by must name at least one factor, not '${by}'`);
  const both = compared.find((f) => within.includes(f));
  const where = bars === 1 ? `both before and after '|' in --specs` : 'in both --specs and --by';
  if (both !== undefined) throw new MixedModelsError(`'${both}' is ${where}: a factor's means cannot be compared within its own levels; give it in one place`);
}

/**
 * emmeans' two-sided specs, `pairwise ~ recipe` (R: emmeans(m, pairwise ~ recipe)): the contrast
 * method before `~` and the factors after it. The method stands for --contrast, which must then be
 * left out or name the same method. Returns the factors and the contrast to use.
 */
function twoSidedSpecs(specs: string, contrast: string, contrastGiven: boolean): { specs: string; contrast: string } {
  const tilde = specs.lastIndexOf('~');
  if (tilde < 0) return { specs, contrast };
  const lhs = specs.slice(0, tilde).trim(), rhs = specs.slice(tilde + 1).trim();
  if (lhs === '') return { specs: rhs, contrast };
  if (!(CONTRAST_METHODS as readonly string[]).includes(lhs)) {
    throw new MixedModelsError(`--specs '${specs}': before '~' emmeans takes a contrast method (${CONTRAST_METHODS.join(', ')}), not '${lhs}'`);
  }
  if (contrastGiven && contrast !== lhs) throw new MixedModelsError(`--specs '${specs}' asks for ${lhs} contrasts and --contrast for ${contrast}: give the method once`);
  return { specs: rhs, contrast: lhs };
}

/** Options that act on other options: --control on trt.vs.ctrl contrasts, --adjust on contrasts, --ddf-limit on computed df. */
function checkContrastFlags(flags: EmmeansFlags, method: ContrastMethod | null): void {
  if (flags.control !== undefined && method !== 'trt.vs.ctrl') throw new MixedModelsError(`--control applies to --contrast trt.vs.ctrl, not to --contrast ${flags.contrast}: add --contrast trt.vs.ctrl or leave --control out`);
  if (flags.adjust !== undefined && method === null) throw new MixedModelsError('--adjust applies to contrasts, and --contrast none asks for none: leave one of them out');
  if (flags.ddfLimit !== undefined && flags.ddf === 'asymptotic') throw new MixedModelsError('--ddf-limit has no effect with --ddf asymptotic (no df are computed): leave one of them out');
}

const NOT_LMM = { lm: 'a linear model', glm: 'a generalized linear model', glmm: 'a generalized linear mixed model' } as const;

/** --ddf and --ddf-limit choose an LMM's df; any other model's df are fixed (residual or asymptotic). */
function checkDdfApplies(model: FittedModel, flags: EmmeansFlags): void {
  if (model.kind === 'lmm') return;
  const flag = flags.ddf !== undefined ? '--ddf' : flags.ddfLimit !== undefined ? '--ddf-limit' : null;
  if (flag !== null) throw new MixedModelsError(`${flag} applies to linear mixed models, and this is ${NOT_LMM[model.kind]}: leave it out`);
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
  )).action(async (file: string | undefined, formula: string | undefined, given: EmmeansFlags, cmd: Command) => {
    const two = twoSidedSpecs(given.specs, given.contrast, cmd.getOptionValueSource('contrast') === 'cli');
    const flags = { ...given, ...two };
    const method = contrastFlag(flags.contrast);
    const level = levelFlag(flags.level);
    const [{ emmeans, parseSpecs }, { contrast }, { formatEmmeans }] = await Promise.all([
      import('../../inference/emmeans/emmeans.js'), import('../../inference/emmeans/contrast.js'), import('../../report/emmeansTable.js'),
    ]);
    checkSpecs(flags.specs, flags.by, parseSpecs);
    checkContrastFlags(flags, method);
    const options: EmmeansOptions = { by: flags.by, ddf: flags.ddf, type: flags.type, level };
    if (flags.ddfLimit !== undefined) options.ddfLimit = wholeFlag('ddf-limit', flags.ddfLimit, 1);
    const model = await modelFromArgs(file, formula, flags);
    checkDdfApplies(model, flags);
    const emm = emmeans(model, flags.specs, options);
    const contrasts = method === null ? null : contrast(emm, method, { adjust: flags.adjust, ref: controlFlag(flags.control) });
    io.stdout(formatEmmeans(emm, contrasts, flags.format));
  });
}
