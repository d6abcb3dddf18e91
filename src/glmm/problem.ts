/**
 * The deviance problem of a GLMM (lme4's mkGlmerDevfun): the validated (and
 * possibly aggregated) response, a PIRLS engine, and the two criteria the
 * optimisers see:
 *
 * - `devfun0(theta)`: nAGQ = 0, PIRLS over (u, beta) jointly, then the Laplace
 *   formula (laplace.ts);
 * - `devfun(theta, beta)`: PIRLS over u at fixed beta, then the Laplace formula
 *   (nAGQ = 1) or adaptive Gauss-Hermite quadrature (nAGQ > 1, agq.ts);
 * - `devfun0Lme4(theta, lp0)`: nAGQ = 0 as lme4 evaluates it (its PIRLS
 *   restarted from lp0 and stopped early), for the emulation of lme4's path.
 *
 * All return Infinity (never NaN) where PIRLS fails. The engine keeps its
 * last modes as the next start, so successive evaluations are cheap.
 *
 * Scale: by default the engine works on the random-effects columns divided by
 * their root mean square (lmm/thetaScale.ts), so that theta everywhere in the
 * problem (devfun, devfun0, map, engine) is the scale-free phi = s theta of
 * the user's columns, and so are the optimisers' steps and tolerances: a
 * predictor multiplied by 1e-12 gives the same fit, transformed. finishGlmm
 * reports theta = phi / s (thetaScale). `scale: false` keeps the user's
 * columns (thetaScale all 1).
 */
import { MixedModelsError } from '../errors.js';
import type { ModelFrame } from '../frame/types.js';
import type { Family } from '../glm/family.js';
import { factorBlocks, type FactorBlock } from '../lmm/factorBlocks.js';
import { lambdaMap, type LambdaMap } from '../lmm/lambda.js';
import { columnScales, scaledReTerms, thetaFromColumns } from '../lmm/thetaScale.js';
import { aggregateRows } from './aggregate.js';
import { agqDeviance, allocateAgq, marginalDeviance, type AgqBuffers } from './quadrature/agq.js';
import { gaussHermite, type GaussHermiteRule } from './quadrature/ghq.js';
import { laplaceDeviance } from './laplace/laplace.js';
import type { PirlsEngine, PirlsResult } from './pirls/pirls.js';
import { BlockedPirls } from './pirls/pirlsBlocked.js';
import { ScalarPirls } from './pirls/pirlsScalar.js';
import { glmmResponse, type GlmmResponse } from './response.js';

/** lme4's glmerControl(tolPwrss = 1e-7). */
export const LME4_PIRLS_TOL = 1e-7;

export interface GlmmProblem {
  /** The user's frame and response. */
  userFrame: ModelFrame;
  userResp: GlmmResponse;
  /** The frame and response PIRLS works on (aggregated or the user's; random-effects columns scaled, module comment). */
  frame: ModelFrame;
  /** s per theta element: the problem's theta is phi = s theta of the user's columns. */
  thetaScale: Float64Array;
  resp: GlmmResponse;
  /** Aggregated row of each user row, or null without aggregation. */
  index: Int32Array | null;
  family: Family;
  engine: PirlsEngine;
  factors: readonly FactorBlock[];
  map: LambdaMap;
  ntheta: number;
  p: number;
  /** The last PIRLS run. */
  last: PirlsResult | null;
  /**
   * When set, the nAGQ = 1 criterion is lme4's: PIRLS restarted from this
   * linear predictor (offset excluded; lme4's lp0, the stage-1 solution) and
   * stopped at relative change LME4_PIRLS_TOL (the engines' runLme4). Null:
   * the fully converged Laplace criterion.
   */
  lp0: Float64Array | null;
  /** Runs of lme4's PIRLS (devfun with lp0, devfun0Lme4) that failed where lme4 stops with an error. */
  lme4Failures: number;
  /**
   * On aggregated rows: the user rows' conditional deviance minus the
   * aggregated rows' (a constant), for the stopping test of lme4's PIRLS (runLme4). 0 otherwise.
   */
  lme4DevShift: number;
  /** `tol`: the joint PIRLS run's tolerance (PirlsEngine.run). */
  devfun0(theta: ArrayLike<number>, tol?: number): number;
  devfun(theta: ArrayLike<number>, beta: ArrayLike<number>, nAGQ: number): number;
  /**
   * lme4's nAGQ = 0 criterion: PIRLS over (u, beta) restarted from the linear
   * predictor `lp0` (offset excluded) and stopped as lme4's (the engines'
   * runLme4 without beta); Infinity where it fails.
   */
  devfun0Lme4(theta: ArrayLike<number>, lp0: Float64Array): number;
  /**
   * The marginal -2 log-likelihood at (theta, beta) by fine quadrature
   * (agq.ts marginalDeviance); one scalar term only.
   */
  marginal(theta: ArrayLike<number>, beta: ArrayLike<number>): number;
  /** Number of PIRLS runs so far. */
  evaluations(): number;
}

