/**
 * print(summary(m)) of lmerTest (LMMs) and lme4 (GLMMs), line for line as R
 * prints it at width 80 (merMod.ts), then the lines this library adds:
 * the ICC and R^2, the optimiser, and the fit's notes.
 *
 * - LMM title: `Linear mixed model fit by REML` (`maximum likelihood ` for ML,
 *   with lme4's trailing space), `. t-tests use Satterthwaite's method` (or
 *   Kenward-Roger's) and class lmerModLmerTest when the coefficients have df,
 *   else lme4's class lmerMod (`--ddf none`, or Satterthwaite skipped).
 * - GLMM title: `Generalized linear mixed model fit by maximum likelihood
 *   (Laplace Approximation)`, or `(Adaptive Gauss-Hermite Quadrature, nAGQ =
 *   n)` for any other nAGQ (0 included, as lme4), class glmerMod.
 * - Scaled residuals: Pearson residuals over sigma, (y - mu) sqrt(w) /
 *   sqrt(V(mu)) / sigma, w the prior weights (binomial: times the trials).
 * - GLMM logLik, AIC and BIC are this library's (the true marginal likelihood,
 *   which lme4 reports too for nAGQ <= 1), deviance = -2 logLik.
 */
import { familyLabel } from './familyLabel.js';
import type { GeneralizedLinearMixedModel, LinearMixedModel } from '../api/fit.js';
import { makeFamily } from '../glm/family.js';
import { coefTable } from './coefTable.js';
import { correlationPieces, cov2cor } from './correlation.js';
import { signif } from './format.js';
import { r2Json } from './json.js';
import { aicTable, callLines, coefPieces, groupsLine, methodTitle, randomEffects, remlLine, residualQuantilePieces, scaledResiduals } from './merMod.js';
import { failures, notes, otherMessages, renderPieces, type Piece, type SummaryOptions, type TextFormat } from './printout.js';

/** The fixed-effects block: the table, then the correlation of the estimates. */
function fixedEffects(m: LinearMixedModel | GeneralizedLinearMixedModel, table: ReturnType<typeof coefTable>, o: SummaryOptions): Piece[] {
  const f = m.fit;
  if (f.p === 0) return [];
  return ['', 'Fixed effects:', ...coefPieces(table), ...correlationPieces(f.coefnames, cov2cor(f.vcov, f.p), o.correlation)];
}

function weightsName(m: LinearMixedModel | GeneralizedLinearMixedModel): string | undefined {
  return typeof m.options.weights === 'string' ? m.options.weights : undefined;
}

/** Pearson residuals over sigma: (y - mu) sqrt(w) / sqrt(V(mu)) / sigma. */
function pearson(y: Float64Array, mu: Float64Array, w: ArrayLike<number> | null, variance: (mu: number) => number, sigma: number): Float64Array {
  return y.map((v, i) => ((v - mu[i]) * Math.sqrt(w ? w[i] : 1)) / Math.sqrt(variance(mu[i])) / sigma);
}

function extras(m: LinearMixedModel | GeneralizedLinearMixedModel): Piece[] {
  const out: Piece[] = [];
  if (m.kind === 'lmm') out.push(`Intraclass correlation (adjusted): ${signif(m.fit.icc.adjusted, 4)}`);
  const r = r2Json(m) as { marginal: number | null; conditional: number | null } | null;
  if (r && r.marginal !== null && r.conditional !== null) out.push(`R-squared (Nakagawa): marginal ${signif(r.marginal, 4)}, conditional ${signif(r.conditional, 4)}`);
  return out;
}

/** The scaled residuals; a fit from sums where the data live has only their quantiles (or none). */
function lmmResiduals(m: LinearMixedModel): Piece[] {
  const f = m.fit;
  if (f.residuals.length > 0) return scaledResiduals(pearson(m.frame.y, f.fitted, m.frame.weights, () => 1, f.sigma));
  if (f.residualQuantiles) return residualQuantilePieces(Array.from(f.residualQuantiles, (q) => q / f.sigma));
  return ['Scaled residuals: not computed (the model was fitted from sums where the data live)', ''];
}

