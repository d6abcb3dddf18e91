import { MixedModelsError, expectArgument } from '../errors.js';
import type { ModelFrame } from '../frame/types.js';
import { formBlocks, describeBlocks, type LmmBlocks } from './blocks.js';
import { checkConfounded } from './confounded.js';
import { checkResidualDf } from './exactFit.js';
import { factorBlocks, type FactorBlock } from './factorBlocks.js';
import { gradientWorkspace, lmmGradient, type GradientWorkspace } from './gradient.js';
import { lambdaMap, allocateLambda, setLambda, type LambdaMap } from './lambda.js';
import { devianceParts, profiledDeviance } from './objective.js';
import { shiftResponse, shiftResponseSums } from './conditioning/responseShift.js';
import { columnScalesFromBlocks, thetaFromColumns, thetaScale } from './thetaScale.js';
import { allocateL, updateL, type LFactor } from './updateL.js';
import { prestartDenseHelper } from '../linalg/rankUpdate.js';

/**
 * The deviance problem of a linear mixed model (lme4's `devFunOnly`):
 * `evaluate(theta)` is objective(updateL(setLambda(theta))), the profiled
 * (RE)ML criterion; Infinity (never NaN) when the factorisation fails.
 * The blocks of A are formed once here; each evaluation only touches the
 * pre-allocated `lambda` and `L`, which hold the last evaluation's state.
 */
export interface LmmProblem {
  frame: ModelFrame;
  REML: boolean;
  theta0: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /**
   * s per theta element (thetaScale.ts): the optimisers and every tolerance on
   * theta work on phi = s theta, so that the fit does not depend on the units of
   * the random-effects columns.
   */
  thetaScale: Float64Array;
  evaluate(theta: ArrayLike<number>): number;
  factors: readonly FactorBlock[];
  map: LambdaMap;
  A: LmmBlocks;
  /** Lambda blocks and L of the last evaluation. */
  lambda: Float64Array[];
  L: LFactor;
  /** Number of evaluations so far. */
  evaluations(): number;
  /** Printable block structure of L. */
  describe(): string;
  /**
   * Analytic gradient of evaluate at theta into `grad` (gradient.ts); returns
   * false when it is unavailable there (a vector-valued term on its boundary).
   * Reuses the last evaluation when it was at the same theta.
   */
  gradient?(theta: ArrayLike<number>, grad: Float64Array): boolean;
  /**
   * The value of the last evaluation when it was at theta and succeeded (L and
   * lambda are then current there), else null. Only valid while A is unchanged
   * since that evaluation (bootstrap refits change A's response).
   */
  lastValue?(theta: ArrayLike<number>): number | null;
  /**
   * The gradient's workspace (gradient.ts: the trailing factor's inverse and its
   * buffers, two dense matrices of the trailing size: the inverse is formed in
   * the factor's copy), made once and shared by the gradient, the exact second
   * derivatives (criterionDerivatives.ts) and the conditional variances
   * (condVar.ts) of this problem; each call overwrites it.
   */
  workspace?(): GradientWorkspace;
}

function validate(frame: ModelFrame): void {
  const n = frame.nobs;
  if (frame.reTerms.length === 0) throw new MixedModelsError('a linear mixed model needs at least one random-effects term, e.g. (1 | group)');
  if (frame.y.length !== n || frame.X.length !== n * frame.p) throw new MixedModelsError('model frame sizes are inconsistent');
  if (frame.weights) {
    for (let i = 0; i < n; i++) {
      const w = frame.weights[i];
      if (!(w > 0) || !Number.isFinite(w)) throw new MixedModelsError(`weights must be positive and finite (row ${i + 1} has ${w})`);
    }
  }
  for (const t of frame.reTerms) {
    if (t.refs.length !== n || t.z.length !== n * t.k) throw new MixedModelsError(`random-effects term for ${t.group} has inconsistent sizes`);
  }
  if (n <= frame.p) throw new MixedModelsError(`${n} observations are too few for ${frame.p} fixed effects`);
}

/**
 * Blocks of A formed elsewhere, for frames that have no rows: a database
 * computed them by GROUP BY (src/sources) and only the blocks travelled.
 * Registered by registerBlocks, so that lmmProblem(frame) (refits,
 * Satterthwaite's df, profiles) finds them.
 */
const precomputed = new WeakMap<ModelFrame, { factors: readonly FactorBlock[]; A: LmmBlocks }>();

/** Whether the frame carries its rows (false for a frame built from sums). */
export function hasRows(frame: ModelFrame): boolean {
  return frame.y.length === frame.nobs;
}

/**
 * Registers the blocks of a frame without rows (the same blocks formBlocks would give), from
 * which lmmProblem(frame) then forms the problem.
 */
export function registerBlocks(frame: ModelFrame, factors: readonly FactorBlock[], A: LmmBlocks): void {
  precomputed.set(frame, { factors, A });
}

