/**
 * Iteratively reweighted least squares, following R's glm.fit step by step.
 *
 * With eta = X b + offset, mu = g^-1(eta), prior weights w and g' = d mu / d eta:
 * each iteration regresses the working response z = eta - offset + (y - mu) / g'
 * on X with working weights W = w g'^2 / V(mu) (rows with w > 0 and g' != 0),
 * giving new b. If the deviance is not finite, or eta / mu leave their valid
 * range, b is halved back towards the previous iterate. Converged when
 * |dev - dev_old| / (|dev| + 0.1) < epsilon.
 */
import { MixedModelsError } from '../errors.js';
import { linearPredictor } from '../lm/lm.js';
import { wlsFit, type WlsFit } from '../lm/wls.js';
import type { Family } from './family.js';

export interface IrlsProblem {
  /** n x p column-major model matrix. */
  readonly X: Float64Array;
  readonly n: number;
  readonly p: number;
  readonly y: Float64Array;
  /** Prior weights (binomial: trials times user weights). */
  readonly weights: Float64Array;
  readonly offset: Float64Array;
  readonly family: Family;
  readonly maxIter: number;
  readonly epsilon: number;
}

export interface IrlsResult {
  /** Coefficients in column order; 0 for aliased columns. */
  readonly coef: Float64Array;
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  readonly deviance: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** A step had to be halved (R's "algorithm stopped at boundary value" when at the end). */
  readonly boundary: boolean;
  /** Weighted least-squares fit of the last iteration (its QR gives the covariance). */
  readonly wls: WlsFit;
  /** Working weights W of the last iteration (0 for rows left out). */
  readonly workingWeights: Float64Array;
  readonly messages: string[];
}

/**
 * Runs IRLS from the starting means `mustart`. `fallback`: coefficients to
 * halve back towards when the first step leaves the valid region (used only
 * when they give a valid fit, e.g. the intercept-only start of
 * `constantStart`), where R's glm.fit gives up with "no valid set of coefficients".
 */
export function irls(prob: IrlsProblem, mustart: Float64Array, fallback: Float64Array | null = null): IrlsResult {
  const { n, p, family, maxIter, epsilon } = prob;
  const { link } = family;
  const messages: string[] = [];
  let eta: Float64Array = mustart.map(link.linkfun);
  let mu: Float64Array = eta.map(link.linkinv);
  if (!(eta.every(link.validEta) && mu.every(family.validMu))) {
    throw new MixedModelsError('cannot find valid starting values for the GLM');
  }
  let devOld = deviance(prob, mu);
  let coefOld: Float64Array | null = fallback !== null && validAt(prob, fallback) ? fallback : null;
  let converged = false;
  let boundary = false;
  let dev = devOld;
  let coef: Float64Array = new Float64Array(p);
  let wls: WlsFit | null = null;
  let W: Float64Array = new Float64Array(n);
  let iter = 0;
  while (iter < maxIter) {
    iter++;
    const next = irlsStep(prob, eta, mu);
    if (next === null) {
      messages.push(`no observations informative at iteration ${iter}`);
      break;
    }
    W = next.W;
    wls = next.wls;
    if (!wls.coef.every(Number.isFinite)) {
      messages.push(`non-finite coefficients at iteration ${iter}`);
      break;
    }
    coef = wls.coef;
    ({ eta, mu } = next);
    dev = deviance(prob, mu);
    boundary = false;
    const ok = () => Number.isFinite(dev) && eta.every(link.validEta) && mu.every(family.validMu);
    if (!ok()) {
      if (coefOld === null) throw new MixedModelsError('no valid set of coefficients has been found: please supply starting values');
      messages.push(Number.isFinite(dev) ? 'step size truncated: out of bounds' : 'step size truncated due to divergence');
      for (let halvings = 0; !ok(); halvings++) {
        if (halvings >= maxIter) throw new MixedModelsError('IRLS cannot correct the step size (the deviance stays invalid)');
        const prev: Float64Array = coefOld;
        coef = coef.map((b, j) => (b + prev[j]) / 2);
        ({ eta, mu } = predict(prob, coef));
        dev = deviance(prob, mu);
      }
      boundary = true;
    }
    if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < epsilon) {
      converged = true;
      break;
    }
    devOld = dev;
    coefOld = coef;
  }
  if (wls === null) throw new MixedModelsError('IRLS made no iteration (maxIter must be at least 1, and some observation must be informative)');
  return { coef, eta, mu, deviance: dev, iterations: iter, converged, boundary, wls, workingWeights: W, messages: counted(messages) };
}

