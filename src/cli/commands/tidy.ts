/**
 * `mixedmodels fit ... --tidy fixed|ranef|varcorr|glance|augment [--conf-int]
 * [--level p] --format csv|json|text|markdown`: instead of the summary, one
 * tidy table of the fit (src/tidy), printed by formatTidy (CSV quoted and
 * guarded against spreadsheet formulas: report/csvText.ts). The flags: tidyOptions.ts.
 */
import type { FittedModel } from '../../api/fit.js';
import { formatTidy, type TidyFormat } from '../../report/tidyTable.js';
import { augment } from '../../tidy/augment.js';
import { glance } from '../../tidy/glance.js';
import type { TidyRow } from '../../tidy/rows.js';
import { tidy } from '../../tidy/tidy.js';
import { levelFlag } from '../modelOptions.js';
import type { TidyFlags, TidyTable } from './tidyOptions.js';

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
