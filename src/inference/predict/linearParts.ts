/**
 * What prediction needs from a linear model (lm) or a GLM, in the frame's
 * column order: R's predict.lm and predict.glm.
 *
 * The fit's coefficients and covariance cover the estimable columns only
 * (vcov is rank x rank, in the order of `coefficients`); an aliased column
 * gets a coefficient 0 and no variance, which is what predict.lm does with a
 * rank-deficient fit (it predicts from the estimable columns alone and warns).
 *
 * Intervals use a t quantile on the residual df where the scale is estimated
 * (lm, and GLMs with an estimated dispersion: gaussian, Gamma,
 * inverse.gaussian), as predict.lm does and as the coefficient tables' t
 * tests; a normal quantile otherwise (binomial, Poisson, negative binomial).
 * The residual variance of a prediction interval is sigma^2 / w for a row of
 * prior weight w (lm, and the gaussian GLM with the identity link and its
 * dispersion; other GLMs have none on the link's scale): the fitted rows' own
 * weights, 1 for new rows (predict.lm's defaults).
 */
import type { GeneralizedLinearModel, LinearModel } from '../../api/fit.js';
import { MixedModelsError } from '../../errors.js';
import { makeLink } from '../../glm/link.js';
import type { PredictorParts } from './predict.js';

export type LinearKindModel = LinearModel | GeneralizedLinearModel;

/** PredictorParts of an lm or a GLM (no random effects), with the quantile's df and the aliased columns. */
export function linearParts(model: LinearKindModel): PredictorParts & { aliased: readonly string[] } {
  const { fit, frame } = model;
  const p = frame.p, names = frame.colnames;
  const beta = new Float64Array(p), vcov = new Float64Array(p * p);
  const at = fit.coefficients.map((c) => names.indexOf(c.term));
  if (at.some((j) => j < 0)) throw new MixedModelsError(`the fit's coefficients do not match the model frame's columns (${fit.coefficients.map((c) => c.term).join(', ')})`);
  const r = at.length;
  at.forEach((j, a) => {
    beta[j] = fit.coefficients[a].estimate;
    at.forEach((k, b) => { vcov[j + k * p] = fit.vcov[a + b * r]; });
  });
  const scaled = model.kind === 'lm' || model.fit.estimatedDispersion;
  // A residual on the link's scale: lm, and the gaussian GLM with the identity link.
  const additive = model.kind === 'lm' || (model.fit.family === 'gaussian' && model.fit.link === 'identity');
  const residualVariance = !additive ? null : model.kind === 'lm' ? model.fit.sigma ** 2 : model.fit.dispersion;
  return {
    beta,
    vcov,
    ranef: [],
    blockCov: [],
    residualVariance,
    link: makeLink(model.kind === 'lm' ? 'identity' : model.fit.link),
    df: scaled ? fit.dfResidual : null,
    aliased: fit.aliased,
  };
}
