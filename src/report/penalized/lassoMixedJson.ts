/**
 * An L1-penalised mixed model as the CLI's JSON: the mixed-model fields at the
 * chosen lambda (`coefficients` with exact zeros for dropped terms and no
 * standard errors, `logLik` of the ML (Laplace) likelihood at the penalised
 * estimates, `theta`, `varCorr`), then `lambda` (the path), `path` with the
 * log-likelihood, BIC and coefficients per lambda, and `selected`.
 */
import type { LassoMixedModel, LassoMixedPoint } from '../../penalized/lassoMixed.js';
import { num, type Json } from '../json.js';
import { varCorrRows } from '../varCorrRows.js';

function coefs(m: LassoMixedModel, pt: LassoMixedPoint): Json[] {
  return m.frame.colnames.map((term, j) => ({ term, estimate: num(pt.beta[j] + 0) }));
}

export function lassoMixedJson(m: LassoMixedModel): { [key: string]: Json } {
  const pt = m.path[m.selected];
  const n = m.frame.nobs;
  const withResidual = m.base === 'lmm';
  return {
    model: m.base,
    penalty: 'lasso',
    formula: m.formula,
    response: m.frame.responseName,
    family: m.family,
    link: m.link,
    nobs: n,
    nDropped: m.frame.nDropped,
    coefficients: m.frame.colnames.map((term, j) => ({ term, estimate: num(pt.beta[j] + 0), stdError: null, statistic: null, df: null, pValue: null })),
    penaltyWeights: m.frame.colnames.map((term, j) => ({ term, weight: m.weights[j] })),
    sigma: num(pt.sigma),
    logLik: num(pt.logLik),
    df: pt.df,
    AIC: num(-2 * pt.logLik + 2 * pt.df),
    BIC: num(pt.bic),
    ngrps: { ...m.ngrps },
    theta: Array.from(pt.theta),
    varCorr: varCorrRows(m.varCorr, withResidual).map((r) => ({ ...r, vcov: num(r.vcov), sdcor: num(r.sdcor) })),
    lambda: m.path.map((p) => num(p.lambda)),
    path: m.path.map((p) => ({ lambda: num(p.lambda), logLik: num(p.logLik), bic: num(p.bic), df: p.df, converged: p.converged, coefficients: coefs(m, p) })),
    selected: { lambda: num(pt.lambda), criterion: m.criterion, index: m.selected },
    messages: [...m.messages],
  };
}
