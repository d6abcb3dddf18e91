/**
 * ANOVA tables as R prints them (print.anova -> printCoefmat, R 4.2, with
 * digits = 5): columns zapsmall'ed and formatted together with 5 significant
 * digits (`Df` columns formatted only), test statistics rounded to 4 decimals
 * first, p-values by format.pval with 4 digits (`<2e-16` below machine
 * epsilon), significance stars when any p < 0.1, missing cells blank. Also
 * markdown tables of the same cells and JSON (non-finite numbers as null).
 *
 * Tables: lmerTest's (Sum Sq, Mean Sq, NumDF, DenDF, F value, Pr(>F)), R's
 * anova.lm (Df, Sum Sq, Mean Sq, F value, Pr(>F), with Residuals) and
 * anova.glm (Df, Deviance, Resid. Df, Resid. Dev, [F], Pr(>Chi) or Pr(>F)).
 */
import { zapsmall } from '../inference/emmeans/adjust.js';
import type { AnovaRow, DevianceRow, GlmTest } from '../inference/anova/types.js';
import { markdownTable, SIGNIF_LEGEND, stars } from './format.js';
import { formatReal } from './rFormat.js';
import type { OutputFormat } from './render.js';

const DIGITS = 5;
const DIG_TST = 4;
const EPS = 2.220446049250313e-16;

type Role = 'zap' | 'df' | 'test' | 'p';

interface NumericColumn {
  name: string;
  values: readonly number[];
  role: Role;
}

/** R's format.pval(p, digits = 4) of the present p-values. */
function formatPValues(p: readonly number[]): string[] {
  const tiny = p.map((v) => v < EPS);
  const fixed = p.map((v, i) => !tiny[i] && (v === 0 || Math.floor(Math.log10(v)) >= -3));
  const out = p.map(() => '');
  const fill = (mask: boolean[]) => {
    const idx = p.map((_, i) => i).filter((i) => mask[i]);
    formatReal(idx.map((i) => p[i]), DIG_TST).forEach((s, k) => (out[idx[k]] = s));
  };
  fill(fixed);
  fill(p.map((_, i) => !tiny[i] && !fixed[i]));
  if (tiny.some(Boolean)) {
    const nc = Math.max(0, ...out.filter((_, i) => !tiny[i]).map((s) => s.length));
    let digits = Math.max(1, DIG_TST - 2);
    let sep = digits === 1 ? '' : ' ';
    if (tiny.some((t) => !t)) {
      if (digits > 1 && digits + 6 > nc) digits = Math.max(1, nc - 7);
      sep = digits === 1 && nc <= 6 ? '' : ' ';
    }
    const eps = formatReal([EPS], digits)[0];
    tiny.forEach((t, i) => t && (out[i] = `<${sep}${eps}`));
  }
  return out;
}

/** The cells of one column (module comment); NaN cells are blank. */
function cells(col: NumericColumn): string[] {
  const present = col.values.map((v, i) => (Number.isNaN(v) ? -1 : i)).filter((i) => i >= 0);
  const x = present.map((i) => col.values[i]);
  let text: string[];
  if (col.role === 'p') text = formatPValues(x);
  else if (col.role === 'test') text = formatReal(x.map((v) => Math.round(v * 1e4) / 1e4), DIGITS);
  else {
    const xm = col.role === 'zap' ? zapsmall(x, DIGITS) : x;
    text = formatReal(xm, DIGITS).map((s, k) => (xm[k] !== 0 && Number(s) === 0 ? formatReal([xm[k]], DIGITS - 1)[0] : s));
  }
  const out = col.values.map(() => '');
  present.forEach((i, k) => (out[i] = text[k]));
  return out;
}