export function summaryLmm(m: LinearMixedModel, format: TextFormat, o: SummaryOptions = {}): string {
  const f = m.fit;
  const lmerTest = m.coefficients.some((c) => c.df !== null);
  const method = m.options.ddf === 'kenward-roger' ? "Kenward-Roger's" : "Satterthwaite's";
  const title = `Linear mixed model fit by ${f.REML ? 'REML' : 'maximum likelihood '}${lmerTest ? `. t-tests use ${method} method` : ''}`;
  const table = coefTable(m.coefficients, { df: lmerTest, stat: 't', p: lmerTest ? 't' : null });
  const pieces: Piece[] = [
    methodTitle(title, lmerTest ? 'lmerModLmerTest' : 'lmerMod'),
    ...callLines(m.frame.formula.ast, o.data, weightsName(m)),
    '',
    f.REML ? remlLine(f.objective) : aicTable({ AIC: f.AIC, BIC: f.BIC, logLik: f.logLik, deviance: f.objective, dfResid: f.nobs - f.npar }),
    '',
    ...lmmResiduals(m),
    ...randomEffects(f.varCorr, true),
    groupsLine(f.nobs, f.ngrps),
    ...fixedEffects(m, table, o),
    '',
    ...extras(m),
  ];
  const opt = f.optsummary;
  if (opt) pieces.push(`optimizer: ${opt.optimizer}, ${opt.evaluations} evaluations, ${opt.seconds.toFixed(3)} s${f.converged ? '' : ' (did not converge)'}`);
  pieces.push(...failures(f.diagnostics));
  return renderPieces([...pieces, ...notes([...m.frame.messages, ...otherMessages(f.diagnostics)])], format);
}

/** Families whose scale is fixed at 1 (lme4's useScale = FALSE): no residual row, z tests. */
function hasScale(family: string): boolean {
  return family !== 'binomial' && family !== 'poisson' && family !== 'negative.binomial';
}

/** The binomial prior weights of a row: the user's weights times the trials of cbind(s, f), either alone, or null. */
function priorWeights(weights: Float64Array | null, trials: Float64Array | null): Float64Array | null {
  if (weights === null || trials === null) return weights ?? trials;
  return weights.map((w, i) => w * trials[i]);
}

export function summaryGlmm(m: GeneralizedLinearMixedModel, format: TextFormat, o: SummaryOptions = {}): string {
  const f = m.fit;
  const method = f.nAGQ === 1 ? '(Laplace Approximation)' : `(Adaptive Gauss-Hermite Quadrature, nAGQ = ${f.nAGQ})`;
  const useScale = hasScale(f.family);
  const family = makeFamily(f.family, f.link, f.nbTheta);
  const w = priorWeights(m.frame.weights, m.frame.trials);
  const pieces: Piece[] = [
    methodTitle(`Generalized linear mixed model fit by maximum likelihood ${method}`, 'glmerMod'),
    ` Family: ${familyLabel(f.family, f.nbTheta)}  ( ${f.link} )`,
    ...callLines(m.frame.formula.ast, o.data, weightsName(m)),
    '',
    aicTable({ AIC: f.AIC, BIC: f.BIC, logLik: f.logLik, deviance: -2 * f.logLik, dfResid: f.nobs - f.npar }),
    '',
    ...scaledResiduals(pearson(m.frame.y, f.fitted, w, (mu) => family.variance(mu), useScale ? f.sigma : 1)),
    ...randomEffects(f.varCorr, useScale),
    groupsLine(f.nobs, f.ngrps),
    ...fixedEffects(m, coefTable(f.coefficients, { df: false, stat: useScale ? 't' : 'z', p: 'z' }), o),
    '',
    ...extras(m),
  ];
  const evals = f.optsummary.stages.reduce((a, s) => a + s.evaluations, 0);
  pieces.push(`optimizer: ${f.optsummary.stages.map((s) => s.optimizer).join(' + ')}, ${evals} evaluations, ${f.optsummary.seconds.toFixed(3)} s${f.converged ? '' : ' (did not converge)'}`);
  pieces.push(...failures(f.diagnostics));
  return renderPieces([...pieces, ...notes([...m.frame.messages, ...otherMessages(f.diagnostics)])], format);
}
