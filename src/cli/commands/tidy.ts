/**
 * `mixedmodels fit ... --tidy fixed|ranef|varcorr|glance|augment [--conf-int]
 * [--level p] --format csv|json|text|markdown`: instead of the summary, one
 * tidy table of the fit (src/tidy), printed by formatTidy (CSV quoted and
 * guarded against spreadsheet formulas: report/csvText.ts).
 *
 * (`--table` already names a database table for every data command, hence `--tidy`.)
 */
import { Option, type Command } from 'commander';
import type { FittedModel } from '../../api/fit.js';
import { MixedModelsError } from '../../errors.js';
import { formatTidy, type TidyFormat } from '../../report/tidyTable.js';
import { augment } from '../../tidy/augment.js';
import { glance } from '../../tidy/glance.js';
import type { TidyRow } from '../../tidy/rows.js';
import { tidy } from '../../tidy/tidy.js';
import { levelFlag } from '../modelOptions.js';

export const TIDY_TABLES = ['fixed', 'ranef', 'varcorr', 'glance', 'augment'] as const;
export type TidyTable = (typeof TIDY_TABLES)[number];

export interface TidyFlags {
  tidy?: TidyTable;
  confInt?: boolean;
  level?: string;
  format: string;
}

export function addTidyOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--tidy <table>', 'print one tidy table (broom.mixed columns) instead of the summary: fixed, ranef (conditional modes), varcorr (sd and correlations), glance, augment').choices([...TIDY_TABLES]))
    .option('--conf-int', 'with --tidy fixed or ranef: add conf.low and conf.high (Wald)')
    .option('--level <p>', 'with --conf-int: their coverage (default 0.95)');
}

/** The format and table flags checked together, before any work. */
export function checkTidyFlags(flags: TidyFlags & { penalty?: string }): void {
  if (flags.tidy === undefined) {
    if (flags.format === 'csv') throw new MixedModelsError('--format csv prints a tidy table: add --tidy fixed, ranef, varcorr, glance or augment');
    if (flags.confInt || flags.level !== undefined) throw new MixedModelsError('--conf-int and --level go with --tidy fixed or ranef');
    return;
  }
  if (flags.penalty !== undefined) throw new MixedModelsError('--tidy is not available for penalised fits (--penalty)');
  if (flags.level !== undefined && !flags.confInt) throw new MixedModelsError('--level sets the coverage of --conf-int: add --conf-int');
}

function rows(model: FittedModel, table: TidyTable, confInt: boolean, level: number): TidyRow[] {
  switch (table) {
    case 'fixed':
      return tidy(model, { effects: 'fixed', confInt, level });
    case 'ranef':
      return tidy(model, { effects: 'ran_vals', confInt, level });
    case 'varcorr':
      return tidy(model, { effects: 'ran_pars' });
    case 'glance':
      return [glance(model)];
    case 'augment':
      return augment(model);
  }
}

/** The table `flags.tidy` of `model` in `flags.format`. */
export function tidyOutput(model: FittedModel, flags: TidyFlags & { tidy: TidyTable }): string {
  const level = flags.level === undefined ? 0.95 : levelFlag(flags.level);
  return formatTidy(rows(model, flags.tidy, flags.confInt ?? false, level), flags.format as TidyFormat);
}
