/**
 * The blocks of lme4's print(summary(m)) (print.summary.merMod and its
 * helpers .prt.methTit, .prt.family, .prt.call, .prt.aictab, .prt.resids,
 * .prt.VC / formatVC, .prt.grps), with lmerTest's coefficient table, as R
 * prints them at its default width (80) and digits (7, so the summary's
 * digits = max(3, 7 - 3) = 4):
 *
 * - the title and class, `title ['class']`, wrapped as `title [class]` when
 *   longer than the width;
 * - `Formula:`, `   Data:` and `Weights:` lines (cat(..., fill = TRUE));
 * - `REML criterion at convergence:` (rounded to 1 decimal), or the
 *   AIC/BIC/logLik/deviance/df.resid vector rounded to 1 decimal;
 * - the quantiles of the scaled (Pearson) residuals, zapsmall()ed to 5 digits
 *   and printed to 4;
 * - the random effects: each of the Variance and Std.Dev. columns formatted
 *   as one vector to 4 significant digits (so a column shares its decimals:
 *   `612.10`, ` 35.07`), correlations rounded to 2 decimals per term;
 * - `Number of obs: n, groups:  g, k; ...`;
 * - the fixed effects by printCoefmat, then the correlation of the fixed
 *   effects (r/correlation.ts).
 */
import type { FormulaAST } from '../formula/ast.js';
import type { VarCorr } from '../lmm/varCorr.js';
import { formatReal, roundR, zapsmall } from './r/formatReal.js';
import { catFill, printMatrix, printNamedVector, R_WIDTH, strwrap } from './r/print.js';
import { deparseFormula } from './r/deparseLines.js';
import { printCoefmat, type Coefmat } from './r/printCoefmat.js';
import { table, wrapped, type Piece } from './printout.js';
import { quantile7 } from '../frame/splines/quantile.js';

const DIGITS = 4;

/** .prt.methTit: `title ['class']`, or wrapped (strwrap to 78, then cat fill) as `title [class]`. */
export function methodTitle(title: string, cls: string): Piece {
  if (title.length + 5 + cls.length <= R_WIDTH) return `${title} ['${cls}']`;
  return wrapped(catFill([...strwrap(title, R_WIDTH - 2, 2), ' [', cls, ']'], ''), `${title.trim()} [${cls}]`);
}

/** One `cat.f(label, value)` line, wrapped as R's cat fills it. */
function labelled(label: string, values: readonly string[]): Piece {
  return wrapped(catFill([label, ...values]), [label, ...values.map((v) => v.trim())].join(' '));
}

/** .prt.call: Formula:, Data: (when the data have a name) and Weights: (a weights column). */
export function callLines(formula: FormulaAST, data?: string, weights?: string): Piece[] {
  const out = [labelled('Formula:', deparseFormula(formula))];
  if (data !== undefined) out.push(labelled('   Data:', [data]));
  if (weights !== undefined) out.push(labelled('Weights:', [weights]));
  return out;
}

/** .prt.aictab for a REML fit. */
export function remlLine(criterion: number): Piece {
  return labelled('REML criterion at convergence:', formatReal([roundR(criterion, 1)]));
}

/** .prt.aictab for an ML fit or a GLMM. */
export function aicTable(a: { AIC: number; BIC: number; logLik: number; deviance: number; dfResid: number }): Piece {
  const names = ['AIC', 'BIC', 'logLik', 'deviance', 'df.resid'];
  const values = formatReal([a.AIC, a.BIC, a.logLik, a.deviance, a.dfResid].map((v) => roundR(v, 1)));
  values[4] = formatReal([a.dfResid])[0];
  return table(printNamedVector(values, names), names, [values]);
}

/** .prt.resids: the quantiles of the scaled residuals. */
export function scaledResiduals(resid: ArrayLike<number>, title = 'Scaled residuals:'): Piece[] {
  return residualQuantilePieces(quantile7(resid, [0, 0.25, 0.5, 0.75, 1]), title);
}

/** The residuals block from their five quantiles (a fit from sums has only those). */
export function residualQuantilePieces(quantiles: ArrayLike<number>, title = 'Scaled residuals:'): Piece[] {
  const names = ['Min', '1Q', 'Median', '3Q', 'Max'];
  const q = zapsmall(Array.from(quantiles), DIGITS + 1);
  const values = formatReal(q, DIGITS);
  return [title, table(printNamedVector(values, names), names, [values]), ''];
}

/** formatVC: Groups, Name, Variance, Std.Dev. and the correlations' lower triangle per term. */
export function randomEffects(vc: VarCorr, useScale: boolean): Piece[] {
  const sds = vc.terms.flatMap((t) => Array.from(t.sd));
  if (useScale) sds.push(vc.residualSd);
  const variance = formatReal(sds.map((s) => s * s), DIGITS);
  const stdDev = formatReal(sds, DIGITS);
  const maxK = Math.max(...vc.terms.map((t) => t.cnames.length));
  const rows: string[][] = [];
  for (const t of vc.terms) {
    const k = t.cnames.length;
    const corr = formatReal(Array.from(t.corr, (c) => roundR(c, 2)), 7, 2);
    t.cnames.forEach((name, r) => {
      const lower = Array.from({ length: maxK - 1 }, (_, c) => (c < r ? corr[r + c * k] : ''));
      rows.push([r === 0 ? t.group : '', name, variance[rows.length], stdDev[rows.length], ...lower]);
    });
  }
  if (useScale) rows.push(['Residual', '', variance[rows.length], stdDev[rows.length], ...Array.from({ length: maxK - 1 }, () => '')]);
  const header = ['Groups', 'Name', 'Variance', 'Std.Dev.', ...(maxK > 1 ? ['Corr', ...Array.from({ length: maxK - 2 }, () => '')] : [])];
  const text = printMatrix(rows, { rowNames: rows.map(() => ''), colNames: header });
  return ['Random effects:', table(text, header, rows)];
}

/** .prt.grps: `Number of obs: n, groups:  g, k; ...`. */
export function groupsLine(nobs: number, ngrps: Record<string, number>): Piece {
  const groups = Object.entries(ngrps).map(([g, k]) => `${g}, ${k}`).join('; ');
  const head = `Number of obs: ${nobs}, groups: `;
  return wrapped(catFill([head, groups]), `${head} ${groups}`);
}

/** A coefficient table as R prints it (and its cells, for markdown), the legend below when due. */
export function coefPieces(t: Coefmat): Piece[] {
  const text = printCoefmat(t);
  const tbl = table(t.legend ? text.slice(0, -2) : text, ['', ...t.header], t.cells.map((r, i) => [t.rowNames[i], ...r]));
  return t.legend ? [tbl, ...text.slice(-2)] : [tbl];
}
