/**
 * Where the first PIRLS run of a GLMM starts. lme4 (mkGlmerDevfun) starts from
 * the family's starting means (R's family$initialize: mustart, e.g. y for
 * Gamma, (m y + 0.5) / (m + 1) for binomial) at eta = g(mustart), u = 0,
 * beta = 0. That point is no (u, beta) iterate, so when the first step leaves
 * the valid region (eta <= 0 for Gamma's inverse link or poisson's sqrt, mu >= 1
 * for binomial's log link) there is nothing to halve back to.
 *
 * Here PIRLS starts from mustart as lme4's does, and where that fails from
 * the fixed-effects GLM (IRLS from the same mustart, falling back on the
 * intercept-only start, glm/irls.ts) with u = 0: beta = beta_glm is a valid
 * iterate for every link R accepts, and every later step can be halved back
 * towards it. PIRLS at theta0 converges to the same modes from either start.
 * (The GLM is not the first choice for its cost: IRLS takes 14 s on a million rows.)
 */
import { MixedModelsError } from '../errors.js';
import { constantStart, irls } from '../glm/irls.js';
import type { GlmmProblem } from './problem.js';
import type { GlmmResponse } from './response.js';

/** R's mustart per row: binomial with its trials (or prior weights), other families from y alone. */
export function startingMu(resp: GlmmResponse): Float64Array {
  const { family, y, pw, size } = resp;
  const binomial = family.name === 'binomial', mu = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) mu[i] = family.initMu(y[i], binomial ? (size[i] > 1 ? size[i] : pw[i]) : pw[i]);
  return mu;
}

/** The GLM's coefficients on the problem's rows, or null when IRLS fails. */
export function glmStart(prob: GlmmProblem): Float64Array | null {
  const { resp, frame } = prob;
  let sw = 0, swy = 0;
  for (let i = 0; i < resp.n; i++) {
    if (resp.pw[i] > 0) {
      sw += resp.pw[i];
      swy += resp.pw[i] * resp.y[i];
    }
  }
  // Rows without weight take no part; give them a valid response so that mustart is valid.
  const y = resp.y.map((v, i) => (resp.pw[i] > 0 ? v : swy / sw));
  const irlsProblem = { X: frame.X, n: resp.n, p: frame.p, y, weights: resp.pw, offset: resp.offset, family: resp.family, maxIter: 25, epsilon: 1e-8 };
  try {
    const res = irls(irlsProblem, startingMu({ ...resp, y }), frame.formula.fixed.intercept ? constantStart(irlsProblem, 0) : null);
    return res.coef.every(Number.isFinite) ? res.coef : null;
  } catch (err) {
    if (err instanceof MixedModelsError) return null;
    throw err;
  }
}

/** Sets the engine's start for the next joint PIRLS run: (u = 0, beta), or lme4's mustart when beta is null. */
export function startPirls(prob: GlmmProblem, beta: Float64Array | null): void {
  if (beta !== null) prob.engine.startAt(beta);
  else {
    const eta = startingMu(prob.resp), link = prob.family.link;
    for (let i = 0; i < eta.length; i++) eta[i] = link.linkfun(eta[i]);
    prob.engine.startFrom(eta);
  }
}

/** Shrinkages of theta0 tried (each by SHRINK) before giving up. */
const SHRINKS = 12;
const SHRINK = 0.25;

/**
 * Starts PIRLS and returns the theta to start the optimiser at with the
 * nAGQ = 0 criterion there (the engine left in that state): lme4's theta0
 * from lme4's mustart; where PIRLS fails or does not converge, from the GLM's
 * estimates; where both fail, theta0 shrunk by SHRINK until one works. A large theta can push the
 * modes out of the link's range (poisson identity with groups of zero counts:
 * the mode of such a group would need mu < 0); as theta goes to 0 the model
 * becomes the GLM, whose start is valid. Null when nothing works.
 */
export function startingTheta(prob: GlmmProblem, tol?: number): { theta: Float64Array; fx: number } | null {
  let beta: Float64Array | null | undefined;
  const theta = prob.map.theta0.slice();
  const ok = (fx: number) => Number.isFinite(fx) && prob.last?.converged === true;
  for (let k = 0; k <= SHRINKS; k++) {
    startPirls(prob, null);
    let fx = prob.devfun0(theta, tol);
    if (!ok(fx) && (beta ??= glmStart(prob)) !== null) {
      startPirls(prob, beta);
      fx = prob.devfun0(theta, tol);
    }
    if (ok(fx)) return { theta, fx };
    for (let e = 0; e < theta.length; e++) theta[e] *= SHRINK;
  }
  return null;
}
