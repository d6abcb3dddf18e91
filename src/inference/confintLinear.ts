/**
 * Confidence intervals for the coefficients of an lm or a GLM, as R gives them:
 *
 * - lm, method left out: confint.lm, beta_j -+ qt((1 + level) / 2, df.residual) se_j;
 * - GLM, method left out or 'profile': confint.glm, profile likelihood (profile/profileGlm.ts);
 * - 'wald', either kind: confint.default, beta_j -+ qnorm((1 + level) / 2) se_j.
 *
 * R has no likelihood profile of an lm (its t intervals are exact), and a
 * bootstrap is for the mixed models here: both are refused with a message.
 * Rows follow the model matrix's columns; an aliased column (no estimate) has
 * null limits, as R's NA. The fit's own convergence and separation messages
 * come first in the messages.
 */
import type { GeneralizedLinearModel, LinearModel } from '../api/fit.js';
import { qnorm, qt } from '../distributions/index.js';
import { failureNotes } from '../diagnostics.js';
import { MixedModelsError } from '../errors.js';
import type { ConfintMethod, ConfintReport } from './confint.js';
import { glmProfileIntervals } from './profile/profileGlm.js';
import type { ConfidenceInterval } from './wald.js';

export function linearIntervals(model: LinearModel | GeneralizedLinearModel, method: ConfintMethod | undefined, level: number): ConfintReport {
  const name = model.kind === 'lm' ? 'an lm' : 'a GLM';
  if (method === 'boot') throw new MixedModelsError(`bootstrap intervals are for mixed models; ${name} has ${model.kind === 'lm' ? "t intervals (leave out method, R's confint.lm)" : "profile or Wald intervals (R's confint, confint.default)"}`);
  if (model.kind === 'lm' && method === 'profile') {
    throw new MixedModelsError("an lm's intervals are R's confint.lm t intervals, exact for a linear model (R has no likelihood profile of an lm): leave out method, or give 'wald' for confint.default's normal ones");
  }
  // What the fit itself is unsure of (IRLS not converged, separation) holds for its intervals too.
  const fitNotes = failureNotes(model.fit);
  if (model.kind === 'glm' && method !== 'wald') {
    const r = glmProfileIntervals(model, level);
    return { intervals: r.intervals, messages: [...fitNotes, ...r.messages] };
  }
  const q = method === 'wald' ? qnorm((1 + level) / 2) : qt((1 + level) / 2, model.fit.dfResidual);
  const byTerm = new Map(model.fit.coefficients.map((c) => [c.term, c]));
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  const intervals: ConfidenceInterval[] = [...model.frame.colnames, ...model.frame.aliased].map((parameter) => {
    const c = byTerm.get(parameter);
    return c === undefined ? { parameter, lower: null, upper: null } : { parameter, lower: finite(c.estimate - q * c.stdError), upper: finite(c.estimate + q * c.stdError) };
  });
  const messages = [...fitNotes, ...(model.fit.aliased.length > 0 ? [`no estimate, so no interval, for ${model.fit.aliased.join(', ')} (aliased)`] : [])];
  return { intervals, messages };
}
