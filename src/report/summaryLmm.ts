/** lme4's print(summary(lmer(...))) layout, as text or markdown. */
import type { GeneralizedLinearMixedModel, LinearMixedModel } from '../api/fit.js';
import type { Coefficient } from '../lm/coefficient.js';
import type { VarCorr } from '../lmm/varCorr.js';
import { coefTable } from './coefTable.js';
import { markdownTable, signif, SIGNIF_LEGEND, textTable } from './format.js';
import { quantile7 } from './quantile.js';
import { visibleControls } from './escape.js';
import { failures, join, messages, notes, type TextFormat } from './summaryLm.js';
import { r2Json } from './json.js';

function table(header: string[], rows: string[][], format: TextFormat): string {
  return format === 'markdown' ? markdownTable(header, rows) : textTable(header, rows);
}

/** Random-effects table: Groups, Name, Variance, Std.Dev., Corr (lower triangle, row-wise). */
export function randomEffectsTable(vc: VarCorr, format: TextFormat, withResidual = true): string {
  const rows: string[][] = [];
  let maxK = 1;
  for (const t of vc.terms) maxK = Math.max(maxK, t.cnames.length);
  for (const t of vc.terms) {
    const k = t.cnames.length;
    t.cnames.forEach((name, r) => {
      const corr: string[] = [];
      for (let c = 0; c < r; c++) corr.push(Number.isFinite(t.corr[r + c * k]) ? t.corr[r + c * k].toFixed(2) : 'NaN');
      rows.push([r === 0 ? t.group : '', name, signif(t.cov[r * (k + 1)], 5), signif(t.sd[r], 5), ...corr]);
    });
  }
  if (withResidual) rows.push(['Residual', '', signif(vc.residualSd ** 2, 5), signif(vc.residualSd, 5)]);
  const header = ['Groups', 'Name', 'Variance', 'Std.Dev.'];
  if (maxK > 1) header.push('Corr', ...Array.from({ length: maxK - 2 }, () => ''));
  const width = header.length;
  const padded = rows.map((r) => [...r, ...Array.from({ length: width - r.length }, () => '')].map((c) => (format === 'markdown' ? c : visibleControls(c))));
  if (format === 'markdown') return markdownTable(header, padded);
  const widths = header.map((h, j) => Math.max(h.length, ...padded.map((r) => r[j].length)));
  const line = (r: string[]) => ' ' + r.map((c, j) => c.padEnd(widths[j])).join(' ').trimEnd();
  return [line(header), ...padded.map(line)].join('\n');
}

/** The residuals' five-number summary over sigma; `residuals` may instead be the five quantiles themselves (`quantiles` true). */
export function scaledResiduals(residuals: Float64Array, sigma: number, format: TextFormat, quantiles = false): string {
  const qs = [0, 0.25, 0.5, 0.75, 1].map((p, i) => (quantiles ? residuals[i] : quantile7(residuals, p)) / sigma);
  const header = ['Min', '1Q', 'Median', '3Q', 'Max'];
  const cells = qs.map((q) => q.toFixed(4));
  if (format === 'markdown') return markdownTable(header, [cells]);
  return textTable(['', ...header], [['', ...cells]]).replace(/^ {2}/gm, '');
}

export function groupsLine(nobs: number, ngrps: Record<string, number>): string {
  const g = Object.entries(ngrps).map(([name, n]) => `${name}, ${n}`).join('; ');
  return `Number of obs: ${nobs}, groups:  ${g}`;
}

export function fixedEffectsTable(cs: readonly Coefficient[], statName: 't' | 'z', format: TextFormat): string[] {
  const withP = cs.some((c) => Number.isFinite(c.pValue));
  const ct = coefTable(cs, statName, { showDf: cs.some((c) => c.df !== null) });
  const header = withP ? ct.header : ct.header.slice(0, -2);
  const rows = withP ? ct.rows : ct.rows.map((r) => r.slice(0, -2));
  return withP ? [table(header, rows, format), '---', SIGNIF_LEGEND] : [table(header, rows, format)];
}

