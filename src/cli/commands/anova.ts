/**
 * `mixedmodels anova <file> "<formula>"`: the type III (or I) ANOVA table of a
 * linear mixed model's fixed effects with Satterthwaite's or Kenward-Roger's
 * denominator df (lmerTest's anova), or exact F tests for a linear model.
 * JSON: an array of {term, numDf, denDf, F, pValue}.
 */
import { Option, type Command } from 'commander';
import { anova, type AnovaRow, type DdfMethod } from '../../inference/ddf/anova.js';
import { formatPValue, markdownTable, signif, SIGNIF_LEGEND, stars, textTable } from '../../report/format.js';
import { addModelOptions, addSavedModelOption, modelFromArgs, type CliIO, type FitFlags } from '../modelOptions.js';

interface AnovaFlags extends FitFlags {
  type: '1' | '3';
  ddf: DdfMethod;
}

const METHOD: Record<DdfMethod, string> = { satterthwaite: "Satterthwaite's method", 'kenward-roger': "Kenward-Roger's method" };

function title(type: string, mixed: boolean, ddf: DdfMethod): string {
  return `Type ${type === '1' ? 'I' : 'III'} Analysis of Variance Table ${mixed ? `with ${METHOD[ddf]}` : '(F tests on the residual df)'}`;
}

function cells(rows: readonly AnovaRow[]): string[][] {
  return rows.map((r) => [r.term, String(r.numDf), signif(r.denDf, 6), signif(r.F, 5), formatPValue(r.pValue), stars(r.pValue)]);
}

export function formatAnova(rows: readonly AnovaRow[], heading: string, format: 'text' | 'json' | 'markdown'): string {
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n';
  const header = ['', 'NumDF', 'DenDF', 'F value', 'Pr(>F)', ''];
  if (format === 'markdown') return `**${heading}**\n\n${markdownTable(['Term', ...header.slice(1, 5)], cells(rows).map((r) => r.slice(0, 5)))}\n`;
  return `${heading}\n${textTable(header, cells(rows))}\n---\n${SIGNIF_LEGEND}\n`;
}

export function registerAnova(program: Command, io: CliIO): void {
  addSavedModelOption(addModelOptions(
    program
      .command('anova')
      .description('F tests of the fixed-effects terms (type III or I) with Satterthwaite or Kenward-Roger denominator df')
      .argument('[file]', 'CSV file with a header row')
      .argument('[formula]', 'model formula, e.g. "angle ~ recipe * temp + (1 | recipe:replicate)"')
      .addOption(new Option('--type <type>', 'type III (marginal) or I (sequential) tests').choices(['3', '1']).default('3'))
      .addOption(new Option('--ddf <method>', 'denominator degrees of freedom').choices(['satterthwaite', 'kenward-roger']).default('satterthwaite')),
  )).action(async (file: string | undefined, formula: string | undefined, flags: AnovaFlags & { model?: string }) => {
    const model = await modelFromArgs(file, formula, flags);
    const rows = anova(model, { type: flags.type === '1' ? 1 : 3, ddf: flags.ddf });
    io.stdout(formatAnova(rows, title(flags.type, model.kind === 'lmm', flags.ddf), flags.format));
  });
}
