/**
 * Rows as CSV text (RFC 4180), safe to open in a spreadsheet:
 *
 * - a field holding the separator, a double quote, a line break or leading or
 *   trailing spaces is quoted, its quotes doubled;
 * - a text field that a spreadsheet would run as a formula (starting with
 *   `=`, `+`, `-`, `@`, a tab or a carriage return: CSV injection, OWASP) is
 *   prefixed with a single quote `'` and quoted, as OWASP advises, unless it is
 *   a plain number such as `-1.5`, which no spreadsheet runs;
 * - numbers are written in full (JavaScript's shortest round-trip form), so
 *   reading them back gives the same doubles; null (R's NA) is written `NA`,
 *   as R's write.csv, which R and pandas read as missing.
 *
 * Lines end with `\n`; the header is the union of the rows' keys.
 */
import type { TidyRow, TidyValue } from '../tidy/rows.js';
import { columnNames } from '../tidy/rows.js';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** One text field, quoted and guarded as the module comment says. */
export function csvField(text: string, sep = ','): string {
  const guarded = FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
  const needsQuotes = guarded !== text || guarded.includes(sep) || /["\r\n]/.test(guarded) || /^\s|\s$/.test(guarded);
  return needsQuotes ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

function value(x: TidyValue | undefined, sep: string): string {
  if (x === null || x === undefined) return 'NA';
  if (typeof x === 'number') return Number.isFinite(x) ? String(x) : 'NA';
  return csvField(x, sep);
}

/** `rows` as CSV with a header line. */
export function toCsv(rows: readonly TidyRow[], sep = ','): string {
  const names = columnNames(rows);
  const lines = [names.map((n) => csvField(n, sep)).join(sep), ...rows.map((r) => names.map((n) => value(r[n], sep)).join(sep))];
  return lines.join('\n') + '\n';
}
