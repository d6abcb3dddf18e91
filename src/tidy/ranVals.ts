/**
 * The conditional-mode rows of tidy() (broom.mixed's effects = "ran_vals"):
 * per grouping factor, per column (term), per level, the conditional mode b
 * (lme4's ranef) and its conditional standard deviation sqrt(condVar) as
 * std.error; with confInt the interval b +- qnorm((1 + level) / 2) std.error,
 * as broom.mixed.
 */
import type { MixedModel } from '../api/fit.js';
import { qnorm } from '../distributions/index.js';
import { finite, type TidyRow } from './rows.js';

export function ranValsRows(m: MixedModel, confInt: boolean, level: number): TidyRow[] {
  const z = qnorm((1 + level) / 2);
  const rows: TidyRow[] = [];
  for (const g of m.fit.ranef) {
    g.cnames.forEach((term, c) => {
      g.levels.forEach((lev, l) => {
        const b = g.values[l * g.k + c];
        const se = Math.sqrt(g.condVar[l * g.k * g.k + c * (g.k + 1)]);
        const row: TidyRow = { effect: 'ran_vals', group: g.group, level: lev, term, estimate: finite(b), 'std.error': finite(se) };
        if (confInt) {
          row['conf.low'] = finite(b - z * se);
          row['conf.high'] = finite(b + z * se);
        }
        rows.push(row);
      });
    });
  }
  return rows;
}
