/**
 * Tidy rows (src/tidy) printed: CSV (csvText.ts), JSON (an array of row
 * objects), or a text or markdown table with numbers to 6 significant digits
 * (p-values to 3) and NA for null.
 */
import { MixedModelsError } from '../errors.js';
import { columnNames, type TidyRow, type TidyValue } from '../tidy/rows.js';
import { toCsv } from './csvText.js';
import { markdownTable, signif, textTable } from './format.js';

/** The formats a tidy table prints in: CSV (spreadsheet-safe), JSON, text or markdown. */
export type TidyFormat = 'csv' | 'json' | 'text' | 'markdown';
export const TIDY_FORMATS: readonly TidyFormat[] = ['csv', 'json', 'text', 'markdown'];

function cell(x: TidyValue | undefined, column: string): string {
  if (x === null || x === undefined) return 'NA';
  if (typeof x === 'string') return x;
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  return signif(x, column === 'p.value' ? 3 : 6);
}

/** `rows` in `format`. */
export function formatTidy(rows: readonly TidyRow[], format: TidyFormat): string {
  if (format === 'csv') return toCsv(rows);
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n';
  if (format !== 'text' && format !== 'markdown') throw new MixedModelsError(`format must be one of ${TIDY_FORMATS.join(', ')}, not '${String(format)}'`);
  const names = columnNames(rows);
  const body = rows.map((r) => names.map((n) => cell(r[n], n)));
  return format === 'text' ? textTable(names, body) + '\n' : markdownTable(names, body);
}
