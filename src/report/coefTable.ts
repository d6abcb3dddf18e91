/** The coefficient table of R's summaries (printCoefmat), as rows of formatted cells. */
import type { Coefficient } from '../lm/coefficient.js';
import { formatColumn, formatPValue, signif, stars } from './format.js';

export interface CoefTable {
  header: string[];
  rows: string[][];
  /** True when a p-value column is present (so the legend applies). */
  hasP: boolean;
}

/**
 * Estimate and Std. Error share decimals (as printCoefmat formats them together);
 * the statistic is printed to 3 decimals; df (Satterthwaite) when some row has a
 * non-residual df; the p-value with R's format.pval; stars last.
 */
export function coefTable(cs: readonly Coefficient[], statName: 't' | 'z', options: { showDf?: boolean } = {}): CoefTable {
  const both = formatColumn([...cs.map((c) => c.estimate), ...cs.map((c) => c.stdError)], 4);
  const est = both.slice(0, cs.length);
  const se = both.slice(cs.length);
  const header = ['', 'Estimate', 'Std. Error'];
  if (options.showDf) header.push('df');
  header.push(`${statName} value`, `Pr(>|${statName}|)`, '');
  const rows = cs.map((c, i) => {
    const row = [c.term, est[i], se[i]];
    if (options.showDf) row.push(c.df === null ? '' : signif(c.df, 4));
    row.push(c.statistic.toFixed(3), formatPValue(c.pValue), stars(c.pValue));
    return row;
  });
  return { header, rows, hasP: true };
}
