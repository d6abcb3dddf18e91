/**
 * Wald confidence intervals (lme4's confint(m, method = "Wald")): for each
 * fixed effect beta_j +- qnorm((1 + level) / 2) se_j, with se_j from vcov.
 * lme4 gives NA for the variance parameters with this method; they are kept,
 * in the same order as the other methods' rows, with lower = upper = null.
 */
import { qnorm } from '../distributions/index.js';
import { MixedModelsError } from '../errors.js';
import { covarianceNames, type NamedTerm } from './paramNames.js';

/** One confidence interval: the parameter's name as lme4 names it and the lower and upper limits. */
export interface ConfidenceInterval {
  /** lme4's name (paramNames.ts). */
  parameter: string;
  /** null where the method gives none (lme4's NA). */
  lower: number | null;
  upper: number | null;
}

/** What the intervals need from a fitted mixed model (an LmmFit or a GlmmFit). */
export interface WaldInput {
  coefnames: readonly string[];
  beta: ArrayLike<number>;
  se: ArrayLike<number>;
  varCorr: { terms: readonly NamedTerm[] };
}

/** Intervals for beta alone. */
export function waldFixef(fit: WaldInput, level = 0.95): ConfidenceInterval[] {
  if (!(level > 0 && level < 1)) throw new MixedModelsError(`level must be between 0 and 1, not ${level}`);
  const z = qnorm((1 + level) / 2);
  return fit.coefnames.map((parameter, j) => ({ parameter, lower: fit.beta[j] - z * fit.se[j], upper: fit.beta[j] + z * fit.se[j] }));
}

/** All rows: the variance parameters (null, null), `sigma` when `hasSigma`, then the fixed effects. */
export function waldIntervals(fit: WaldInput, hasSigma: boolean, level = 0.95): ConfidenceInterval[] {
  const none = [...covarianceNames(fit.varCorr.terms), ...(hasSigma ? ['sigma'] : [])];
  return [...none.map((parameter) => ({ parameter, lower: null, upper: null })), ...waldFixef(fit, level)];
}
