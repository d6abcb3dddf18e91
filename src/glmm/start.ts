/**
 * Where the first PIRLS run of a GLMM starts. lme4 (mkGlmerDevfun) starts from
 * the family's starting means (R's family$initialize: mustart, e.g. y for
 * Gamma, (m y + 0.5) / (m + 1) for binomial) at eta = g(mustart), u = 0,
 * beta = 0. That point is no (u, beta) iterate, so when the first step leaves
 * the valid region (eta <= 0 for Gamma's inverse link or poisson's sqrt, mu >= 1
 * for binomial's log link) there is nothing to halve back to.
 *
 * Here the start is the fixed-effects GLM (IRLS from the same mustart,
 * falling back on the intercept-only start, glm/irls.ts) with u = 0: beta = beta_glm is a valid iterate for every link R
 * accepts, and every later step can be halved back towards it. PIRLS at theta0
 * converges to the same modes from either start. When the GLM cannot be
 * fitted (IRLS finds no valid coefficients), PIRLS starts from mustart as lme4's does.
 */
import { MixedModelsError } from '../errors.js';
import { constantStart, irls } from '../glm/irls.js';
import type { GlmmProblem } from './problem.js';
import type { GlmmResponse } from './response.js';

/** R's mustart per row: binomial with its trials (or prior weights), other families from y alone. */
export function startingMu(resp: GlmmResponse): Float64Array {
  const { family, y, pw, size } = resp;
  return y.map((v, i) => family.initMu(v, family.name === 'binomial' ? (size[i] > 1 ? size[i] : pw[i]) : pw[i]));
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

/** Sets the engine's start for the next joint PIRLS run: the GLM's beta, else lme4's mustart. */
export function startPirls(prob: GlmmProblem): void {
  const beta = glmStart(prob);
  if (beta !== null) prob.engine.startAt(beta);
  else prob.engine.startFrom(startingMu(prob.resp).map((m) => prob.family.link.linkfun(m)));
}
