/** R's print(summary(lm)) and print(summary(glm)) layouts, as text or markdown. */
import type { GeneralizedLinearModel, LinearModel } from '../api/fit.js';
import { isFailure, type Diagnostic } from '../diagnostics.js';
import { coefTable } from './coefTable.js';
import { formatPValue, markdownBlocks, markdownTable, signif, SIGNIF_LEGEND, textTable } from './format.js';
import { quantile7 } from './quantile.js';
import { visibleControls } from './escape.js';

export type TextFormat = 'text' | 'markdown';

function table(header: string[], rows: string[][], format: TextFormat): string {
  return format === 'markdown' ? markdownTable(header, rows) : textTable(header, rows);
}

function residualQuantiles(r: Float64Array, format: TextFormat): string {
  const qs = [0, 0.25, 0.5, 0.75, 1].map((p) => quantile7(r, p));
  const header = ['Min', '1Q', 'Median', '3Q', 'Max'];
  const cells = qs.map((q) => signif(q, 4));
  if (format === 'markdown') return markdownTable(header, [cells]);
  return textTable(['', ...header], [['', ...cells]]).replace(/^ {2}/gm, '');
}

function dropped(m: LinearModel | GeneralizedLinearModel): string[] {
  const d = m.frame.nDropped;
  return d > 0 ? [`  (${d} observation${d === 1 ? '' : 's'} deleted due to missingness)`] : [];
}

function aliasedNote(aliased: readonly string[]): string[] {
  return aliased.length > 0 ? [`Coefficients: (${aliased.length} not defined because of singularities: ${aliased.join(', ')})`] : ['Coefficients:'];
}

export function summaryLm(m: LinearModel, format: TextFormat): string {
  const f = m.fit;
  const ct = coefTable(f.coefficients, 't');
  const lines = [`Linear model fit by least squares`, `Formula: ${m.formula}`, '', 'Residuals:', residualQuantiles(f.residuals, format), ''];
  lines.push(...aliasedNote(f.aliased), table(ct.header, ct.rows, format), '---', SIGNIF_LEGEND, '');
  lines.push(`Residual standard error: ${signif(f.sigma, 4)} on ${f.dfResidual} degrees of freedom`);
  lines.push(...dropped(m));
  lines.push(`Multiple R-squared:  ${signif(f.rSquared, 4)},\tAdjusted R-squared:  ${signif(f.adjRSquared, 4)}`);
  if (f.fStatistic) {
    const F = f.fStatistic;
    lines.push(`F-statistic: ${signif(F.value, 4)} on ${F.numDf} and ${F.denDf} DF,  p-value: ${formatPValue(F.pValue)}`);
  }
  lines.push(`logLik: ${signif(f.logLik, 6)} (df=${f.df}),  AIC: ${signif(f.AIC, 6)},  BIC: ${signif(f.BIC, 6)}`);
  return join(lines, format) + messages(m.frame.messages, format);
}

export function summaryGlm(m: GeneralizedLinearModel, format: TextFormat): string {
  const f = m.fit;
  const ct = coefTable(f.coefficients, f.estimatedDispersion ? 't' : 'z');
  const lines = [
    `Generalized linear model fit by IRLS (family: ${f.family}, link: ${f.link})`,
    `Formula: ${m.formula}`,
    '',
    'Deviance Residuals:',
    residualQuantiles(f.residuals, format),
    '',
  ];
  lines.push(...aliasedNote(f.aliased), table(ct.header, ct.rows, format), '---', SIGNIF_LEGEND, '');
  lines.push(`(Dispersion parameter for ${f.family} family taken to be ${signif(f.dispersion, 6)})`, '');
  lines.push(`    Null deviance: ${f.nullDeviance.toFixed(2)}  on ${f.dfNull}  degrees of freedom`);
  lines.push(`Residual deviance: ${f.deviance.toFixed(2)}  on ${f.dfResidual}  degrees of freedom`);
  lines.push(...dropped(m));
  lines.push(`AIC: ${signif(f.AIC, 5)},  BIC: ${signif(f.BIC, 5)},  logLik: ${signif(f.logLik, 6)} (df=${f.df})`, '');
  lines.push(`Number of Fisher Scoring iterations: ${f.iterations}${f.converged ? '' : ' (did not converge)'}`);
  lines.push(...failures(f.diagnostics));
  return join(lines, format) + messages([...m.frame.messages, ...notes(f.diagnostics)], format);
}

/** A summary's lines and tables as one text (markdown: text escaped, see markdownBlocks; text: control characters visible). */
export function join(lines: readonly string[], format: TextFormat): string {
  return (format === 'markdown' ? markdownBlocks(lines) : lines.map((l) => visibleControls(l, true))).join('\n') + '\n';
}

export function messages(ms: readonly string[], format: TextFormat = 'text'): string {
  return ms.length === 0 ? '' : '\n' + join(ms.map((s) => `note: ${s}`), format);
}

/**
 * The failures (convergence, separation) as lme4's summary prints its
 * warnings: one line each, right below the optimiser's line.
 */
export function failures(ds: readonly Diagnostic[]): string[] {
  return ds.filter(isFailure).map((d) => d.message);
}

/** The other diagnostics' messages, printed as notes at the end. */
export function notes(ds: readonly Diagnostic[]): string[] {
  return ds.filter((d) => !isFailure(d)).map((d) => d.message);
}
