/**
 * The fixed-effects t tests of an LMM: lme4 gives estimates, standard errors
 * and t values; lmerTest adds Satterthwaite df and p-values. Those cost
 * 1 + 2m(m + 1) evaluations of the criterion (m = length of theta), so under
 * 'auto' they are skipped, with a message, when that would take more than
 * about a second (estimated from the fit's own time per evaluation).
 */
import { ptTwoSided } from '../distributions/t.js';
import { kenwardRoger, kenwardRogerF } from '../inference/ddf/kenwardRoger.js';
import { satterthwaiteCoefficients } from '../inference/ddf/satterthwaite.js';
import type { Coefficient } from '../lm/coefficient.js';
import type { LmmFit } from '../lmm/types.js';
import type { LinearMixedModel } from './fit.js';

const AUTO_SECONDS = 1;

function plain(f: LmmFit): Coefficient[] {
  return f.coefnames.map((term, j) => ({ term, estimate: f.beta[j], stdError: f.se[j], statistic: f.beta[j] / f.se[j], df: null, pValue: NaN }));
}

/** Seconds the Satterthwaite df would take, from the fit's seconds per evaluation. */
export function satterthwaiteSeconds(f: LmmFit): number {
  const o = f.optsummary;
  if (!o || o.evaluations === 0) return 0;
  const m = f.theta.length;
  return (o.seconds / o.evaluations) * (1 + 2 * m * (m + 1));
}

export type DdfOption = 'auto' | 'satterthwaite' | 'kenward-roger' | 'none';

/**
 * Kenward-Roger t tests (pbkrtest; lmerTest's summary(ddf = "Kenward-Roger")):
 * standard errors from the adjusted covariance Phi_A, df of the one-row
 * Kenward-Roger F test of each coefficient.
 */
export function kenwardRogerCoefficients(model: LinearMixedModel): Coefficient[] {
  const kr = kenwardRoger(model);
  const { beta, coefnames } = model.fit;
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

/** The coefficient rows, and a note when 'auto' skipped the df. */
export function lmmCoefficients(model: Omit<LinearMixedModel, 'coefficients'>, ddf: DdfOption): { coefficients: Coefficient[]; note: string | null } {
  if (ddf === 'none') return { coefficients: plain(model.fit), note: null };
  if (ddf === 'kenward-roger') return { coefficients: kenwardRogerCoefficients({ ...model, coefficients: [] }), note: null };
  const seconds = satterthwaiteSeconds(model.fit);
  if (ddf === 'auto' && seconds > AUTO_SECONDS) {
    const note = `Satterthwaite df and p-values were skipped (about ${Math.ceil(seconds)} s for this model); ask for them with --ddf satterthwaite`;
    return { coefficients: plain(model.fit), note };
  }
  return { coefficients: satterthwaiteCoefficients({ ...model, coefficients: [] }), note: null };
}
