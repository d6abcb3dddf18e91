/**
 * theta of a negative binomial GLM by maximum likelihood, as MASS's glm.nb:
 * from the Poisson fit (same link), theta0 = theta.ml(y, mu_pois) (thetaMl.ts);
 * then, while |L_{k-1} - L_k| / d1 + |theta_k - theta_{k-1}| > epsilon
 * (d1 = sqrt(2 max(1, residual df of the Poisson fit))) and at most maxIter times:
 *
 *   fit_k   = IRLS with negative.binomial(theta_{k-1}) started at eta = g(mu_{k-1}),
 *   theta_k = theta.ml(y, mu_{k-1}),   mu_k = fit_k's means,
 *   L_k     = sum w log P(y | mu_k, theta_k),
 *
 * (theta_k from the previous means, as MASS). The result is fit_k with
 * theta = theta_k, its SE from theta.ml, and 2 L_k; glm.ts counts theta as a
 * parameter (logLik df = rank + 1, AIC = -2 L + 2 (rank + 1)).
 */
import { makeFamily, type Family } from './family.js';
import { irls, type IrlsProblem, type IrlsResult } from './irls.js';
import type { LinkName } from './link.js';
import { thetaMl, type ThetaMlResult } from './thetaMl.js';

export interface GlmNbResult {
  /** The last IRLS fit and the family it used (theta_{k-1}). */
  res: IrlsResult;
  family: Family;
  /** theta_k and its standard error. */
  theta: number;
  se: number;
  /** sum w log P(y | mu_k, theta_k). */
  logLik: number;
  /** Alternations made. */
  iterations: number;
  /** theta.ml's warnings at the end, "alternation limit reached", or the stop at a theta without a finite estimate. */
  warnings: string[];
}

/** sum w log P(y | mu, theta), -aic / 2 of negative.binomial(theta). */
function nbLogLik(prob: IrlsProblem, family: Family, mu: Float64Array): number {
  return -family.aic(prob.y, prob.weights, mu, prob.weights, 0) / 2;
}

/**
 * The alternation above from the Poisson fit `poisson` of `prob` (its family
 * is the Poisson's; every other field is the negative binomial problem's).
 */
export function glmNbTheta(prob: IrlsProblem, poisson: IrlsResult, link: LinkName): GlmNbResult {
  const { y, weights, maxIter, epsilon } = prob;
  const ml = (mu: Float64Array): ThetaMlResult => thetaMl(y, mu, weights, maxIter);
  let est = ml(poisson.mu);
  if (!(est.theta > 0 && Number.isFinite(est.theta))) {
    return { res: poisson, family: prob.family, theta: est.theta, se: est.se, logLik: NaN, iterations: 0, warnings: est.warnings };
  }
  let theta = est.theta;
  let family = makeFamily('negative.binomial', link, theta);
  const nobs = weights.reduce((s, w) => s + (w > 0 ? 1 : 0), 0);
  const d1 = Math.sqrt(2 * Math.max(1, nobs - poisson.wls.rank));
  let mu = poisson.mu;
  let L = nbLogLik(prob, family, mu);
  let L0 = L + 2 * d1;
  let del = 1;
  let res = poisson, resFamily = family, iter = 0;
  const warnings: string[] = [];
  while (Math.abs(L0 - L) / d1 + Math.abs(del) > epsilon) {
    if (++iter > maxIter) {
      warnings.push('alternation limit reached');
      break;
    }
    res = irls({ ...prob, family }, mu);
    resFamily = family;
    const previous = theta;
    const next = ml(mu);
    if (!(next.theta > 0 && Number.isFinite(next.theta))) {
      warnings.push(...next.warnings, `theta's alternation stopped at theta = ${previous.toPrecision(6)}, the last finite positive estimate`);
      mu = res.mu;
      L = nbLogLik(prob, family, mu);
      break;
    }
    est = next;
    theta = est.theta;
    family = makeFamily('negative.binomial', link, theta);
    mu = res.mu;
    del = previous - theta;
    L0 = L;
    L = nbLogLik(prob, family, mu);
  }
  return { res, family: resFamily, theta, se: est.se, logLik: L, iterations: iter, warnings: [...est.warnings, ...warnings] };
}
