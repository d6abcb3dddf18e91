/**
 * What marginal means need from a fitted model (emmeans' emm_basis): the
 * fixed effects beta, the covariance V used for standard errors, and the
 * degrees of freedom of a linear function l'beta.
 *
 * - lm: V = vcov, df = the residual df.
 * - glm: V = vcov, df = the residual df for the gaussian and Gamma families
 *   (estimated dispersion, as emmeans 1.8.4 decides), Infinity otherwise.
 * - LMM, Kenward-Roger (emmeans' default with pbkrtest): V = the adjusted
 *   covariance Phi_A (pbkrtest's vcovAdj), df = pbkrtest's Lb_ddf(l)
 *   (kenwardRoger.ts). Satterthwaite: V = vcov, df = lmerTest's df of l'beta
 *   (satterthwaite.ts). Asymptotic: V = vcov, df = Infinity.
 *   As emmeans, an LMM with more than `ddfLimit` (3000) observations gets
 *   Satterthwaite's df instead of Kenward-Roger's and asymptotic df beyond
 *   that limit for both (with a message), unless the limit is raised.
 *   Kenward-Roger needs a REML fit without prior weights; otherwise the
 *   default falls back to Satterthwaite, with a message.
 * - GLMM: V = vcov, df = Infinity (z tests).
 */
import type { FittedModel, LinearMixedModel } from '../../api/fit.js';
import { MixedModelsError } from '../../errors.js';
import { kenwardRoger, kenwardRogerT, withUnadjusted } from '../ddf/kenwardRoger.js';
import { satterthwaiteT } from '../ddf/satterthwaite.js';
import { varpar } from '../ddf/varpar.js';

export type EmmDdf = 'kenward-roger' | 'satterthwaite' | 'asymptotic';

export interface EmmBasis {
  p: number;
  beta: Float64Array;
  /** p x p column-major. */
  V: Float64Array;
  /** Degrees of freedom of l'beta (Infinity: z tests). */
  df(l: Float64Array): number;
  /** The df method emmeans names for an LMM ("Degrees-of-freedom method: ..."), null for other models. */
  dfMethod: EmmDdf | null;
  messages: string[];
}

export interface BasisOptions {
  /** LMMs: the df method; default Kenward-Roger (emmeans with pbkrtest installed). */
  ddf?: EmmDdf;
  /** LMMs: most observations for Kenward-Roger and Satterthwaite df (emmeans' pbkrtest.limit and lmerTest.limit, 3000). */
  ddfLimit?: number;
}

export const DDF_LIMIT = 3000;

/** Coefficients and covariance of an lm/glm fit, in the frame's column order. */
function linearBasis(model: Extract<FittedModel, { kind: 'lm' | 'glm' }>): { beta: Float64Array; V: Float64Array } {
  const { fit, frame } = model;
  const p = frame.p;
  if (fit.coefficients.length !== p) {
    throw new MixedModelsError(`marginal means need a full-rank design, but ${fit.aliased.join(', ')} ${fit.aliased.length === 1 ? 'is' : 'are'} aliased`);
  }
  return { beta: Float64Array.from(fit.coefficients, (c) => c.estimate), V: fit.vcov };
}

function lmmMethod(model: LinearMixedModel, options: BasisOptions, messages: string[]): EmmDdf {
  const limit = options.ddfLimit ?? DDF_LIMIT;
  const n = model.fit.nobs;
  let method = options.ddf ?? 'kenward-roger';
  if (method !== 'asymptotic' && n > limit) {
    messages.push(`Note: D.f. calculations have been disabled because the number of observations exceeds ${limit}; asymptotic df are used (raise the limit to compute ${method} df)`);
    return 'asymptotic';
  }
  if (method === 'kenward-roger' && options.ddf === undefined && model.frame.weights !== null) {
    messages.push(`Kenward-Roger df need a fit without prior weights; Satterthwaite df are used`);
    method = 'satterthwaite';
  }
  return method;
}

function lmmBasis(model: LinearMixedModel, options: BasisOptions): EmmBasis {
  const messages: string[] = [];
  const method = lmmMethod(model, options, messages);
  const { beta, vcov, p } = model.fit;
  if (method === 'kenward-roger') {
    // pbkrtest leaves prior weights out of its adjustment (emmeans would mix it with the weighted vcov): refused.
    if (model.frame.weights !== null) throw new MixedModelsError('Kenward-Roger df for marginal means are not available with prior weights; use Satterthwaite');
    const kr = kenwardRoger(model);
    // An ML fit as emmeans takes it: its own estimates, the REML refit's adjusted covariance, and the fit's vcov as Lb_ddf's unadjusted one.
    if (!model.fit.REML) messages.push('Kenward-Roger for an ML fit, as emmeans: the ML estimates with the adjusted covariance and df of its REML refit (pbkrtest)');
    const k = model.fit.REML ? kr : withUnadjusted(kr, vcov);
    return { p, beta, V: kr.phiAdjusted, df: (l) => kenwardRogerT(k, l).df, dfMethod: method, messages };
  }
  if (method === 'satterthwaite') {
    const vp = varpar(model);
    messages.push(...vp.messages);
    return { p, beta, V: vcov, df: (l) => satterthwaiteT(vp, l).df, dfMethod: method, messages };
  }
  return { p, beta, V: vcov, df: () => Infinity, dfMethod: method, messages };
}

/** The basis of a fitted model (module comment). */
export function emmBasis(model: FittedModel, options: BasisOptions = {}): EmmBasis {
  const ddf = options.ddf;
  if (ddf !== undefined && ddf !== 'kenward-roger' && ddf !== 'satterthwaite' && ddf !== 'asymptotic') {
    throw new MixedModelsError(`ddf must be 'kenward-roger', 'satterthwaite' or 'asymptotic', not '${String(ddf)}'`);
  }
  if (model.kind === 'lmm') return lmmBasis(model, options);
  const p = model.frame.p;
  if (model.kind === 'glmm') return { p, beta: model.fit.beta, V: model.fit.vcov, df: () => Infinity, dfMethod: null, messages: [] };
  const { beta, V } = linearBasis(model);
  const residual = model.kind === 'lm' || ['gaussian', 'Gamma'].includes(model.fit.family);
  const df = residual ? model.fit.dfResidual : Infinity;
  return { p, beta, V, df: () => df, dfMethod: null, messages: [] };
}
