/**
 * Nakagawa's R^2 for mixed models (Nakagawa & Schielzeth 2013; Johnson 2014
 * and Nakagawa, Johnson & Schielzeth 2017 for random slopes), as R's
 * performance::r2_nakagawa:
 *
 *   marginal    R^2_m = s_f^2 / (s_f^2 + s_r^2 + s_e^2)
 *   conditional R^2_c = (s_f^2 + s_r^2) / (s_f^2 + s_r^2 + s_e^2)
 *
 * s_f^2 = var(X beta), the sample variance (n - 1) of the fixed-effects
 *         predictions (offsets excluded);
 * s_r^2 = sum over random-effects terms t of mean_i z_it' Sigma_t z_it, with
 *         z_it the term's columns in row i and Sigma_t its covariance matrix
 *         (for a random intercept, just its variance);
 * s_e^2 = the distribution-specific variance: sigma^2 for an LMM; for a
 *         binomial GLMM the variance of the latent residual of the link:
 *         pi^2 / 3 (logit), 1 (probit), pi^2 / 6 (cloglog); for a Poisson
 *         GLMM with log link the lognormal approximation ln(1 + 1/lambda)
 *         (Nakagawa, Johnson & Schielzeth 2017, section 5), lambda the
 *         expected count. As performance::r2_nakagawa (insight 0.19's
 *         .variance_distributional), lambda = exp(beta_0), beta_0 the
 *         intercept of the null model: the same random effects, no fixed
 *         effects but the intercept, refitted to the same rows (the paper
 *         also discusses exp(beta_0 + s_r^2 / 2); insight does not add it).
 *         Other families (and Poisson's trigamma approximation) are not
 *         handled.
 */
import { checkModel } from '../api/arguments.js';
import type { GeneralizedLinearMixedModel, MixedModel } from '../api/fit.js';
import { MixedModelsError } from '../errors.js';
import type { FrameMoments, ModelFrame } from '../frame/types.js';
import { fitGlmm } from '../glmm/index.js';
import { termCrossProduct } from '../lmm/icc.js';

export interface VarianceParts {
  fixed: number;
  random: number;
  residual: number;
}

export interface R2 {
  marginal: number;
  conditional: number;
  variances: VarianceParts;
}

/**
 * Nakagawa's marginal and conditional R^2 of a mixed model (as `performance::r2_nakagawa`), with the variance components they are made of.
 * @example
 * ```ts
 * r2Nakagawa(m); // { marginal, conditional, variances: { fixed, random, residual } }
 * ```
 */
export function r2Nakagawa(model: MixedModel): R2 {
  checkModel('r2Nakagawa', model, ['lmm', 'glmm']);
  const { frame, fit } = model;
  const variances = {
    fixed: frame.moments ? fixedVarianceFromMoments(frame.moments, fit.beta, frame.nobs) : fixedVariance(frame.X, fit.beta, frame.nobs),
    random: randomVariance(model),
    residual: model.kind === 'lmm' ? fit.sigma * fit.sigma : glmmDistributionVariance(model),
  };
  return { ...nakagawa(variances), variances };
}

/** The two ratios from the variance components. */
export function nakagawa(v: VarianceParts): { marginal: number; conditional: number } {
  const total = v.fixed + v.random + v.residual;
  return { marginal: v.fixed / total, conditional: (v.fixed + v.random) / total };
}

/** Sample variance (n - 1) of X beta. */
export function fixedVariance(X: Float64Array, beta: ArrayLike<number>, n: number): number {
  let mean = 0, m2 = 0;
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let t = 0; t < beta.length; t++) eta += X[i + t * n] * beta[t];
    const d = eta - mean;
    mean += d / (i + 1);
    m2 += d * (eta - mean);
  }
  return m2 / (n - 1);
}

/** The same from X'X and X'1 (a frame built from sums): (b'X'Xb - (1'Xb)^2 / n) / (n - 1). */
export function fixedVarianceFromMoments(m: FrameMoments, beta: ArrayLike<number>, n: number): number {
  const p = beta.length;
  let quad = 0, lin = 0;
  for (let a = 0; a < p; a++) {
    lin += m.xsum[a] * beta[a];
    for (let b = 0; b < p; b++) quad += beta[a] * m.xtx[a + b * p] * beta[b];
  }
  return (quad - (lin * lin) / n) / (n - 1);
}

/**
 * The latent-scale residual variance of a GLMM family and link (see the module
 * comment); `lambda`, the expected count, is needed for the Poisson family.
 */
export function distributionVariance(family: string, link: string, lambda?: number): number {
  if (family === 'binomial') {
    if (link === 'logit') return (Math.PI * Math.PI) / 3;
    if (link === 'probit') return 1;
    if (link === 'cloglog') return (Math.PI * Math.PI) / 6;
  }
  if (family === 'poisson' && link === 'log') {
    if (lambda === undefined || !(lambda > 0)) throw new MixedModelsError(`the Poisson distribution-specific variance needs a positive expected count lambda, not ${lambda}`);
    return Math.log1p(1 / lambda);
  }
  throw new MixedModelsError(`Nakagawa's R^2 is not available for the ${family} family with the ${link} link (binomial with logit, probit or cloglog, and poisson with log, are)`);
}

/** distributionVariance for a fitted GLMM, with lambda = exp(intercept of the null model) for Poisson. */
function glmmDistributionVariance(model: GeneralizedLinearMixedModel): number {
  const { family, link } = model.fit;
  if (family !== 'poisson') return distributionVariance(family, link);
  return distributionVariance(family, link, Math.exp(nullIntercept(model)));
}

/** beta_0 of the model refitted with an intercept as its only fixed effect (same rows, random effects, offset). */
export function nullIntercept(model: GeneralizedLinearMixedModel): number {
  if (model.frame.moments !== undefined) throw new MixedModelsError('the Poisson R^2 refits the null model and needs the rows; this model was fitted from sums in the database');
  const fit = fitGlmm(interceptOnly(model.frame), { family: model.fit.family, link: model.fit.link, nAGQ: model.options.nAGQ });
  return fit.beta[0];
}

function interceptOnly(frame: ModelFrame): ModelFrame {
  const formula = { ...frame.formula, fixed: { ...frame.formula.fixed, intercept: true, terms: [] } };
  return { ...frame, formula, X: new Float64Array(frame.nobs).fill(1), p: 1, colnames: ['(Intercept)'], assign: new Int32Array(1), aliased: [] };
}

/** sum_t mean_i z_it' Sigma_t z_it over lme4's terms (varCorr and reTerms share their order). */
function randomVariance(model: MixedModel): number {
  const terms = model.frame.reTerms, n = model.frame.nobs, moments = model.frame.moments;
  let total = 0;
  model.fit.varCorr.terms.forEach((vc, t) => {
    const { z, k } = terms[t], S = vc.cov;
    // trace(Sigma sum_i z_i z_i'): the frame's moments, else the rows' (the same array icc read).
    const m = moments !== undefined ? moments.ztz[t] : termCrossProduct(z, k, 0, k, n);
    let s = 0;
    for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) s += S[r + c * k] * m[c + r * k];
    total += s / n;
  });
  return total;
}
