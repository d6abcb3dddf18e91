/**
 * Number formatting as R prints model summaries: significant digits,
 * `format.pval`'s `< 2e-16`, significance stars, and right-aligned tables.
 */
import { markdownText, visibleControls } from './escape.js';
import { maxOf, minOf } from '../data/extent.js';

/** `x` to `digits` significant digits, R style (`1.234e-05`, `176.7`, `-11.93`). */
export function signif(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  const e = Math.floor(Math.log10(Math.abs(x)));
  if (e < -4 || e >= 15) return expo(x, digits);
  const s = x.toPrecision(digits);
  return s.includes('e') ? expo(x, digits) : trimZeros(s);
}

function expo(x: number, digits: number): string {
  const [m, ex] = x.toExponential(digits - 1).split('e');
  const n = Number(ex);
  return `${trimZeros(m)}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** A column of numbers with a common number of decimals, as R's `format()` of a coefficient column. */
export function formatColumn(xs: readonly number[], digits = 4): string[] {
  const finite = xs.filter(Number.isFinite);
  if (finite.length === 0) return xs.map((x) => signif(x, digits));
  const maxAbs = maxOf(finite.map(Math.abs));
  const minAbs = Math.min(minOf(finite.filter((x) => x !== 0).map(Math.abs)), maxAbs);
  if (maxAbs >= 1e15 || (minAbs > 0 && minAbs < 1e-4)) return xs.map((x) => signif(x, digits));
  const mag = minAbs > 0 ? Math.floor(Math.log10(minAbs)) : 0;
  const decimals = Math.min(10, Math.max(0, digits - 1 - mag));
  return xs.map((x) => (Number.isFinite(x) ? x.toFixed(decimals) : signif(x)));
}

/** R's format.pval with eps = 2e-16: `< 2e-16`, else 3 significant digits. */
export function formatPValue(p: number): string {
  if (Number.isNaN(p)) return 'NA';
  if (p < 2.2e-16) return '< 2e-16';
  return signif(p, 3);
}

/** R's significance stars. */
export function stars(p: number): string {
  if (!(p >= 0)) return '';
  return p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : p < 0.1 ? '.' : ' ';
}

export const SIGNIF_LEGEND = "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1";

/**
 * Rows of cells as a plain-text table: first column left-aligned, the rest
 * right-aligned; control characters from the data shown as symbols (escape.ts),
 * so that a line break cannot break the table nor an escape sequence reach the terminal.
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows].map((r) => r.map((c) => visibleControls(c ?? '')));
  const widths = header.map((_, j) => maxOf(all.map((r) => (r[j] ?? '').length)));
  return all
    .map((r) => r.map((cell, j) => (j === 0 ? (cell ?? '').padEnd(widths[j]) : (cell ?? '').padStart(widths[j]))).join('  ').trimEnd())
    .join('\n');
}

/**
 * The same rows as a GitHub-flavoured markdown table, every cell escaped
 * (escape.ts: no HTML, no line breaks, no stray `|` from the data), and
 * followed by an empty line: without one, a renderer takes the next line of
 * text for another row.
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [markdownRow(header), markdownRule(header.length), ...rows.map(markdownRow)].join('\n') + '\n';
}

/** One row of a markdown table, its cells escaped. */
export function markdownRow(cells: readonly string[]): string {
  return `| ${cells.map((c) => markdownText(c ?? '', true)).join(' | ')} |`;
}

/** The rule under a markdown table's header: the first column left-aligned, the rest right-aligned. */
export function markdownRule(ncol: number): string {
  return `|${Array.from({ length: ncol }, (_, j) => (j === 0 ? ' --- ' : ' ---: ')).join('|')}|`;
}

/** Whether `block` is a table made by markdownTable (header row, then the rule). */
function isMarkdownTable(block: string): boolean {
  return /^\| [^\n]*\n\|( ---:? \|)+\n/.test(block);
}

/**
 * The blocks of a summary (lines of text, tables) as markdown: text escaped
 * (escape.ts), tables as they are. Text blocks begin with this library's own
 * words, never with data, so none is taken for a table.
 */
export function markdownBlocks(blocks: readonly string[]): string[] {
  return blocks.map((b) => (b === '---' || isMarkdownTable(b) ? b : markdownText(b)));
}
