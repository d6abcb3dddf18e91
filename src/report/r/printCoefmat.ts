/**
 * R's printCoefmat() (package stats), the coefficient and anova tables of R's
 * summaries, with format.pval() and the significance stars (symnum).
 *
 * - zap columns are zapsmall()ed to `digits`;
 * - the coefficient columns (cs: estimates, standard errors, lmerTest's df)
 *   are rounded together to max(1, digits - digmin) decimals, digmin = 1 +
 *   floor(log10(smallest non-zero |value|)), then formatted together to
 *   `digits` significant digits: they share their decimals;
 * - the test-statistic columns are rounded to digTst = max(1, min(5, digits -
 *   1)) decimals and formatted to `digits`; any other column alone;
 * - a non-zero value printed as zero is printed again with digits - 1
 *   significant digits;
 * - p-values by format.pval(p, digTst, eps = 2.2e-16): those shown fixed
 *   (exponent >= -4) formatted together, the others together, those below eps
 *   as `< 2.2e-16` with max(1, digTst - 2) digits (`<2e-16` when the column
 *   is narrow), followed by a column of stars: (0, 0.001] `***`, (0.001,
 *   0.01] `**`, (0.01, 0.05] `*`, (0.05, 0.1] `.`, else a space; the stars and
 *   the legend appear only when some p-value is below 0.1.
 * - NA cells print as `naPrint`.
 */
import { formatReal, roundR, zapsmall, type RNumber } from './formatReal.js';
import { printMatrix } from './print.js';

export const SIGNIF_LEGEND_R = 'Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1';

const EPS = 2.220446049250313e-16;

export interface CoefmatOptions {
  digits: number;
  /** Coefficient columns (0-based), formatted together. */
  cs: readonly number[];
  /** Test-statistic columns. */
  tst: readonly number[];
  zap?: readonly number[];
  /** Whether the last column holds p-values. */
  hasP: boolean;
  naPrint?: string;
  /** Right-align (R's default); false only for tables R prints left-aligned. */
  right?: boolean;
}

/** The formatted table: header and cells (a stars column added when due), and whether the legend follows. */
export interface Coefmat {
  header: string[];
  rowNames: string[];
  cells: string[][];
  legend: boolean;
}

const column = (x: readonly RNumber[][], j: number): RNumber[] => x.map((r) => r[j]);
const isNA = (v: RNumber): boolean => v === null || Number.isNaN(v);

export function coefmat(x: readonly RNumber[][], colNames: readonly string[], rowNames: readonly string[], o: CoefmatOptions): Coefmat {
  const nr = x.length;
  const nc = colNames.length;
  const xm = x.map((r) => r.slice());
  const cf = x.map(() => Array.from({ length: nc }, () => ''));
  for (const j of o.zap ?? []) zapsmall(column(xm, j), o.digits).forEach((v, i) => (xm[i][j] = v));
  setColumns(cf, o.cs, formatCoefColumns(xm, o.cs, o.digits));
  const digTst = Math.max(1, Math.min(5, o.digits - 1));
  setColumns(cf, o.tst, formatReal(o.tst.flatMap((j) => column(xm, j).map((v) => roundR(v, digTst))), o.digits));
  for (let j = 0; j < nc; j++) {
    if (!o.cs.includes(j) && !o.tst.includes(j) && !(o.hasP && j === nc - 1)) setColumns(cf, [j], formatReal(column(xm, j), o.digits));
  }
  reprintZeros(xm, cf, o, nc);
  for (let i = 0; i < nr; i++) {
    for (let j = 0; j < nc; j++) {
      const v = xm[i][j];
      if (v === null) cf[i][j] = o.naPrint ?? 'NA';
      else if (Number.isNaN(v)) cf[i][j] = 'NaN';
    }
  }
  const header = [...colNames];
  let legend = false;
  if (o.hasP) {
    const p = column(xm, nc - 1);
    const ok = p.map((v) => !isNA(v));
    if (ok.some(Boolean)) {
      const shown = formatPval(p.filter((_, i) => ok[i]) as number[], digTst);
      let k = 0;
      p.forEach((_, i) => ok[i] && (cf[i][nc - 1] = shown[k++]));
      legend = p.some((v, i) => ok[i] && (v as number) < 0.1);
      if (legend) {
        const s = p.map((v) => (isNA(v) ? '' : stars(v as number)));
        const w = Math.max(...s.map((t) => t.length));
        s.forEach((t, i) => cf[i].push(t.padEnd(w)));
        header.push('');
      }
    }
  }
  return { header, rowNames: [...rowNames], cells: cf, legend };
}

