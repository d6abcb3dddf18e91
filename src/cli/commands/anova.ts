/**
 * `mixedmodels anova <file> "<formula>"`: the ANOVA table of the fixed
 * effects. Linear mixed models: lmerTest's type III (or II, I) table with
 * sums of squares and Satterthwaite's or Kenward-Roger's denominator df.
 * Linear models: R's anova() (sequential, type I, by default). GLMs: R's
 * analysis of deviance with chi-square or F tests (R >= 4.3's default; R 4.2
 * printed none unless asked).
 * JSON: an array of {term, sumSq, meanSq, numDf, denDf, F, pValue} (lm: a
 * last Residuals row), or for a GLM of {term, df, deviance, residDf,
 * residDeviance, [F,] pValue}.
 * Notes go to stderr: for a linear model, R's anova.lm warning on an
 * essentially perfect fit (lmAnova.ts); for Kenward-Roger's df, that an ML
 * fit is tested through its REML refit and that prior weights are left out
 * of pbkrtest's adjustment (kenwardRogerNotes).
 */
import { Option, type Command } from 'commander';
import { MixedModelsError } from '../../errors.js';
import type { AnovaRow, DdfMethod, DevianceRow, GlmTest } from '../../inference/ddf/anova.js';
import type { FittedModel } from '../../api/fit.js';
import { addModelOptions, addSavedModelOption, modelFromArgs, type CliIO, type FitFlags } from '../modelOptions.js';

interface AnovaFlags extends FitFlags {
  type?: '1' | '2' | '3';
  ddf: DdfMethod;
  test?: 'chisq' | 'f' | 'none';
}

const METHOD: Record<DdfMethod, string> = { satterthwaite: "Satterthwaite's method", 'kenward-roger': "Kenward-Roger's method" };
const ROMAN = { 1: 'I', 2: 'II', 3: 'III' } as const;
const TESTS: Record<NonNullable<AnovaFlags['test']>, GlmTest> = { chisq: 'Chisq', f: 'F', none: 'none' };

async function render(model: FittedModel, flags: AnovaFlags, io: CliIO): Promise<string> {
  const [{ anova }, { defaultGlmTest }, { lmAnovaMessages }, { formatAnovaTable, formatDevianceTable }, { kenwardRogerNotes }] = await Promise.all([
    import('../../inference/ddf/anova.js'), import('../../inference/anova/glmAnova.js'), import('../../inference/anova/lmAnova.js'), import('../../report/anovaTable.js'),
    import('../../inference/ddf/kenwardRoger.js'),
  ]);
  const type = flags.type === undefined ? undefined : (Number(flags.type) as 1 | 2 | 3);
  if (model.kind === 'glm') {
    const test = flags.test === undefined ? defaultGlmTest(model) : TESTS[flags.test];
    const rows: DevianceRow[] = anova(model, { type, test });
    const heading = ['Analysis of Deviance Table', '', `Model: ${model.fit.family}, link: ${model.fit.link}`, '', `Response: ${model.frame.responseName}`, '', 'Terms added sequentially (first to last)', '', ''];
    return formatDevianceTable(rows, heading, test, flags.format);
  }
  const rows = anova(model, { type, ddf: flags.ddf }) as AnovaRow[];
  if (model.kind === 'lmm') {
    if (flags.ddf === 'kenward-roger') for (const n of kenwardRogerNotes(model)) io.stderr(`note: ${n}\n`);
    const heading = [`Type ${ROMAN[type ?? 3]} Analysis of Variance Table with ${METHOD[flags.ddf]}`];
    return formatAnovaTable(rows, heading, true, flags.format);
  }
  const heading = [`${type === undefined || type === 1 ? '' : `Type ${ROMAN[type]} `}Analysis of Variance Table`, '', `Response: ${model.frame.responseName}`];
  if (model.kind === 'lm') for (const m of lmAnovaMessages(model, type ?? 1)) io.stderr(`note: ${m}\n`);
  return formatAnovaTable(rows, heading, false, flags.format);
}

/**
 * --test picks a GLM's analysis-of-deviance test and --ddf an LMM's denominator df; on any other
 * model they would change nothing (a GLMM's anova is refused by anova() itself).
 * `ddfGiven`: --ddf is on the command line, not its default.
 */
function checkFlagsApply(model: FittedModel, flags: AnovaFlags, ddfGiven: boolean): void {
  if (flags.test !== undefined && (model.kind === 'lm' || model.kind === 'lmm')) {
    throw new MixedModelsError(`--test applies to GLMs (analysis of deviance); ${model.kind === 'lm' ? 'a linear model' : 'a linear mixed model'} has F tests: leave it out`);
  }
  if (ddfGiven && (model.kind === 'lm' || model.kind === 'glm')) {
    throw new MixedModelsError('--ddf applies to linear mixed models (the denominator df of their F tests), and this model has no random effects: leave it out');
  }
}

export function registerAnova(program: Command, io: CliIO): void {
  addSavedModelOption(addModelOptions(
    program
      .command('anova')
      .description('ANOVA table of the fixed effects: lmerTest\'s types III, II or I with sums of squares for mixed models, R\'s anova() for lm and glm')
      .argument('[file]', 'CSV file with a header row')
      .argument('[formula]', 'model formula, e.g. "angle ~ recipe * temp + (1 | recipe:replicate)"')
      .addOption(new Option('--type <type>', 'type III (marginal, default for mixed models), II (lmerTest\'s) or I (sequential, default for lm and glm)').choices(['3', '2', '1']))
      .addOption(new Option('--ddf <method>', 'denominator degrees of freedom (mixed models)').choices(['satterthwaite', 'kenward-roger']).default('satterthwaite'))
      .addOption(new Option('--test <test>', 'GLMs: chisq, f or none (default chisq with a known dispersion, f with an estimated one)').choices(['chisq', 'f', 'none'])),
  )).action(async (file: string | undefined, formula: string | undefined, flags: AnovaFlags & { model?: string }, cmd: Command) => {
    const model = await modelFromArgs(file, formula, flags);
    checkFlagsApply(model, flags, cmd.getOptionValueSource('ddf') === 'cli');
    io.stdout(await render(model, flags, io));
  });
}
