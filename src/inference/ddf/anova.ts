/**
 * ANOVA tables of F tests for the fixed-effects terms (lmerTest's anova):
 * one row per term in the formula's order, each the test of L beta = 0 for the
 * term's type I or type III contrast L (ddfContrasts.ts), with Satterthwaite's
 * (satterthwaite.ts) or Kenward-Roger's (kenwardRoger.ts) denominator df.
 *
 * A linear model without random effects gets the same contrasts with its
 * exact F tests: F = (L b)'(L vcov L')^-1 (L b) / rank(L) on the residual df
 * (R's anova for type I, car's Anova for type III); `ddf` does not apply.
 */
import { MixedModelsError } from '../../errors.js';
import type { FittedModel, LinearMixedModel, LinearModel } from '../../api/fit.js';
import { diagonaliseContrast, typeIContrasts, typeIIIContrasts, type TermContrast } from './ddfContrasts.js';
import { kenwardRoger, kenwardRogerF } from './kenwardRoger.js';
import { fPValue, satterthwaiteF, type FTest } from './satterthwaite.js';
import { varpar } from './varpar.js';

export type DdfMethod = 'satterthwaite' | 'kenward-roger';

export interface AnovaOptions {
  /** 3 (default, marginal) or 1 (sequential). */
  type?: 1 | 3;
  /** Denominator df for mixed models (default satterthwaite). */
  ddf?: DdfMethod;
}

export interface AnovaRow {
  term: string;
  numDf: number;
  denDf: number;
  F: number;
  pValue: number;
}

function validate(options: AnovaOptions): { type: 1 | 3; ddf: DdfMethod } {
  const type = options.type ?? 3;
  const ddf = options.ddf ?? 'satterthwaite';
  if (type !== 1 && type !== 3) throw new MixedModelsError(`anova type must be 1 or 3, not ${String(type)}`);
  if (ddf !== 'satterthwaite' && ddf !== 'kenward-roger') throw new MixedModelsError(`ddf must be 'satterthwaite' or 'kenward-roger', not '${String(ddf)}'`);
  return { type, ddf };
}

function contrasts(model: FittedModel, type: 1 | 3): TermContrast[] {
  const all = type === 1 ? typeIContrasts(model.frame) : typeIIIContrasts(model.frame);
  return all.filter((c) => c.L.q > 0);
}

function mixedRows(model: LinearMixedModel, terms: TermContrast[], ddf: DdfMethod): AnovaRow[] {
  const beta = model.fit.beta;
  let test: (c: TermContrast) => FTest;
  if (ddf === 'satterthwaite') {
    const vp = varpar(model);
    test = (c) => satterthwaiteF(vp, beta, c.L);
  } else {
    const kr = kenwardRoger(model);
    test = (c) => kenwardRogerF(kr, beta, c.L);
  }
  return terms.map((c) => {
    const { F, numDf, denDf, pValue } = test(c);
    return { term: c.term, numDf, denDf, F, pValue };
  });
}

function linearRows(model: LinearModel, terms: TermContrast[]): AnovaRow[] {
  const { fit } = model;
  if (fit.aliased.length > 0) throw new MixedModelsError(`anova needs a full-rank design, but ${fit.aliased.join(', ')} ${fit.aliased.length === 1 ? 'is' : 'are'} aliased`);
  const beta = fit.coefficients.map((c) => c.estimate);
  return terms.map((c) => {
    const { rows, variances } = diagonaliseContrast(c.L, fit.vcov);
    const F = rows.reduce((s, row, m) => {
      const est = row.reduce((a, v, j) => a + v * beta[j], 0);
      return s + (est * est) / variances[m];
    }, 0) / rows.length;
    return { term: c.term, numDf: rows.length, denDf: fit.dfResidual, F, pValue: fPValue(F, rows.length, fit.dfResidual) };
  });
}

/** The type I or III ANOVA table of a linear (mixed) model; see the module comment. */
export function anova(model: FittedModel, options: AnovaOptions = {}): AnovaRow[] {
  const { type, ddf } = validate(options);
  if (model.kind === 'lmm') return mixedRows(model, contrasts(model, type), ddf);
  if (model.kind === 'lm') return linearRows(model, contrasts(model, type));
  throw new MixedModelsError('anova F tests are for linear (mixed) models; for a generalized model compare nested models by likelihood-ratio tests (compare)');
}
