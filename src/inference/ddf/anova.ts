/**
 * ANOVA tables of F tests for the fixed-effects terms (lmerTest's anova):
 * one row per term in the formula's order, each the test of L beta = 0 for the
 * term's type I, II or III contrast L (ddfContrasts.ts), with Satterthwaite's
 * (satterthwaite.ts) or Kenward-Roger's (kenwardRoger.ts) denominator df, and
 * lmerTest's sums of squares: with F the unscaled F statistic (for
 * Kenward-Roger, pbkrtest's FtestU from the adjusted covariance, before its
 * scaling) and sigma the residual standard deviation,
 *
 *   Mean Sq = F sigma^2,   Sum Sq = Mean Sq numDf.
 *
 * Linear models get R's anova.lm table (lmAnova.ts), GLMs R's analysis of
 * deviance (glmAnova.ts); `ddf` does not apply to them.
 */
import { MixedModelsError } from '../../errors.js';
import type { FittedModel, GeneralizedLinearModel, LinearMixedModel, LinearModel } from '../../api/fit.js';
import { numericVariables } from '../anova/dataClasses.js';
import { glmAnova } from '../anova/glmAnova.js';
import { lmAnova } from '../anova/lmAnova.js';
import type { AnovaRow, DevianceRow, GlmTest } from '../anova/types.js';
import { typeIContrasts, typeIIContrasts, type TermContrast } from './ddfContrasts.js';
import { lmerTestTypeIII } from './typeIIIContrasts.js';
import { kenwardRoger, kenwardRogerF } from './kenwardRoger.js';
import { satterthwaiteF } from './satterthwaite.js';
import { varpar } from './varpar.js';

export type { AnovaRow, DevianceRow, GlmTest } from '../anova/types.js';

export type DdfMethod = 'satterthwaite' | 'kenward-roger';

/**
 * The options of `anova`: the type of the tests (3, 2 or 1), the denominator df method for LMMs and the test for GLMs.
 */
export interface AnovaOptions {
  /** 3 (marginal, the default for mixed models), 2 (lmerTest's type II) or 1 (sequential: the default for lm, the only type for GLMs). */
  type?: 1 | 2 | 3;
  /** Denominator df for mixed models (default satterthwaite). */
  ddf?: DdfMethod;
  /** GLMs: the test (default Chisq for binomial and Poisson, F when the dispersion is estimated). */
  test?: GlmTest;
}

function validate(model: FittedModel, options: AnovaOptions): { type: 1 | 2 | 3; ddf: DdfMethod } {
  const type = options.type ?? (model.kind === 'lmm' ? 3 : 1);
  const ddf = options.ddf ?? 'satterthwaite';
  if (type !== 1 && type !== 2 && type !== 3) throw new MixedModelsError(`anova type must be 1, 2 or 3, not ${String(type)}`);
  if (ddf !== 'satterthwaite' && ddf !== 'kenward-roger') throw new MixedModelsError(`ddf must be 'satterthwaite' or 'kenward-roger', not '${String(ddf)}'`);
  return { type, ddf };
}

function contrasts(model: LinearMixedModel, type: 1 | 2 | 3): TermContrast[] {
  let all: TermContrast[];
  if (type === 1) all = typeIContrasts(model.frame);
  else if (type === 2) {
    const numeric = numericVariables(model);
    all = typeIIContrasts(model.frame, (label) => numeric.has(label));
  } else all = lmerTestTypeIII(model.frame, model.options.contrasts);
  return all.filter((c) => c.L.q > 0);
}

function mixedRows(model: LinearMixedModel, terms: TermContrast[], ddf: DdfMethod): AnovaRow[] {
  const beta = model.fit.beta, s2 = model.fit.sigma * model.fit.sigma;
  let test: (c: TermContrast) => { F: number; unscaled: number; numDf: number; denDf: number; pValue: number };
  if (ddf === 'satterthwaite') {
    const vp = varpar(model);
    test = (c) => {
      const t = satterthwaiteF(vp, beta, c.L);
      return { ...t, unscaled: t.F };
    };
  } else {
    // For an ML fit, the tests (and sums of squares) of its REML refit, as pbkrtest's.
    const kr = kenwardRoger(model);
    const krScale = (kr.sigma * kr.sigma) / s2;
    test = (c) => {
      const t = kenwardRogerF(kr, kr.beta, c.L);
      return { ...t, unscaled: (t.F / t.scaling) * krScale };
    };
  }
  return terms.map((c) => {
    const { F, unscaled, numDf, denDf, pValue } = test(c);
    return { term: c.term, sumSq: unscaled * s2 * numDf, meanSq: unscaled * s2, numDf, denDf, F, pValue };
  });
}

/**
 * The ANOVA table of a linear mixed model (lmerTest), a linear model (anova.lm) or a GLM (anova.glm); see the module comment.
 * @example
 * ```ts
 * anova(m);                                                     // type III, Satterthwaite
 * anova(m, { type: 2, ddf: 'kenward-roger' });
 * ```
 */
export function anova(model: GeneralizedLinearModel, options?: AnovaOptions): DevianceRow[];
export function anova(model: LinearModel | LinearMixedModel, options?: AnovaOptions): AnovaRow[];
export function anova(model: FittedModel, options?: AnovaOptions): AnovaRow[] | DevianceRow[];
export function anova(model: FittedModel, options: AnovaOptions = {}): AnovaRow[] | DevianceRow[] {
  const { type, ddf } = validate(model, options);
  if (model.kind === 'lmm') return mixedRows(model, contrasts(model, type), ddf);
  if (model.kind === 'lm') return lmAnova(model, type);
  if (model.kind === 'glm') {
    if (type !== 1) throw new MixedModelsError('the analysis of deviance of a GLM adds terms sequentially: use type 1');
    return glmAnova(model, options.test);
  }
  throw new MixedModelsError('anova tables are for linear (mixed) models and GLMs; for a generalized mixed model compare nested models by likelihood-ratio tests (compare)');
}
