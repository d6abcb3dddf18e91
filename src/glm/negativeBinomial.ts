/**
 * The negative binomial family for a known theta (MASS's
 * negative.binomial(theta)): y ~ NB(mean mu, size theta), a Poisson count
 * whose rate is Gamma-distributed with mean mu and shape theta, so
 *
 *   P(y) = Gamma(y + theta) / (Gamma(theta) y!) (theta / (mu + theta))^theta (mu / (mu + theta))^y,
 *   V(mu) = mu + mu^2 / theta,
 *   d(y, mu) = 2 [y log(max(1, y) / mu) - (y + theta) log((y + theta) / (mu + theta))]   (MASS's dev.resids),
 *   aic = -2 sum wt log P(y)     (MASS's aic: no parameter is counted; glm.nb adds theta's),
 *
 * starting means y + 1/6 at y = 0 (MASS's initialize), links log (default),
 * sqrt, identity. aic - deviance does not depend on mu, so GLMMs add it once
 * as the saturated constant (glmm/response.ts). (y + theta) log(mu + theta) -
 * theta log theta is evaluated as y log(mu + theta) + theta log1p(mu / theta),
 * which keeps its digits as theta grows.
 */
import { lgamma as gammaln } from '../distributions/special/lgamma.js';
import { MixedModelsError } from '../errors.js';

/** The family's kernels at theta (family.ts wraps them with the link). */
export function negativeBinomialKernels(theta: number) {
  if (!(theta > 0 && Number.isFinite(theta))) {
    throw new MixedModelsError(`the negative binomial theta must be a positive finite number, not ${theta}`);
  }
  const lgammaTheta = gammaln(theta);
  return {
    theta,
    estimatedDispersion: false,
    variance: (mu: number) => mu + (mu * mu) / theta,
    devResid: (y: number, mu: number, wt: number) =>
      2 * wt * ((y === 0 ? 0 : y * Math.log(Math.max(1, y) / mu)) - (y + theta) * Math.log((y + theta) / (mu + theta))),
    validMu: (mu: number) => mu > 0 && Number.isFinite(mu),
    aic: (y: Float64Array, _n: Float64Array, mu: Float64Array, wt: Float64Array) => {
      let s = 0;
      for (let i = 0; i < y.length; i++) {
        if (wt[i] === 0) continue;
        const yi = y[i], m = mu[i];
        const term = (yi === 0 ? 0 : yi * Math.log((m + theta) / m)) + theta * Math.log1p(m / theta) +
          gammaln(yi + 1) + lgammaTheta - gammaln(theta + yi);
        s += term * wt[i];
      }
      return 2 * s;
    },
    initMu: (y: number) => y + (y === 0 ? 1 / 6 : 0),
  };
}

/** Throws for negative counts; a note for counts that are not whole (the likelihood is then not a negative binomial one). */
export function checkNegativeBinomial(y: Float64Array, m: Float64Array): string[] {
  let fractional = 0;
  for (let i = 0; i < y.length; i++) {
    if (!(m[i] > 0)) continue;
    if (!(y[i] >= 0)) throw new MixedModelsError('negative values not allowed for the negative binomial family');
    if (Math.abs(y[i] - Math.round(y[i])) > 1e-7 * Math.max(1, y[i])) fractional++;
  }
  return fractional > 0 ? [`${fractional} non-integer counts in a negative binomial model: its likelihood treats them as counts`] : [];
}

/** Above this mean of mu / theta (the variance's excess over Poisson's, relative) the data show overdispersion. */
export const OVERDISPERSION_MIN = 0.01;

/**
 * A note when theta is so large that the negative binomial is a Poisson
 * model: the weighted mean of mu / theta, the relative excess of the variance
 * mu + mu^2 / theta over mu, below OVERDISPERSION_MIN.
 */
export function overdispersionNote(theta: number, mu: Float64Array, w: Float64Array): string[] {
  let s = 0, sw = 0;
  for (let i = 0; i < mu.length; i++) {
    if (!(w[i] > 0)) continue;
    s += w[i] * mu[i];
    sw += w[i];
  }
  const excess = s / sw / theta;
  if (!(excess < OVERDISPERSION_MIN)) return [];
  return [
    `the negative binomial theta is very large (${theta.toPrecision(4)}): the variance mu + mu^2/theta exceeds the Poisson's mu by ` +
      `${(100 * excess).toPrecision(2)}% at the mean fitted count, so the data show no overdispersion and a Poisson model fits as well`,
  ];
}
