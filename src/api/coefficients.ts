/**
 * The fixed-effects t tests of an LMM: lme4 gives estimates, standard errors
 * and t values; lmerTest adds Satterthwaite df and p-values. With exact
 * derivatives (lmm/criterionDerivatives.ts) those cost a few evaluations of
 * the criterion (InstEval's: about 0.3 s), so 'auto' always computes them; only
 * when they cannot be computed (the factorisation fails at the estimates)
 * does 'auto' give the t tests without df, and say why.
 */
import { MixedModelsError } from '../errors.js';
import { ptTwoSided } from '../distributions/t.js';
import { kenwardRoger, kenwardRogerF, kenwardRogerNotes } from '../inference/ddf/kenwardRoger.js';
import { satterthwaiteCoefficients } from '../inference/ddf/satterthwaite.js';
import type { Coefficient } from '../lm/coefficient.js';
import type { LmmFit } from '../lmm/types.js';
import type { LmmProblem } from '../lmm/problem.js';
import type { LinearMixedModel } from './fit.js';

function plain(f: LmmFit): Coefficient[] {
  return f.coefnames.map((term, j) => ({ term, estimate: f.beta[j], stdError: f.se[j], statistic: f.beta[j] / f.se[j], df: null, pValue: NaN }));
}

export type DdfOption = 'auto' | 'satterthwaite' | 'kenward-roger' | 'none';

/**
 * Kenward-Roger t tests (pbkrtest; lmerTest's summary(ddf = "Kenward-Roger")):
 * standard errors from the adjusted covariance Phi_A, df of the one-row
 * Kenward-Roger F test of each coefficient; for an ML fit, of its REML refit
 * (estimates included), as pbkrtest's KRmodcomp.
 */
export function kenwardRogerCoefficients(model: LinearMixedModel): Coefficient[] {
  const kr = kenwardRoger(model);
  const { beta } = kr, { coefnames } = model.fit;
  const p = beta.length;
  return coefnames.map((term, j) => {
    const values = new Float64Array(p);
    values[j] = 1;
    const { denDf } = kenwardRogerF(kr, beta, { q: 1, p, values });
    const stdError = Math.sqrt(kr.phiAdjusted[j * (p + 1)]);
    const statistic = beta[j] / stdError;
    return { term, estimate: beta[j], stdError, statistic, df: denDf, pValue: ptTwoSided(statistic, denDf) };
  });
}

/** The coefficient rows, and a note when 'auto' could not compute the df. */
export function lmmCoefficients(model: Omit<LinearMixedModel, 'coefficients'>, ddf: DdfOption, problem?: LmmProblem): { coefficients: Coefficient[]; note: string | null } {
  if (ddf === 'none') return { coefficients: plain(model.fit), note: null };
  if (ddf === 'kenward-roger') {
    const notes = kenwardRogerNotes(model);
    const note = notes.length === 0 ? null : notes.join('; ');
    return { coefficients: kenwardRogerCoefficients({ ...model, coefficients: [] }), note };
  }
  try {
    return { coefficients: satterthwaiteCoefficients({ ...model, coefficients: [] }, problem), note: null };
  } catch (err) {
    if (ddf === 'satterthwaite' || !(err instanceof MixedModelsError)) throw err;
    return { coefficients: plain(model.fit), note: `Satterthwaite df and p-values are not available: ${err.message}` };
  }
}
