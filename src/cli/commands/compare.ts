/**
 * `mixedmodels compare <file> "<formula0>" "<formula1>" ...`: fits each model
 * and tests them by likelihood ratio (lme4's anova: REML fits refitted by ML).
 * JSON `{ models: [{ name, formula, npar, AIC, BIC, logLik, deviance }], chisq,
 * df, pValue, refitted, messages }`, or the table as lme4's anova prints it
 * (report/comparison.ts), `Data:` naming the file. Notes go to stderr, R's
 * `refitting model(s) with ML (instead of REML)` among them.
 */
import type { Command } from 'commander';
import { addModelOptions, checkRemlApplies, fitOptions, sourceOptions, type CliIO, type FitFlags } from '../modelOptions.js';
import { hideUrlPassword } from '../../sources/redact.js';

export function registerCompare(program: Command, io: CliIO): void {
  addModelOptions(
    program
      .command('compare')
      .description('likelihood-ratio test between nested models (lme4 anova)')
      .argument('<file>', 'CSV file with a header row')
      .argument('<formulas...>', 'two or more model formulas, smaller first'),
  ).action(async (file: string, formulas: string[], flags: FitFlags & { ml?: boolean }) => {
    const [{ fitModel }, { compareModels }, { readSource }, { comparisonJson, formatComparison }, { withOffset }] = await Promise.all([
      import('../../api/fit.js'), import('../../inference/compare.js'), import('../../sources/readSource.js'), import('../../report/comparison.js'), import('../offsetFlag.js'),
    ]);
    const { table: data } = await readSource(file, sourceOptions(flags));
    // REML only as the user gave it (--ml, --reml): the library's default is REML for linear mixed models, and other models take none.
    // --offset goes into every model, as offset = in each of R's calls.
    const models = formulas.map((f) => fitModel(withOffset(f, flags.offset), data, fitOptions(flags)));
    for (const m of models) checkRemlApplies(m, flags);
    const c = compareModels(models);
    for (const m of c.messages) io.stderr(`note: ${m}\n`);
    io.stdout(flags.format === 'json' ? JSON.stringify(comparisonJson(c), null, 2) + '\n' : formatComparison(c, flags.format, { data: hideUrlPassword(file) }));
  });
}
