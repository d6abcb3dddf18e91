/**
 * The coefficient matrices of R's summaries, formatted by printCoefmat
 * (r/printCoefmat.ts):
 *
 * - lmerTest: Estimate, Std. Error, df, t value, Pr(>|t|); df is one of the
 *   coefficient columns, so it shares their decimals (`17.000`);
 * - lme4 without df (`--ddf none`): Estimate, Std. Error, t value;
 * - glmer: Estimate, Std. Error, z value (t value for families with a scale),
 *   Pr(>|z|);
 * - lm, glm: Estimate, Std. Error, t or z value, Pr(>|t|) or Pr(>|z|), with
 *   a row of NA for each aliased coefficient.
 */
import type { Coefficient } from '../lm/coefficient.js';
import type { RNumber } from './r/formatReal.js';
import { coefmat, type Coefmat } from './r/printCoefmat.js';

export interface CoefColumns {
  /** Show the df column (lmerTest). */
  df: boolean;
  /** The statistic's letter: `t value` or `z value`. */
  stat: 't' | 'z';
  /** The p-value column's letter (`Pr(>|z|)`), or null for none. */
  p: 't' | 'z' | null;
}

const df = (x: number | null): RNumber => (x === null || Number.isNaN(x) ? null : x);

/**
 * The formatted coefficient table; aliased names get rows of NA (R prints them in place, these come last).
 * A NaN estimate, statistic or p-value (0/0 when a standard error is exactly 0) prints as `NaN`, as in R; a missing df as NA.
 */
export function coefTable(cs: readonly Coefficient[], cols: CoefColumns, aliased: readonly string[] = []): Coefmat {
  const header = ['Estimate', 'Std. Error', ...(cols.df ? ['df'] : []), `${cols.stat} value`, ...(cols.p ? [`Pr(>|${cols.p}|)`] : [])];
  const rows: RNumber[][] = cs.map((c) => [c.estimate, c.stdError, ...(cols.df ? [df(c.df)] : []), c.statistic, ...(cols.p ? [c.pValue] : [])]);
  for (const _ of aliased) rows.push(header.map(() => null));
  const k = cols.df ? 3 : 2;
  return coefmat(rows, header, [...cs.map((c) => c.term), ...aliased], { digits: 4, cs: Array.from({ length: k }, (_, j) => j), tst: [k], hasP: cols.p !== null });
}