function printCoefmat(rowNames: readonly string[], columns: readonly NumericColumn[], format: 'text' | 'markdown'): string {
  const body = columns.map(cells);
  const p = columns.find((c) => c.role === 'p');
  const withStars = p !== undefined && p.values.some((v) => v < 0.1);
  const starCells = withStars ? p!.values.map((v) => (Number.isNaN(v) ? '' : stars(v).trim())) : [];
  if (format === 'markdown') {
    const rows = rowNames.map((name, i) => [name, ...body.map((c) => c[i])]);
    return markdownTable(['Term', ...columns.map((c) => c.name)], rows) + '\n';
  }
  const header = [...columns.map((c) => c.name), ...(withStars ? [''] : [])];
  const table = [...body, ...(withStars ? [starCells.map((s) => s.padEnd(Math.max(...starCells.map((t) => t.length))))] : [])];
  const nameWidth = Math.max(...rowNames.map((n) => n.length), 0);
  const widths = header.map((h, j) => Math.max(h.length, ...table[j].map((s) => s.length)));
  const line = (first: string, row: readonly string[]) => (first.padEnd(nameWidth) + row.map((s, j) => ' ' + s.padStart(widths[j])).join('')).trimEnd();
  const lines = [line('', header), ...rowNames.map((name, i) => line(name, table.map((c) => c[i])))];
  return lines.join('\n') + '\n' + (withStars ? `---\n${SIGNIF_LEGEND}\n` : '');
}

/** The heading lines as R prints them, or as markdown paragraphs (the first in bold). */
function title(heading: readonly string[], format: 'text' | 'markdown'): string {
  if (format === 'text') return heading.map((l) => l + '\n').join('');
  return heading.filter((l) => l !== '').map((l, i) => (i === 0 ? `**${l}**` : l) + '\n\n').join('');
}

const jsonNumber = (x: number): number | null => (Number.isFinite(x) ? x : null);

function json(rows: readonly object[]): string {
  return JSON.stringify(rows, (_, v) => (typeof v === 'number' ? jsonNumber(v) : v), 2) + '\n';
}

/** An F-test table: lmerTest's for a mixed model (`mixed`), R's anova.lm for a linear model. */
export function formatAnovaTable(rows: readonly AnovaRow[], heading: readonly string[], mixed: boolean, format: OutputFormat): string {
  if (format === 'json') return json(rows);
  const columns: NumericColumn[] = mixed
    ? [
        { name: 'Sum Sq', values: rows.map((r) => r.sumSq), role: 'zap' },
        { name: 'Mean Sq', values: rows.map((r) => r.meanSq), role: 'zap' },
        { name: 'NumDF', values: rows.map((r) => r.numDf), role: 'zap' },
        { name: 'DenDF', values: rows.map((r) => r.denDf), role: 'zap' },
        { name: 'F value', values: rows.map((r) => r.F), role: 'test' },
        { name: 'Pr(>F)', values: rows.map((r) => r.pValue), role: 'p' },
      ]
    : [
        { name: 'Df', values: rows.map((r) => r.numDf), role: 'df' },
        { name: 'Sum Sq', values: rows.map((r) => r.sumSq), role: 'zap' },
        { name: 'Mean Sq', values: rows.map((r) => r.meanSq), role: 'zap' },
        { name: 'F value', values: rows.map((r) => r.F), role: 'test' },
        { name: 'Pr(>F)', values: rows.map((r) => r.pValue), role: 'p' },
      ];
  return `${title(heading, format)}${printCoefmat(rows.map((r) => r.term), columns, format)}`;
}

/** R's analysis of deviance table of a GLM. */
export function formatDevianceTable(rows: readonly DevianceRow[], heading: readonly string[], test: GlmTest, format: OutputFormat): string {
  if (format === 'json') return json(rows.map(({ F, ...rest }) => (test === 'F' ? { ...rest, F } : rest)));
  const columns: NumericColumn[] = [
    { name: 'Df', values: rows.map((r) => r.df), role: 'df' },
    { name: 'Deviance', values: rows.map((r) => r.deviance), role: 'zap' },
    { name: 'Resid. Df', values: rows.map((r) => r.residDf), role: 'df' },
    { name: 'Resid. Dev', values: rows.map((r) => r.residDeviance), role: 'zap' },
  ];
  if (test === 'F') columns.push({ name: 'F', values: rows.map((r) => r.F), role: 'test' });
  if (test !== 'none') columns.push({ name: test === 'F' ? 'Pr(>F)' : 'Pr(>Chi)', values: rows.map((r) => r.pValue), role: 'p' });
  return `${title(heading, format)}${printCoefmat(rows.map((r) => r.term), columns, format)}`;
}
