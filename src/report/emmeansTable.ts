/**
 * Marginal means and contrasts as emmeans 1.8.4 prints them
 * (print.summary_emm), as markdown tables, or as JSON.
 *
 * Printing, as R: numeric columns are zapsmall'ed; df rounded to 2 decimals;
 * t/z ratios to 3 decimals and p-values to 4 (`<.0001` below); the other
 * numeric columns formatted together with d significant digits, d the
 * largest over rows of emmeans' .opt.dig(estimate + (-2, 0, 2) SE) (at
 * least 3). Label columns are left-aligned, numbers right-aligned, one space
 * between columns; `by` groups get a `var = level:` heading each; the
 * annotations follow the table.
 *
 * JSON: {emmeans: [{<factor>: level, ..., estimate, stdError, df, lower,
 * upper}], contrasts: [{contrast, <by>: level, ..., estimate, stdError, df,
 * statistic, pValue}], ...}; non-finite numbers (df of z tests) are null.
 */
import { zapsmall } from '../inference/emmeans/adjust.js';
import type { Contrasts } from '../inference/emmeans/contrast.js';
import type { Emmeans } from '../inference/emmeans/emmeans.js';
import { formatFixed, formatReal } from './rFormat.js';
import { markdownTable } from './format.js';
import type { OutputFormat } from './render.js';

interface Column {
  name: string;
  cells: string[];
  /** Label columns are left-aligned. */
  left: boolean;
}

/** emmeans' .opt.dig for one row: round(1.51 - log10 of the relative spread of (est - 2 SE, est, est + 2 SE)), at least 3. */
function optDigits(estimate: number, se: number): number {
  const x = [estimate - 2 * se, estimate, estimate + 2 * se];
  const m = Math.max(...x.map(Math.abs));
  if (!(m > 0) || !Number.isFinite(m)) return 3;
  const z = x.map((v) => v / m);
  const [dz] = zapsmall([z[2] - z[0], z[0], z[2]], 8);
  const digits = Math.round(1.51 - Math.log10(dz));
  return Number.isFinite(digits) ? Math.max(digits, 3) : 3;
}

function numericColumn(name: string, values: readonly number[], digits: number): Column {
  return { name, cells: formatReal(zapsmall(values), digits), left: false };
}

function levelColumn(name: string, values: readonly (string | number)[], digits: number): Column {
  if (values.every((v) => typeof v === 'number')) return numericColumn(name, values as number[], digits);
  return { name, cells: values.map(String), left: true };
}

function dfColumn(values: readonly number[], digits: number): Column {
  return numericColumn('df', values.map((v) => (Number.isFinite(v) ? Math.round(v * 100) / 100 : v)), digits);
}

function pColumn(values: readonly number[]): Column {
  return { name: 'p.value', cells: formatFixed(values, 4).map((s) => (s === '0.0000' ? '<.0001' : s)), left: false };
}

function render(columns: readonly Column[], rows: readonly number[]): string[] {
  const widths = columns.map((c) => Math.max(c.name.length, ...rows.map((i) => c.cells[i].length)));
  const pad = (s: string, j: number, left: boolean) => (left ? s.padEnd(widths[j]) : s.padStart(widths[j]));
  const header = ' ' + columns.map((c, j) => pad(c.name, j, c.left)).join(' ');
  return [header, ...rows.map((i) => ' ' + columns.map((c, j) => pad(c.cells[i], j, c.left)).join(' '))];
}

/** Row indices per by group (sorted as R orders them: by the by variables, the last slowest) and each group's heading. */
function groups(levels: readonly Record<string, string | number>[], by: readonly string[], columns: ReadonlyMap<string, Column>): { heading: string | null; rows: number[] }[] {
  const all = levels.map((_, i) => i);
  if (by.length === 0) return [{ heading: null, rows: all }];
  const out = new Map<string, number[]>();
  for (const i of all) {
    const key = by.map((b) => `${b} = ${columns.get(b)!.cells[i].trim()}`).join(', ');
    if (!out.has(key)) out.set(key, []);
    out.get(key)!.push(i);
  }
  return [...out].map(([heading, rows]) => ({ heading: `${heading}:`, rows }));
}