function setColumns(cf: string[][], cols: readonly number[], values: readonly string[]): void {
  const nr = cf.length;
  cols.forEach((j, k) => cf.forEach((row, i) => (row[j] = values[k * nr + i])));
}

/** The coefficient columns, rounded and formatted together (column-major). */
function formatCoefColumns(xm: readonly RNumber[][], cs: readonly number[], digits: number): string[] {
  const values = cs.flatMap((j) => column(xm, j));
  const acs = values.filter((v): v is number => v !== null && Number.isFinite(v)).map(Math.abs);
  if (acs.length === 0) return values.map(() => '');
  const nonZero = acs.filter((v) => v !== 0);
  const digmin = nonZero.length > 0 ? [Math.min(...nonZero), Math.max(...nonZero)].map((v) => 1 + Math.floor(Math.log10(v))) : [1];
  const decimals = Math.max(1, ...digmin.map((d) => digits - d));
  return formatReal(values.map((v) => roundR(v, decimals)), digits);
}

/** Non-zero values (outside the statistic and p columns) printed as zero are formatted again with digits - 1. */
function reprintZeros(xm: readonly RNumber[][], cf: string[][], o: CoefmatOptions, nc: number): void {
  const cells: [number, number][] = [];
  for (let j = 0; j < nc; j++) {
    if (o.tst.includes(j) || (o.hasP && j === nc - 1)) continue;
    xm.forEach((row, i) => {
      const v = row[j];
      if (!isNA(v) && (v === 0) !== (Number(cf[i][j]) === 0)) cells.push([i, j]);
    });
  }
  if (cells.length === 0) return;
  const again = formatReal(cells.map(([i, j]) => xm[i][j]), Math.max(1, o.digits - 1));
  cells.forEach(([i, j], k) => (cf[i][j] = again[k]));
}

/** R's format.pval(p, digits, eps = .Machine$double.eps). */
export function formatPval(p: readonly number[], digits: number): string[] {
  const out = p.map(() => '');
  const idx = p.map((_, i) => i).filter((i) => !(p[i] < EPS));
  const fixp = idx.filter((i) => {
    const expo = Math.floor(Math.log10(p[i] > 0 ? p[i] : 1e-50));
    return expo >= -3 || (expo === -4 && digits > 1);
  });
  const sci = idx.filter((i) => !fixp.includes(i));
  for (const group of [fixp, sci]) formatReal(group.map((i) => p[i]), digits).forEach((s, k) => (out[group[k]] = s));
  const tiny = p.map((_, i) => i).filter((i) => p[i] < EPS);
  if (tiny.length > 0) {
    let d = Math.max(1, digits - 2);
    let sep: string;
    if (idx.length > 0) {
      const nc = Math.max(...idx.map((i) => out[i].length));
      if (d > 1 && d + 6 > nc) d = Math.max(1, nc - 7);
      sep = d === 1 && nc <= 6 ? '' : ' ';
    } else sep = d === 1 ? '' : ' ';
    const eps = formatReal([EPS], d)[0];
    for (const i of tiny) out[i] = `<${sep}${eps}`;
  }
  return out;
}

/** symnum's stars for a p-value: intervals closed on the right. */
export function stars(p: number): string {
  return p <= 0.001 ? '***' : p <= 0.01 ? '**' : p <= 0.05 ? '*' : p <= 0.1 ? '.' : ' ';
}

/** The table as R prints it, then `---` and the legend when stars were shown. */
export function printCoefmat(t: Coefmat, right = true): string[] {
  const lines = printMatrix(t.cells, { rowNames: t.rowNames, colNames: t.header, right });
  return t.legend ? [...lines, '---', SIGNIF_LEGEND_R] : lines;
}
