/**
 * R's print(summary(lm)) and print(summary(glm)) (R 4.2, digits = 4), line
 * for line at width 80, then the lines this library adds (logLik, AIC, BIC)
 * and the fit's notes:
 *
 * - `Call:` and the call deparsed (`lm(formula = y ~ x, data = d, weights = w)`,
 *   `glm(formula = ..., family = binomial, data = d)`; the family with its
 *   link when not the canonical one); `data =` only when the data have a name;
 * - lm: `Residuals:` (`Weighted Residuals:` when weights vary, scaled by
 *   sqrt(w)): their quantiles when the residual df exceed 5, else each
 *   residual named by its row; glm: `Deviance Residuals:` likewise, printed
 *   two spaces apart;
 * - `Coefficients:` by printCoefmat (aliased coefficients as rows of NA, put
 *   last here where R keeps the model matrix's order);
 * - lm: residual standard error to 4 significant digits, R^2 and F with
 *   formatC(x, digits = 4), the F test's p by format.pval(p, 4) (NaN as NA);
 *   glm: the dispersion, the null and residual deviances (5 digits, formatted
 *   together), AIC (5 digits) and the Fisher scoring iterations.
 */
import type { GeneralizedLinearModel, LinearModel } from '../api/fit.js';
import { resolveFamilyLink } from '../glm/family.js';
import type { GlmFit } from '../glm/glm.js';
import { familyLabel } from './familyLabel.js';
import { coefTable } from './coefTable.js';
import { coefPieces } from './merMod.js';
import { failures, notes, otherMessages, renderPieces, table, wrapped, type Piece, type SummaryOptions, type TextFormat } from './printout.js';
import { quantile7 } from '../frame/splines/quantile.js';
import { deparseCall, type DeparseArg } from './r/deparseLines.js';
import { formatG, formatReal, roundR, signifR, zapsmall } from './r/formatReal.js';
import { formatPval } from './r/printCoefmat.js';
import { printNamedVector } from './r/print.js';
import { maxOf, minOf } from '../data/extent.js';

export type { TextFormat } from './printout.js';

const DIGITS = 4;

function call(m: LinearModel | GeneralizedLinearModel, family: string | null, o: SummaryOptions): Piece[] {
  const list: DeparseArg[] = [{ name: 'formula', value: { formula: m.frame.formula.ast } }];
  // MASS's glm.nb call: theta as init.theta = signif(theta, 10) and the link, after the data.
  const glmNb = m.kind === 'glm' && m.fit.nbThetaSE !== undefined ? m.fit : null;
  if (family !== null && glmNb === null) list.push({ name: 'family', value: { text: family } });
  if (o.data !== undefined) list.push({ name: 'data', value: { text: o.data } });
  if (typeof m.options.weights === 'string') list.push({ name: 'weights', value: { text: m.options.weights } });
  if (glmNb !== null) list.push({ name: 'init.theta', value: { text: String(signifR(glmNb.nbTheta!, 10)) } }, { name: 'link', value: { text: glmNb.link } });
  const lines = deparseCall(glmNb === null ? m.kind : 'glm.nb', list);
  return ['Call:', wrapped(lines, lines.map((l) => l.trim()).join(' ')), ''];
}

/** R's `family = ` argument: the family's name, with its link when not the default one (the negative binomial with its theta). */
function familyArg(f: GlmFit): string {
  const canonical = resolveFamilyLink(f.family).link === f.link;
  if (f.nbTheta !== undefined) return `negative.binomial(theta = ${signifR(f.nbTheta, 10)}${canonical ? '' : `, link = "${f.link}"`})`;
  return canonical ? f.family : `${f.family}(link = "${f.link}")`;
}

/** MASS's print.summary.negbin lines: theta and its SE to dp = max(2 - floor(log10 SE), 0) decimals, 2 x logLik to 3 (shown with dp). */
function thetaPieces(f: GlmFit): Piece[] {
  if (f.nbTheta === undefined || f.nbThetaSE === undefined) return [];
  const dp = Number.isFinite(f.nbThetaSE) && f.nbThetaSE > 0 ? Math.max(2 - Math.floor(Math.log10(f.nbThetaSE)), 0) : 4;
  const fixed = (x: number, d: number) => formatReal([roundR(x, d)], 7, dp)[0];
  return ['', '', `              Theta:  ${fixed(f.nbTheta, dp)}`, `          Std. Err.:  ${fixed(f.nbThetaSE, dp)}`, '', ` 2 x log-likelihood:  ${fixed(2 * f.logLik, 3)}`];
}