/** Each distinct message once, with the number of iterations it came from when more than one. */
function counted(messages: string[]): string[] {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m, (counts.get(m) ?? 0) + 1);
  return Array.from(counts, ([m, c]) => (c > 1 ? `${m} (in ${c} iterations)` : m));
}

/**
 * One IRLS iteration from (eta, mu): the weighted least-squares fit of the
 * working response and the linear predictor and means it gives (no step
 * halving); null when no row is informative.
 */
export function irlsStep(prob: IrlsProblem, eta: Float64Array, mu: Float64Array): { wls: WlsFit; W: Float64Array; eta: Float64Array; mu: Float64Array } | null {
  const work = workingResponse(prob, eta, mu);
  if (work === null) return null;
  const wls = wlsFit(prob.X, prob.n, prob.p, work.z, work.W, Math.min(1e-7, prob.epsilon / 1000));
  return { wls, W: work.W, ...predict(prob, wls.coef) };
}

/**
 * Coefficients zero but for `column` (the intercept), set to g(weighted mean
 * of y): the intercept-only model's start, a fallback for irls().
 */
export function constantStart(prob: IrlsProblem, column: number): Float64Array {
  const { y, weights, family } = prob;
  let sw = 0, swy = 0;
  for (let i = 0; i < y.length; i++) {
    if (weights[i] > 0) {
      sw += weights[i];
      swy += weights[i] * y[i];
    }
  }
  const coef = new Float64Array(prob.p);
  coef[column] = family.link.linkfun(swy / sw);
  return coef;
}

/** True when X coef + offset gives a valid eta and mu and a finite deviance. */
function validAt(prob: IrlsProblem, coef: Float64Array): boolean {
  if (!coef.every(Number.isFinite)) return false;
  const { eta, mu } = predict(prob, coef);
  return eta.every(prob.family.link.validEta) && mu.every(prob.family.validMu) && Number.isFinite(deviance(prob, mu));
}

/** Sum of the deviance residuals at mu. */
export function deviance(prob: Pick<IrlsProblem, 'y' | 'weights' | 'family'>, mu: Float64Array): number {
  const { y, weights, family } = prob;
  let dev = 0;
  for (let i = 0; i < y.length; i++) dev += family.devResid(y[i], mu[i], weights[i]);
  return dev;
}

function predict(prob: IrlsProblem, coef: Float64Array): { eta: Float64Array; mu: Float64Array } {
  const eta = linearPredictor(prob.X, prob.n, prob.p, coef, prob.offset);
  return { eta, mu: eta.map(prob.family.link.linkinv) };
}

/** z and W at (eta, mu); null when no row is informative. Throws on invalid V(mu) as R does. */
function workingResponse(prob: IrlsProblem, eta: Float64Array, mu: Float64Array): { z: Float64Array; W: Float64Array } | null {
  const { n, y, weights, offset, family } = prob;
  const z = new Float64Array(n);
  const W = new Float64Array(n);
  let informative = 0;
  for (let i = 0; i < n; i++) {
    if (!(weights[i] > 0)) continue;
    const v = family.variance(mu[i]);
    if (Number.isNaN(v)) throw new MixedModelsError('NAs in V(mu)');
    if (v === 0) throw new MixedModelsError('0s in V(mu)');
    const d = family.link.muEta(eta[i]);
    if (Number.isNaN(d)) throw new MixedModelsError('NAs in d(mu)/d(eta)');
    if (d === 0) continue;
    z[i] = eta[i] - offset[i] + (y[i] - mu[i]) / d;
    W[i] = (weights[i] * d * d) / v;
    informative++;
  }
  return informative === 0 ? null : { z, W };
}
