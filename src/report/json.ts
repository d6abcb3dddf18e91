/**
 * The CLI's stable JSON output (documented in the README). Numbers that are
 * not finite (NaN, Infinity) become null, since JSON has no such numbers.
 */
import type { FittedModel } from '../api/fit.js';
import type { Coefficient } from '../lm/coefficient.js';

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

function common(m: FittedModel): { [key: string]: Json } {
  return {
    model: m.kind,
    formula: m.formula,
    response: m.frame.responseName,
    nobs: m.fit.nobs,
    nDropped: m.frame.nDropped,
  };
}

export function modelJson(m: FittedModel): { [key: string]: Json } {
  switch (m.kind) {
    case 'lm': {
      const f = m.fit;
      return {
        ...common(m),
        family: 'gaussian',
        link: 'identity',
        coefficients: coefficientsJson(f.coefficients),
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
        messages: [...m.frame.messages],
      };
    }
    case 'glm': {
      const f = m.fit;
      return {
        ...common(m),
        family: f.family,
        link: f.link,
        coefficients: coefficientsJson(f.coefficients),
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
  }
}