/** The residuals block: five quantiles (zapsmall()ed to 5 digits) when the residual df exceed 5, else every residual. */
function residualPieces(title: string, r: ArrayLike<number>, rows: Int32Array, dfResidual: number, gap: number): Piece[] {
  if (dfResidual <= 0) return [title, `ALL ${r.length} residuals are 0: no residual degrees of freedom!`, ''];
  const names = dfResidual > 5 ? ['Min', '1Q', 'Median', '3Q', 'Max'] : Array.from(rows, (i) => String(i + 1));
  const raw = dfResidual > 5 ? quantile7(r, [0, 0.25, 0.5, 0.75, 1]) : Array.from(r);
  const values = formatReal(dfResidual > 5 || gap > 1 ? zapsmall(raw, DIGITS + 1) : raw, DIGITS);
  return [title, table(printNamedVector(values, names, gap), names, [values]), ''];
}

function coefficientsTitle(nAliased: number): string {
  return nAliased > 0 ? `Coefficients: (${nAliased} not defined because of singularities)` : 'Coefficients:';
}

function naLine(m: LinearModel | GeneralizedLinearModel): Piece[] {
  const d = m.frame.nDropped;
  return d > 0 ? [`  (${d} observation${d === 1 ? '' : 's'} deleted due to missingness)`] : [];
}

export function summaryLm(m: LinearModel, format: TextFormat, o: SummaryOptions = {}): string {
  const f = m.fit;
  const w = m.frame.weights;
  const weighted = w !== null && minOf(w) !== maxOf(w);
  const resid = w === null ? f.residuals : f.residuals.map((v, i) => v * Math.sqrt(w[i]));
  const pieces: Piece[] = [...call(m, null, o), ...residualPieces(weighted ? 'Weighted Residuals:' : 'Residuals:', resid, m.frame.rows, f.dfResidual, 1)];
  if (f.coefficients.length + f.aliased.length === 0) pieces.push('No Coefficients');
  else pieces.push(coefficientsTitle(f.aliased.length), ...coefPieces(coefTable(f.coefficients, { df: false, stat: 't', p: 't' }, f.aliased)));
  pieces.push('', `Residual standard error: ${formatReal([signifR(f.sigma, DIGITS)])[0]} on ${f.dfResidual} degrees of freedom`, ...naLine(m));
  if (f.fStatistic) {
    const F = f.fStatistic;
    pieces.push(`Multiple R-squared:  ${formatG(f.rSquared, DIGITS)},\tAdjusted R-squared:  ${formatG(f.adjRSquared, DIGITS)}`);
    const p = Number.isNaN(F.pValue) ? 'NA' : formatPval([F.pValue], DIGITS)[0];
    pieces.push(`F-statistic: ${formatG(F.value, DIGITS)} on ${F.numDf} and ${F.denDf} DF,  p-value: ${p}`);
  }
  pieces.push('', `logLik: ${formatReal([f.logLik])[0]} (df=${f.df}),  AIC: ${formatReal([f.AIC])[0]},  BIC: ${formatReal([f.BIC])[0]}`);
  return renderPieces([...pieces, ...notes([...m.frame.messages, ...f.messages])], format);
}

export function summaryGlm(m: GeneralizedLinearModel, format: TextFormat, o: SummaryOptions = {}): string {
  const f = m.fit;
  const stat = f.estimatedDispersion ? 't' : 'z';
  const pieces: Piece[] = [...call(m, familyArg(f), o), ...residualPieces('Deviance Residuals:', f.residuals, m.frame.rows, f.dfResidual, 2)];
  if (f.coefficients.length + f.aliased.length === 0) pieces.push('No Coefficients');
  else pieces.push(coefficientsTitle(f.aliased.length), ...coefPieces(coefTable(f.coefficients, { df: false, stat, p: stat }, f.aliased)));
  const dev = formatReal([f.nullDeviance, f.deviance], 5);
  const df = formatReal([f.dfNull, f.dfResidual]);
  pieces.push('', `(Dispersion parameter for ${familyLabel(f.family, f.nbTheta)} family taken to be ${formatReal([f.dispersion])[0]})`, '');
  pieces.push(`    Null deviance: ${dev[0]}  on ${df[0]}  degrees of freedom`, `Residual deviance: ${dev[1]}  on ${df[1]}  degrees of freedom`, ...naLine(m));
  pieces.push(`AIC: ${formatReal([f.AIC], 5)[0]}`, '', `Number of Fisher Scoring iterations: ${f.iterations}${f.converged ? '' : ' (did not converge)'}`);
  pieces.push(...thetaPieces(f));
  pieces.push(...failures(f.diagnostics));
  pieces.push('', `BIC: ${formatReal([f.BIC], 5)[0]},  logLik: ${formatReal([f.logLik])[0]} (df=${f.df})`);
  return renderPieces([...pieces, ...notes([...m.frame.messages, ...otherMessages(f.diagnostics)])], format);
}
