/**
 * broom's glance(): one row of model-level statistics.
 *
 * - lm (broom's glance.lm): r.squared, adj.r.squared, sigma, statistic and
 *   p.value of the overall F test, df (its numerator df), logLik, AIC, BIC,
 *   deviance (the residual sum of squares), df.residual, nobs;
 * - glm (glance.glm): null.deviance, df.null, logLik, AIC, BIC, deviance,
 *   df.residual, nobs;
 * - lmm and glmm (broom.mixed's glance.merMod): nobs, sigma, logLik, AIC, BIC,
 *   REMLcrit for a REML fit or deviance otherwise (lme4's deviance(m): the ML
 *   deviance of an LMM, the sum of squared deviance residuals of a GLMM),
 *   df.residual = nobs - number of parameters; then, beyond broom.mixed, the
 *   adjusted ICC sigma2_RE / (sigma2_RE + sigma2_e) and Nakagawa's marginal
 *   and conditional R^2 (r2.ts; performance::icc and r2_nakagawa), null where
 *   they are not defined for the family.
 */
import { checkModel } from '../api/arguments.js';
import type { FittedModel, MixedModel } from '../api/fit.js';
import { MixedModelsError } from '../errors.js';
import { r2Nakagawa, type R2 } from '../inference/r2.js';
import { finite, type TidyRow } from './rows.js';

/** Nakagawa's R^2 with its variance parts, or null for a family it is not defined for. */
export function r2OrNull(m: MixedModel): R2 | null {
  try {
    return r2Nakagawa(m);
  } catch (err) {
    if (err instanceof MixedModelsError) return null;
    throw err;
  }
}

/** Adjusted ICC and R^2 from the variance parts (null parts give nulls). */
export function varianceSummary(r2: R2 | null): { icc: number | null; 'r2.marginal': number | null; 'r2.conditional': number | null } {
  if (r2 === null) return { icc: null, 'r2.marginal': null, 'r2.conditional': null };
  const { random, residual } = r2.variances;
  return { icc: finite(random / (random + residual)), 'r2.marginal': finite(r2.marginal), 'r2.conditional': finite(r2.conditional) };
}

/**
 * One row of the fit's summary statistics, as broom.mixed's `glance`: nobs, sigma, logLik, AIC, BIC,
 * REMLcrit or deviance, df.residual, and the ICC and Nakagawa R^2 where they are defined.
 * @example
 * ```ts
 * const row = glance(m); // { nobs: 180, sigma: 25.59, logLik: -871.8, ... }
 * ```
 */
export function glance(model: FittedModel): TidyRow {
  checkModel('glance', model);
  const m = model;
  switch (m.kind) {
    case 'lm': {
      const f = m.fit;
      return {
        'r.squared': finite(f.rSquared), 'adj.r.squared': finite(f.adjRSquared), sigma: finite(f.sigma),
        statistic: finite(f.fStatistic?.value), 'p.value': finite(f.fStatistic?.pValue), df: f.fStatistic?.numDf ?? null,
        logLik: finite(f.logLik), AIC: finite(f.AIC), BIC: finite(f.BIC), deviance: finite(f.deviance), 'df.residual': f.dfResidual, nobs: f.nobs,
      };
    }
    case 'glm': {
      const f = m.fit;
      return {
        'null.deviance': finite(f.nullDeviance), 'df.null': f.dfNull, logLik: finite(f.logLik), AIC: finite(f.AIC), BIC: finite(f.BIC),
        deviance: finite(f.deviance), 'df.residual': f.dfResidual, nobs: f.nobs,
      };
    }
    case 'lmm':
    case 'glmm': {
      const f = m.fit;
      const criterion: TidyRow = m.kind === 'lmm' && m.fit.REML ? { REMLcrit: finite(m.fit.objective) } : { deviance: finite(f.deviance) };
      return {
        nobs: f.nobs, sigma: finite(f.sigma), logLik: finite(f.logLik), AIC: finite(f.AIC), BIC: finite(f.BIC),
        ...criterion, 'df.residual': f.nobs - f.npar, ...varianceSummary(r2OrNull(m)),
      };
    }
  }
}