export function summaryLmm(m: LinearMixedModel, format: TextFormat): string {
  const f = m.fit;
  const lines = [`Linear mixed model fit by ${f.REML ? 'REML' : 'maximum likelihood'}`, `Formula: ${m.formula}`, ''];
  if (f.REML) lines.push(`REML criterion at convergence: ${f.objective.toFixed(1)}`);
  else {
    lines.push(table(['AIC', 'BIC', 'logLik', 'deviance', 'df.resid'], [[f.AIC.toFixed(1), f.BIC.toFixed(1), f.logLik.toFixed(1), f.objective.toFixed(1), String(f.nobs - f.npar)]], format));
  }
  if (f.residuals.length > 0) lines.push('', 'Scaled residuals:', scaledResiduals(f.residuals, f.sigma, format), '');
  else if (f.residualQuantiles) lines.push('', 'Scaled residuals:', scaledResiduals(f.residualQuantiles, f.sigma, format, true), '');
  else lines.push('', 'Scaled residuals: not computed (the model was fitted from sums where the data live)', '');
  lines.push('Random effects:', randomEffectsTable(f.varCorr, format), groupsLine(f.nobs, f.ngrps));
  if (m.frame.nDropped > 0) lines.push(`(${m.frame.nDropped} observations deleted due to missingness)`);
  lines.push(`Intraclass correlation (adjusted): ${signif(f.icc.adjusted, 4)}`, r2Line(m), '');
  lines.push('Fixed effects:', ...fixedEffectsTable(m.coefficients, 't', format));
  const opt = f.optsummary;
  if (opt) lines.push('', `optimizer: ${opt.optimizer}, ${opt.evaluations} evaluations, ${opt.seconds.toFixed(3)} s${f.converged ? '' : ' (did not converge)'}`);
  lines.push(...failures(f.diagnostics));
  return join(lines, format) + messages([...m.frame.messages, ...notes(f.diagnostics)], format);
}

/** lme4's print(summary(glmer(...))) layout. */
export function summaryGlmm(m: GeneralizedLinearMixedModel, format: TextFormat): string {
  const f = m.fit;
  const method = f.nAGQ === 0 ? 'nAGQ = 0 (PIRLS estimates)' : f.nAGQ === 1 ? 'Laplace Approximation' : `Adaptive Gauss-Hermite Quadrature (nAGQ = ${f.nAGQ})`;
  const lines = [
    `Generalized linear mixed model fit by maximum likelihood (${method})`,
    ` Family: ${f.family}  ( ${f.link} )`,
    `Formula: ${m.formula}`,
    '',
    table(['AIC', 'BIC', 'logLik', 'deviance', 'df.resid'], [[f.AIC.toFixed(1), f.BIC.toFixed(1), f.logLik.toFixed(1), f.deviance.toFixed(1), String(f.nobs - f.npar)]], format),
    '',
    'Random effects:',
    randomEffectsTable(f.varCorr, format, f.family !== 'binomial' && f.family !== 'poisson'),
    groupsLine(f.nobs, f.ngrps),
  ];
  if (m.frame.nDropped > 0) lines.push(`(${m.frame.nDropped} observations deleted due to missingness)`);
  const r2 = r2Line(m);
  if (r2) lines.push(r2);
  lines.push('', 'Fixed effects:', ...fixedEffectsTable(f.coefficients, f.coefficients.some((c) => c.df !== null) ? 't' : 'z', format));
  const evals = f.optsummary.stages.reduce((a, s) => a + s.evaluations, 0);
  lines.push('', `optimizer: ${f.optsummary.stages.map((s) => s.optimizer).join(' + ')}, ${evals} evaluations, ${f.optsummary.seconds.toFixed(3)} s${f.converged ? '' : ' (did not converge)'}`);
  lines.push(...failures(f.diagnostics));
  return join(lines, format) + messages([...m.frame.messages, ...notes(f.diagnostics)], format);
}

/** Nakagawa's R^2 as one line, or '' when it is not defined for the family. */
function r2Line(m: LinearMixedModel | GeneralizedLinearMixedModel): string {
  const r = r2Json(m) as { marginal: number | null; conditional: number | null } | null;
  if (!r || r.marginal === null || r.conditional === null) return '';
  return `R-squared (Nakagawa): marginal ${signif(r.marginal, 4)}, conditional ${signif(r.conditional, 4)}`;
}