/** True for one random-effects term with one column: the case quadrature and the scalar engine handle. */
export function isScalarModel(frame: ModelFrame): boolean {
  return frame.reTerms.length === 1 && frame.reTerms[0].k === 1;
}

function validate(frame: ModelFrame): void {
  const n = frame.nobs;
  if (frame.reTerms.length === 0) throw new MixedModelsError('a generalized linear mixed model needs at least one random-effects term, e.g. (1 | group); without one, fit a GLM');
  if (n === 0) throw new MixedModelsError('no observations to fit (0 rows after removing missing values)');
  if (frame.y.length !== n || frame.X.length !== n * frame.p) throw new MixedModelsError('model frame sizes are inconsistent');
  for (const t of frame.reTerms) {
    if (t.refs.length !== n || t.z.length !== n * t.k) throw new MixedModelsError(`random-effects term for ${t.group} has inconsistent sizes`);
  }
}

export interface ProblemOptions {
  /** Collapse rows into counts when that pays (default true; binomial and Poisson only). */
  aggregate?: boolean;
  /** Work on scaled random-effects columns (default true; module comment). */
  scale?: boolean;
}

export function glmmProblem(userFrame: ModelFrame, family: Family, options: ProblemOptions = {}): GlmmProblem {
  validate(userFrame);
  const userResp = glmmResponse(userFrame, family);
  const agg = options.aggregate === false ? null : aggregateRows(userFrame, userResp);
  const userBlocks = factorBlocks(userFrame.reTerms, userFrame.nobs);
  const columns = options.scale === false ? userBlocks.map((f) => new Float64Array(f.k).fill(1)) : columnScales(userBlocks, null);
  const unscaled = agg?.frame ?? userFrame;
  const frame = options.scale === false ? unscaled : { ...unscaled, reTerms: scaledReTerms(unscaled.reTerms, userBlocks, columns) };
  const resp = agg?.resp ?? userResp;
  const scalar = isScalarModel(frame);
  const engine: PirlsEngine = scalar
    ? new ScalarPirls(resp, frame.X, frame.p, { refs: frame.reTerms[0].refs, z: frame.reTerms[0].z, nl: frame.reTerms[0].levels.length })
    : new BlockedPirls(resp, frame);
  const factors = engine instanceof BlockedPirls ? engine.factors : factorBlocks(frame.reTerms, frame.nobs);
  const map = lambdaMap(factors, frame.reTerms.length);
  const rules = new Map<number, GaussHermiteRule>();
  let buffers: AgqBuffers | null = null;
  let count = 0;
  const prob: GlmmProblem = {
    userFrame,
    userResp,
    frame,
    thetaScale: thetaFromColumns(map, columns),
    resp,
    index: agg?.index ?? null,
    family,
    engine,
    factors,
    map,
    ntheta: map.ntheta,
    p: frame.p,
    last: null,
    lp0: null,
    lme4Failures: 0,
    lme4DevShift: 0,
    devfun0(theta, tol) {
      count++;
      const res = engine.run(theta, null, tol);
      prob.last = res;
      return laplaceDeviance(resp, engine.rows.mu, res);
    },
    devfun0Lme4(theta, lp0) {
      count++;
      const res = engine.runLme4(theta, null, lp0, LME4_PIRLS_TOL, prob.lme4DevShift);
      prob.last = res;
      if (!res.converged) prob.lme4Failures++;
      return laplaceDeviance(resp, engine.rows.mu, res);
    },
    devfun(theta, beta, nAGQ) {
      count++;
      if (nAGQ <= 1 && prob.lp0 !== null) {
        const r = engine.runLme4(theta, beta, prob.lp0, LME4_PIRLS_TOL, prob.lme4DevShift);
        prob.last = r;
        // Where lme4's PIRLS fails (lme4 stops there), the converged Laplace criterion below.
        if (r.converged) return laplaceDeviance(resp, engine.rows.mu, r);
        prob.lme4Failures++;
      }
      const res = engine.run(theta, beta);
      prob.last = res;
      if (nAGQ <= 1) return laplaceDeviance(resp, engine.rows.mu, res);
      if (!(engine instanceof ScalarPirls)) throw new MixedModelsError('nAGQ > 1 needs a single scalar random-effects term');
      let rule = rules.get(nAGQ);
      if (rule === undefined) rules.set(nAGQ, (rule = gaussHermite(nAGQ)));
      buffers ??= allocateAgq(engine.q);
      return agqDeviance(engine, theta[0], res, rule, buffers);
    },
    marginal(theta, beta) {
      if (!(engine instanceof ScalarPirls)) throw new MixedModelsError('the marginal likelihood by quadrature needs a single scalar random-effects term');
      count++;
      const res = engine.run(theta, beta);
      buffers ??= allocateAgq(engine.q);
      return marginalDeviance(engine, theta[0], res, buffers);
    },
    evaluations: () => count,
  };
  return prob;
}
