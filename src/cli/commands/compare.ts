/**
 * `mixedmodels compare <file> "<formula0>" "<formula1>" ...`: fits each model
 * and tests them by likelihood ratio (lme4's anova: REML fits refitted by ML).
 * JSON `{ models: [{ formula, npar, AIC, BIC, logLik, deviance }], chisq, df,
 * pValue, messages }`, or an anova-style table. Notes go to stderr.
 */
import type { Command } from 'commander';
import { fitModel } from '../../api/fit.js';
import { compareModels, type Comparison } from '../../inference/compare.js';
import { readSource } from '../../sources/readSource.js';
import { markdownText } from '../../report/escape.js';
import { formatPValue, markdownTable, signif, textTable } from '../../report/format.js';
import type { OutputFormat } from '../../report/render.js';
import { addModelOptions, fitOptions, sourceOptions, type CliIO, type FitFlags } from '../modelOptions.js';

export function registerCompare(program: Command, io: CliIO): void {
  addModelOptions(
    program
      .command('compare')
      .description('likelihood-ratio test between nested models (lme4 anova)')
      .argument('<file>', 'CSV file with a header row')
      .argument('<formulas...>', 'two or more model formulas, smaller first'),
  ).action(async (file: string, formulas: string[], flags: FitFlags & { ml?: boolean }) => {
    const { table: data } = await readSource(file, sourceOptions(flags));
    const options = { ...fitOptions(flags), REML: !flags.ml };
    const c = compareModels(formulas.map((f) => fitModel(f, data, options)));
    for (const m of c.messages) io.stderr(`note: ${m}\n`);
    io.stdout(formatComparison(c, flags.format) + '\n');
  });
}

function json(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function formatComparison(c: Comparison, format: OutputFormat): string {
  if (format === 'json') {
    const models = c.models.map(({ formula, npar, AIC, BIC, logLik, deviance }) => ({ formula, npar, AIC, BIC, logLik, deviance }));
    return JSON.stringify({ models, chisq: json(c.chisq), df: json(c.df), pValue: json(c.pValue), refitted: c.refitted, messages: c.messages }, null, 2);
  }
  const header = ['model', 'npar', 'AIC', 'BIC', 'logLik', 'deviance', 'Chisq', 'Df', 'Pr(>Chisq)'];
  const rows = c.models.map((m, i) => [
    `m${i}`,
    String(m.npar),
    ...[m.AIC, m.BIC, m.logLik, m.deviance].map((x) => signif(x, 6)),
    Number.isNaN(m.chisq) ? '' : signif(m.chisq, 5),
    Number.isNaN(m.df) ? '' : String(m.df),
    Number.isNaN(m.pValue) ? '' : formatPValue(m.pValue),
  ]);
  const legend = c.models.map((m, i) => `m${i}: ${m.formula}`).join('\n');
  return format === 'markdown' ? `${c.models.map((m, i) => `- ${markdownText(`m${i}: ${m.formula}`)}`).join('\n')}\n\n${markdownTable(header, rows)}` : `${legend}\n\n${textTable(header, rows)}`;
}
