/**
 * A side-by-side model table (tidy/modelTable.ts) as sjPlot's tab_model
 * prints it: per model three columns (estimate, confidence interval, p),
 * then the random-effects section and the summary rows, each value under its
 * model's estimate column.
 *
 * Numbers: estimates, intervals and variances with 2 decimals (2 significant
 * digits below 0.005 in size), p-values with 3 decimals or `<0.001`, ICC,
 * correlations and R^2 with 3, counts as integers. Text: an aligned table;
 * markdown: a GitHub table, cells escaped (format.ts); HTML: a `<table>`
 * element whose every text from the models (labels, terms, group names) is
 * escaped (html.ts), to embed in a page.
 */
import type { ModelTable, ModelTableCell, ModelTableRow } from '../tidy/modelTable.js';
import { MixedModelsError } from '../errors.js';
import { markdownTable, signif, textTable } from './format.js';
import { escapeHtml } from './html.js';
import { percent } from '../plot/theme.js';

/** The formats a model table prints in: text, markdown or HTML (escaped). */
export type ModelTableFormat = 'text' | 'markdown' | 'html';

function estimate(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return 'NA';
  return x !== 0 && Math.abs(x) < 0.005 ? signif(x, 2) : x.toFixed(2);
}

function pValue(p: number | null): string {
  if (p === null) return '';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

function rowValue(x: number | null, kind: ModelTableRow['kind']): string {
  if (x === null) return '';
  if (kind === 'count') return String(x);
  return kind === 'ratio' ? (Number.isFinite(x) ? x.toFixed(3) : 'NA') : estimate(x);
}

function cellTexts(c: ModelTableCell | null): string[] {
  if (c === null) return ['', '', ''];
  const ci = c.low === null || c.high === null ? '' : `${estimate(c.low)} – ${estimate(c.high)}`;
  return [estimate(c.estimate), ci, pValue(c.p)];
}

/** Header and body as plain cells (text and markdown). */
function grid(t: ModelTable): { header: string[]; rows: string[][] } {
  const ci = `CI (${percent(t.level)})`;
  const header = ['Predictors', ...t.models.flatMap((m) => [`${m.label}: ${t.estimateLabel}`, ci, 'p'])];
  const blank = (label: string) => [label, ...t.models.flatMap(() => ['', '', ''])];
  const valueRow = (r: ModelTableRow) => [r.label, ...r.values.flatMap((x) => [rowValue(x, r.kind), '', ''])];
  const rows = t.fixed.map((f) => [f.term, ...f.cells.flatMap(cellTexts)]);
  if (t.random.length > 0) rows.push(blank('Random Effects'), ...t.random.map(valueRow));
  rows.push(...t.summary.map(valueRow));
  return { header, rows };
}

function html(t: ModelTable): string {
  const e = escapeHtml;
  const th = (s: string, attrs = '') => `<th${attrs}>${e(s)}</th>`;
  const td = (s: string, attrs = '') => `<td${attrs}>${e(s)}</td>`;
  const n = t.models.length;
  const lines = ['<table class="model-table">', '<thead>'];
  lines.push(`<tr>${th('')}${t.models.map((m) => th(m.label, ' colspan="3"')).join('')}</tr>`);
  lines.push(`<tr>${th('Predictors')}${t.models.map(() => th(t.estimateLabel) + th(`CI (${percent(t.level)})`) + th('p')).join('')}</tr>`);
  lines.push('</thead>', '<tbody>');
  for (const f of t.fixed) lines.push(`<tr>${td(f.term)}${f.cells.flatMap(cellTexts).map((c) => td(c)).join('')}</tr>`);
  const valueRow = (r: ModelTableRow) => `<tr>${td(r.label)}${r.values.map((x) => td(rowValue(x, r.kind), ' colspan="3"')).join('')}</tr>`;
  if (t.random.length > 0) lines.push(`<tr><th colspan="${3 * n + 1}">Random Effects</th></tr>`, ...t.random.map(valueRow));
  lines.push(...t.summary.map(valueRow), '</tbody>', '</table>');
  return lines.join('\n') + '\n';
}

/** The table in `format`. */
export function formatModelTable(t: ModelTable, format: ModelTableFormat = 'text'): string {
  if (format === 'html') return html(t);
  const { header, rows } = grid(t);
  if (format === 'markdown') return markdownTable(header, rows);
  if (format === 'text') return textTable(header, rows) + '\n';
  throw new MixedModelsError(`format must be 'text', 'markdown' or 'html', not '${String(format)}'`);
}
