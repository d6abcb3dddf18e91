/**
 * The correlation of the fixed-effects estimates, R's cov2cor(vcov(m)):
 * r_ij = V_ij / sqrt(V_ii V_jj), V the p x p covariance (column-major).
 *
 * Printed as lme4's print.summary.merMod does (symbolic.cor = FALSE): when
 * 1 < p <= 12 (getOption("lme4.summary.cor.max")), the values rounded to 3
 * decimals and formatted as one vector (nsmall = 3), the lower triangle
 * without its first row and last column, rows labelled by the names
 * abbreviated to 11 characters and columns to 6 (R's abbreviate), printed
 * left-aligned; when p > 12, a line saying it is not shown.
 */
import { abbreviate } from './r/abbreviate.js';
import { formatReal, roundR } from './r/formatReal.js';
import { printMatrix } from './r/print.js';
import { table, type Piece } from './printout.js';

/** lme4's default getOption("lme4.summary.cor.max"). */
export const COR_MAX = 12;

/** cov2cor(V) for a p x p column-major covariance matrix. */
export function cov2cor(vcov: ArrayLike<number>, p: number): Float64Array {
  const out = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < p; i++) out[i + j * p] = i === j ? 1 : vcov[i + j * p] / Math.sqrt(vcov[i + i * p] * vcov[j + j * p]);
  }
  return out;
}

/**
 * The printed block: `Correlation of Fixed Effects:` and the table, or the
 * note that it is not shown (show = true prints it for any p, as print(x,
 * correlation = TRUE)); nothing for p < 2.
 */
export function correlationPieces(names: readonly string[], corr: ArrayLike<number>, show?: boolean): Piece[] {
  const p = names.length;
  if (p < 2 || show === false) return [];
  if (show === undefined && p > COR_MAX) {
    return ['', `Correlation matrix not shown by default, as p = ${p} > ${COR_MAX}.`, 'It is in the JSON output (correlation) if you need it.'];
  }
  const values = formatReal(Array.from(corr, (r) => roundR(r, 3)), 7, 3);
  const rows = Array.from({ length: p - 1 }, (_, r) => Array.from({ length: p - 1 }, (_, c) => (c <= r ? values[r + 1 + c * p] : '')));
  const rowNames = abbreviate(names, 11).slice(1);
  const colNames = abbreviate(names, 6).slice(0, -1);
  const text = printMatrix(rows, { rowNames, colNames });
  return ['', 'Correlation of Fixed Effects:', table(text, ['', ...colNames], rows.map((r, i) => [rowNames[i], ...r]))];
}

/** The correlation as JSON: a matrix keyed by term, `{ term1: { term2: r } }`, null where undefined. */
export function correlationJson(names: readonly string[], corr: ArrayLike<number>): Record<string, Record<string, number | null>> {
  const p = names.length;
  return Object.fromEntries(names.map((a, i) => [a, Object.fromEntries(names.map((b, j) => [b, Number.isFinite(corr[i + j * p]) ? corr[i + j * p] : null]))]));
}
