/**
 * The CLI's stable JSON output (documented in the README). Numbers that are
 * not finite (NaN, Infinity) become null, since JSON has no such numbers.
 */
import { checkModel } from '../api/arguments.js';
import type { FittedModel } from '../api/fit.js';
import type { Coefficient } from '../lm/coefficient.js';
import type { LmmFit } from '../lmm/types.js';
import type { GlmmFit } from '../glmm/types.js';
import { varCorrRows } from './varCorrRows.js';
import { correlationJson, cov2cor } from './correlation.js';
import { MixedModelsError } from '../errors.js';
import { r2Nakagawa } from '../inference/r2.js';
import type { MixedModel } from '../api/fit.js';
import type { OptSummary } from '../optim/optsummary.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function num(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export function coefficientsJson(cs: readonly Coefficient[]): Json[] {
  return cs.map((c) => ({
    term: c.term,
    estimate: num(c.estimate),
    stdError: num(c.stdError),
    statistic: num(c.statistic),
    df: c.df === null ? null : num(c.df),
    pValue: num(c.pValue),
  }));
}

/** The fixed effects' correlation, cov2cor(vcov), keyed by term (correlation.ts). */
function correlation(names: readonly string[], vcov: Float64Array): Json {
  return correlationJson(names, cov2cor(vcov, names.length));
}

function common(m: FittedModel): { [key: string]: Json } {
  return {
    model: m.kind,
    formula: m.formula,
    response: m.frame.responseName,
    nobs: m.fit.nobs,
    nDropped: m.frame.nDropped,
    ...(m.source ? { source: { ...m.source, seconds: num(m.source.seconds) } } : {}),
  };
}

function optimizerJson(o: OptSummary | null): Json {
  return o && { name: o.optimizer, evaluations: o.evaluations, seconds: num(o.seconds), converged: o.converged };
}

/** The fields LMMs and GLMMs share, from the coefficients to the conditional modes. */
function mixedJson(f: LmmFit | GlmmFit, coefficients: readonly Coefficient[], withResidual: boolean): { [key: string]: Json } {
  return {
    coefficients: coefficientsJson(coefficients),
    correlation: correlation(f.coefnames, f.vcov),
    sigma: num(f.sigma),
    logLik: num(f.logLik),
    df: f.npar,
    AIC: num(f.AIC),
    BIC: num(f.BIC),
    deviance: num(f.deviance),
    // A REML LMM's deviance: the ML refit's minimum (lme4's deviance()), or the ML criterion at the REML estimates.
    ...('devianceRefit' in f && f.REML ? { devianceRefit: f.devianceRefit } : {}),
    objective: num(f.objective),
    ngrps: { ...f.ngrps },
    theta: Array.from(f.theta),
    varCorr: varCorrRows(f.varCorr, withResidual).map((r) => ({ ...r, vcov: num(r.vcov), sdcor: num(r.sdcor) })),
    singular: f.isSingular,
    ranef: f.ranefTable,
  };
}

/** Nakagawa's marginal and conditional R^2, or null for a family it is not defined for here. */
export function r2Json(m: MixedModel): Json {
  try {
    const r = r2Nakagawa(m);
    return { marginal: num(r.marginal), conditional: num(r.conditional) };
  } catch (err) {
    if (err instanceof MixedModelsError) return null;
    throw err;
  }
}

/** The negative binomial's theta (and glm.nb's standard error of it); nothing for other families. */
function nbThetaJson(theta: number | undefined, se?: number): { [key: string]: Json } {
  if (theta === undefined) return {};
  return se === undefined ? { nbTheta: num(theta) } : { nbTheta: num(theta), nbThetaSE: num(se) };
}

/** Families whose scale is fixed at 1 have no residual variance component. */
function hasScale(family: string): boolean {
  return family !== 'binomial' && family !== 'poisson' && family !== 'negative.binomial';
}

/**
 * A fitted model as the CLI's `--format json` object (the fields the README's JSON table lists); numbers that are not finite become null.
 * @example
 * ```ts
 * JSON.stringify(modelJson(m));
 * ```
 */
export function modelJson(m: FittedModel): { [key: string]: Json } {
  checkModel('modelJson', m);
  switch (m.kind) {
    case 'lm': {
      const f = m.fit;
      return {
        ...common(m),
        family: 'gaussian',
        link: 'identity',
        coefficients: coefficientsJson(f.coefficients),
        correlation: correlation(f.coefficients.map((c) => c.term), f.vcov),
        aliased: [...f.aliased],
        sigma: num(f.sigma),
        dfResidual: f.dfResidual,
        rSquared: num(f.rSquared),
        adjRSquared: num(f.adjRSquared),
        fStatistic: f.fStatistic && {
          value: num(f.fStatistic.value),
          numDf: f.fStatistic.numDf,
          denDf: f.fStatistic.denDf,
          pValue: num(f.fStatistic.pValue),
        },
        logLik: num(f.logLik),
        df: f.df,
        AIC: num(f.AIC),
        BIC: num(f.BIC),
        deviance: num(f.deviance),
        converged: f.converged,
        messages: [...m.frame.messages, ...f.messages],
      };
    }
    case 'glm': {
      const f = m.fit;
      return {
        ...common(m),
        family: f.family,
        link: f.link,
        ...nbThetaJson(f.nbTheta, f.nbThetaSE),
        coefficients: coefficientsJson(f.coefficients),
        correlation: correlation(f.coefficients.map((c) => c.term), f.vcov),
        aliased: [...f.aliased],
        sigma: num(Math.sqrt(f.dispersion)),
        dispersion: num(f.dispersion),
        logLik: num(f.logLik),
        df: f.df,
        AIC: num(f.AIC),
        BIC: num(f.BIC),
        deviance: num(f.deviance),
        nullDeviance: num(f.nullDeviance),
        dfResidual: f.dfResidual,
        dfNull: f.dfNull,
        iterations: f.iterations,
        converged: f.converged,
        messages: [...m.frame.messages, ...f.messages],
      };
    }
    case 'lmm': {
      const f = m.fit;
      return {
        ...common(m),
        family: 'gaussian',
        link: 'identity',
        REML: f.REML,
        aliased: [...m.frame.aliased],
        ...mixedJson(f, m.coefficients, true),
        converged: f.converged,
        icc: { adjusted: num(f.icc.adjusted) },
        r2: r2Json(m),
        optimizer: optimizerJson(f.optsummary),
        messages: [...m.frame.messages, ...f.messages],
      };
    }
    case 'glmm': {
      const f = m.fit;
      const stages = f.optsummary.stages;
      return {
        ...common(m),
        family: f.family,
        link: f.link,
        ...nbThetaJson(f.nbTheta),
        nAGQ: f.nAGQ,
        aliased: [...m.frame.aliased],
        ...mixedJson(f, f.coefficients, hasScale(f.family)),
        converged: f.converged,
        r2: r2Json(m),
        nrowsFitted: f.nrowsFitted,
        optimizer: {
          name: stages.map((s) => s.optimizer).join(' + '),
          evaluations: stages.reduce((a, s) => a + s.evaluations, 0),
          seconds: num(f.optsummary.seconds),
          converged: f.converged,
        },
        messages: [...m.frame.messages, ...f.messages],
      };
    }
  }
}