function table(columns: Column[], levels: readonly Record<string, string | number>[], by: readonly string[], annotations: readonly string[], format: 'text' | 'markdown'): string {
  const byColumns = new Map(columns.filter((c) => by.includes(c.name)).map((c) => [c.name, c]));
  const shown = columns.filter((c) => !by.includes(c.name));
  const parts = groups(levels, by, byColumns).map(({ heading, rows }) => {
    const body = format === 'text'
      ? render(shown, rows).join('\n')
      : markdownTable(shown.map((c) => c.name), rows.map((i) => shown.map((c) => c.cells[i].trim())));
    return heading === null ? body : `${format === 'markdown' ? `**${heading}**\n\n` : `${heading}\n`}${body}`;
  });
  return `${parts.join('\n\n')}\n\n${annotations.join('\n')}\n`;
}

/** The table of means as emmeans prints it. */
export function meansTable(emm: Emmeans, format: 'text' | 'markdown' = 'text'): string {
  const rows = emm.rows;
  const digits = Math.max(...rows.map((r) => optDigits(r.estimate, r.stdError)));
  const z = rows.every((r) => !Number.isFinite(r.df));
  const [lo, hi] = z ? ['asymp.LCL', 'asymp.UCL'] : ['lower.CL', 'upper.CL'];
  const columns = [
    ...emm.variables.map((v) => levelColumn(v.name, rows.map((r) => r.levels[v.name]), digits)),
    numericColumn(emm.estName, rows.map((r) => r.estimate), digits),
    numericColumn('SE', rows.map((r) => r.stdError), digits),
    dfColumn(rows.map((r) => r.df), digits),
    numericColumn(lo, rows.map((r) => r.lower), digits),
    numericColumn(hi, rows.map((r) => r.upper), digits),
  ];
  return table(columns, rows.map((r) => r.levels), emm.by, emm.annotations, format);
}

/** The table of contrasts as emmeans prints it. */
export function contrastsTable(c: Contrasts, format: 'text' | 'markdown' = 'text'): string {
  const rows = c.rows;
  const digits = Math.max(...rows.map((r) => optDigits(r.estimate, r.stdError)));
  const levels = rows.map((r) => ({ contrast: r.contrast, ...r.levels }));
  const columns = [
    { name: 'contrast', cells: rows.map((r) => r.contrast), left: true },
    ...c.by.map((b) => levelColumn(b, rows.map((r) => r.levels[b]), digits)),
    numericColumn(c.estName, rows.map((r) => r.estimate), digits),
    numericColumn('SE', rows.map((r) => r.stdError), digits),
    dfColumn(rows.map((r) => r.df), digits),
    ...(c.nullValue === null ? [] : [numericColumn('null', rows.map(() => c.nullValue!), digits)]),
    { name: c.statName, cells: formatFixed(rows.map((r) => r.statistic), 3), left: false },
    pColumn(rows.map((r) => r.pValue)),
  ];
  return table(columns, levels, c.by, c.annotations, format);
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The JSON object of the module comment. */
export function emmeansJson(emm: Emmeans, contrasts: Contrasts | null): Record<string, unknown> {
  return {
    emmeans: emm.rows.map((r) => ({ ...r.levels, estimate: finite(r.estimate), stdError: finite(r.stdError), df: finite(r.df), lower: finite(r.lower), upper: finite(r.upper) })),
    contrasts: contrasts === null ? [] : contrasts.rows.map((r) => ({
      contrast: r.contrast, ...r.levels, estimate: finite(r.estimate), stdError: finite(r.stdError), df: finite(r.df), statistic: finite(r.statistic), pValue: finite(r.pValue),
    })),
    type: emm.type,
    scale: emm.estName,
    level: emm.level,
    dfMethod: emm.dfMethod,
    adjust: contrasts?.adjust ?? null,
    averagedOver: emm.averagedOver,
    annotations: { emmeans: emm.annotations, contrasts: contrasts?.annotations ?? [] },
    messages: [...emm.messages, ...(contrasts?.messages ?? [])],
  };
}

/** Means and contrasts in one output, as R prints emmeans(model, pairwise ~ specs). */
export function formatEmmeans(emm: Emmeans, contrasts: Contrasts | null, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(emmeansJson(emm, contrasts), null, 2) + '\n';
  const notes = [...emm.messages, ...(contrasts?.messages ?? [])];
  const head = format === 'markdown' ? (s: string) => `**${s}**\n\n` : (s: string) => `$${s}\n`;
  let out = head('emmeans') + meansTable(emm, format);
  if (contrasts !== null) out += '\n' + head('contrasts') + contrastsTable(contrasts, format);
  return notes.length ? `${out}\n${notes.join('\n')}\n` : out;
}
