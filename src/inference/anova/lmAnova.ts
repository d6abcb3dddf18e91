/**
 * R's anova() of a linear model (anova.lm): one row per term with its sum of
 * squares, mean square and F test on the residual df, then the residuals.
 *
 * For a term with hypothesis matrix L (ddfContrasts.ts) of rank r and the
 * fit's C = (X'WX)^-1, Sum Sq = (L b)'(L C L')^-1 (L b), Mean Sq = Sum Sq / r
 * and F = Mean Sq / sigma^2 on r and the residual df (Inf or NaN, as in R,
 * when sigma is exactly 0). With type I's L (the rows of the Cholesky factor
 * of X'WX) the sums of squares are R's sequential ones, the squared QR
 * effects of each term's columns; types II and III use lmerTest's contrasts
 * (as for mixed models), which equal car's Anova() for models without
 * interactions between factors and covariates.
 * Residuals: Sum Sq = the weighted residual sum of squares, Mean Sq = sigma^2.
 *
 * R's anova.lm warns when the residual sum of squares is below 1e-10 of
 * sum_i w_i f_i^2 (f the fitted values, not centred): lmAnovaMessages.
 */
import type { LinearModel } from '../../api/fit.js';
import { MixedModelsError } from '../../errors.js';
import { pfUpper } from '../../distributions/index.js';
import { diagonaliseContrast, typeIContrasts, typeIIContrasts } from '../ddf/ddfContrasts.js';
import { lmerTestTypeIII } from '../ddf/typeIIIContrasts.js';
import { numericVariables } from './dataClasses.js';
import type { AnovaRow } from './types.js';

/** The anova table of a linear model (module comment). */
export function lmAnova(model: LinearModel, type: 1 | 2 | 3): AnovaRow[] {
  const { fit, frame } = model;
  if (fit.coefficients.length !== frame.p) {
    throw new MixedModelsError(`anova needs a full-rank design, but ${fit.aliased.join(', ')} ${fit.aliased.length === 1 ? 'is' : 'are'} aliased`);
  }
  const numeric = type === 2 ? numericVariables(model) : null;
  const contrasts = type === 1 ? typeIContrasts(frame, frame.weights)
    : numeric !== null ? typeIIContrasts(frame, (label) => numeric.has(label), frame.weights)
    : lmerTestTypeIII(frame, model.options.contrasts);
  const beta = fit.coefficients.map((c) => c.estimate);
  const s2 = fit.sigma * fit.sigma, denDf = fit.dfResidual;
  const rows = contrasts.filter((c) => c.L.q > 0).map((c): AnovaRow => {
    const { rows: L, variances } = diagonaliseContrast(c.L, fit.covUnscaled);
    const r = L.length;
    const sumSq = L.reduce((s, row, m) => {
      const est = row.reduce((a, v, j) => a + v * beta[j], 0);
      return s + (est * est) / variances[m];
    }, 0);
    const F = sumSq / r / s2;
    return { term: c.term, sumSq, meanSq: sumSq / r, numDf: r, denDf, F, pValue: pfUpper(F, r, denDf) };
  });
  rows.push({ term: 'Residuals', sumSq: fit.deviance, meanSq: s2, numDf: denDf, denDf: NaN, F: NaN, pValue: NaN });
  return rows;
}

const PERFECT_FIT_TOL = 1e-10;

/**
 * R's anova.lm warning, when the weighted residual sum of squares is below 1e-10 of sum_i w_i f_i^2 (module comment);
 * for types II and III, that their hypotheses are lmerTest's (R's anova.lm has neither; car::Anova's differ for some terms).
 */
export function lmAnovaMessages(model: LinearModel, type: 1 | 2 | 3 = 1): string[] {
  const { fit, frame } = model;
  const w = frame.weights;
  let mss = 0;
  fit.fitted.forEach((f, i) => (mss += (w === null ? 1 : w[i]) * f * f));
  return [
    ...(fit.deviance < PERFECT_FIT_TOL * mss
      ? ['ANOVA F-tests on an essentially perfect fit are unreliable (the residual sum of squares is below 1e-10 of the fitted values\' sum of squares)']
      : []),
    ...(type === 1 ? [] : [
      `type ${type === 2 ? 'II' : 'III'} tests here are lmerTest's, as for a mixed model (a factor is not marginal to its interaction with a covariate; ` +
        'type III from lmerTest\'s contrasts): car::Anova\'s can differ for such terms, and for type III unless the contrasts sum to zero',
    ]),
  ];
}