/** The blocks registered for a frame without rows, if any. */
export function registeredBlocks(frame: ModelFrame): { factors: readonly FactorBlock[]; A: LmmBlocks } | undefined {
  return precomputed.get(frame);
}

/**
 * Order of the dense trailing block (the random effects after the first factor block) from which
 * lmmProblem starts the dense kernels' helper thread ahead of the first factorisation
 * (lmm_crossed_1e6: 2000; that Cholesky alone took 159 ms against 108-115 ms with the helper).
 */
const PRESTART_ORDER = 500;

/**
 * A dense trailing block of PRESTART_ORDER or more is factored on both cores: the helper thread
 * (if one is registered) starts while the blocks are formed, rather than during the first factorisation.
 */
function prestartFor(factors: readonly FactorBlock[]): void {
  if (factors.slice(1).reduce((s, f) => s + f.nl * f.k, 0) >= PRESTART_ORDER) prestartDenseHelper();
}

/**
 * The profiled REML or ML criterion of a linear mixed model as a function of theta (lme4's `mkLmerDevfun`), with its gradient: the blocks of [Z X y]'[Z X y] formed once, so each evaluation costs nothing per row.
 */
export function lmmProblem(frame: ModelFrame, options: { REML: boolean }): LmmProblem {
  expectArgument('lmmProblem', 'frame', frame, { object: 'a model frame (from modelFrame or buildFrame)', keys: ['X', 'y', 'reTerms'] });
  const given = precomputed.get(frame);
  if (given !== undefined) {
    // Sums from a database: the same checks and the response shift, by the algebra of the sums (conditioning/responseShift.ts).
    prestartFor(given.factors);
    checkResidualDf(given.A);
    checkConfounded(given.A);
    if (given.A.yShift === null) shiftResponseSums(given.A);
    return problemFromBlocks(frame, given.factors, given.A, options.REML);
  }
  validate(frame);
  const factors = factorBlocks(frame.reTerms, frame.nobs);
  prestartFor(factors);
  const A = formBlocks(frame, factors);
  checkResidualDf(A);
  checkConfounded(A);
  shiftResponse(frame, A);
  return problemFromBlocks(frame, factors, A, options.REML);
}

/** The same model with the other criterion (REML <-> ML), sharing A, the theta layout and scales (read only); L and Lambda are new. */
export function withCriterion(prob: LmmProblem, REML: boolean): LmmProblem {
  return problemFromBlocks(prob.frame, prob.factors, prob.A, REML, { map: prob.map, scale: prob.thetaScale });
}

function problemFromBlocks(frame: ModelFrame, factors: readonly FactorBlock[], A: LmmBlocks, REML: boolean, shared?: { map: LambdaMap; scale: Float64Array }): LmmProblem {
  const map = shared?.map ?? lambdaMap(factors, frame.reTerms.length);
  const lambda = allocateLambda(factors);
  const L = allocateL(A);
  const n = frame.nobs, p = frame.p;
  let count = 0;
  const last = new Float64Array(map.ntheta).fill(NaN);
  let lastOk = false, lastF = NaN;
  const evaluate = (theta: ArrayLike<number>): number => {
    count++;
    if (theta.length !== map.ntheta) throw new MixedModelsError(`theta must have length ${map.ntheta}, not ${theta.length}`);
    setLambda(map, theta, lambda);
    last.set(theta);
    lastOk = updateL(L, A, lambda);
    if (!lastOk) return Infinity;
    const d = profiledDeviance(devianceParts(L), n, p, A.ldW, REML);
    lastF = Number.isNaN(d) ? Infinity : d;
    return lastF;
  };
  const lastValue = (theta: ArrayLike<number>): number | null => {
    let same = lastOk && theta.length === map.ntheta;
    for (let t = 0; t < map.ntheta && same; t++) same = last[t] === theta[t];
    return same ? lastF : null;
  };
  let ws: GradientWorkspace | null = null;
  const gradient = (theta: ArrayLike<number>, grad: Float64Array): boolean => {
    let same = lastOk;
    for (let t = 0; t < map.ntheta && same; t++) same = last[t] === theta[t];
    if (!same && !Number.isFinite(evaluate(theta))) return false;
    return lmmGradient(workspace(), L, A, lambda, map, n, REML, grad) && grad.every(Number.isFinite);
  };
  const workspace = (): GradientWorkspace => (ws ??= gradientWorkspace(A, L, REML));
  return {
    frame,
    REML,
    theta0: map.theta0,
    lower: map.lower,
    upper: map.upper,
    thetaScale: shared?.scale ?? (hasRows(frame) ? thetaScale(factors, map, frame.weights) : thetaFromColumns(map, columnScalesFromBlocks(A))),
    evaluate,
    factors,
    map,
    A,
    lambda,
    L,
    evaluations: () => count,
    describe: () => describeBlocks(A),
    gradient,
    lastValue,
    workspace,
  };
}
