/**
 * Penalised iteratively reweighted least squares (Bates et al. 2015; lme4's
 * "Computational methods" vignette, PIRLS).
 *
 * Model: eta = X beta + Z Lambda(theta) u + offset, mu = g^-1(eta), u ~ N(0, I).
 * For fixed theta, PIRLS minimises the penalised deviance
 *
 *   pdev(u, beta) = sum_i dev_i(mu_i) + |u|^2
 *
 * over u with beta fixed (nAGQ >= 1: the conditional modes) or over (u, beta)
 * jointly (nAGQ = 0). Each iteration forms the working weights W and working
 * response zeta = eta - offset + (y - mu) / g'(eta) at the current eta (rowKernel.ts)
 * and solves the weighted LMM system
 *
 *   [ Lambda'Z'WZ Lambda + I   Lambda'Z'WX ] [u   ]   [ Lambda'Z'W zeta ]
 *   [ X'WZ Lambda              X'WX        ] [beta] = [ X'W zeta        ]
 *
 * (only the first block row, with X beta moved to the right, when beta is fixed).
 * That is a Fisher scoring step for pdev (Newton's for canonical links). A
 * step that increases pdev, or leaves the valid region of eta or mu (NaN), is
 * halved back towards the previous iterate (at most 10 times). Converged when the Newton decrement delta' M delta (the
 * predicted decrease of pdev) is below PIRLS_TOL and no element of the step
 * exceeds PIRLS_STEP_TOL (relative to 1 + |u|); the state (eta, mu, W, L)
 * is then that of the final iterate, so log det(L_Z)^2 matches u.
 *
 * Two engines implement it: pirlsScalar.ts for a single scalar random-effects
 * term (L_Z is diagonal, everything is per group, O(n) passes over typed
 * arrays without allocation) and pirlsBlocked.ts for any other structure
 * (the LMM's blocked Cholesky on A re-formed with the working weights).
 */
import type { GlmmResponse } from '../response.js';
import type { RowState } from './rowKernel.js';

/** Decrement below which PIRLS may stop (deviance units). */
export const PIRLS_TOL = 1e-11;
/**
 * Largest step in any u (or beta) at which PIRLS stops. The Laplace criterion
 * depends on u to first order through log det(L_Z)^2, so u must be converged
 * well beyond what pdev alone needs, or finite-difference Hessians turn to
 * noise; in the quadratic regime of Newton's method this costs one pass.
 */
export const PIRLS_STEP_TOL = 1e-11;
/** Iterations before PIRLS gives up (then `converged` is false). */
export const PIRLS_MAXIT = 100;
/** Step halvings tried before a step is taken anyway. */
export const PIRLS_MAXHALVE = 10;
/** Step halvings of lme4's pwrssUpdate (maxstephalfit), for the runLme4 emulation. */
export const LME4_MAXHALVE = 20;

export interface PirlsResult {
  /** sum_i dev_i at the final iterate (NaN when PIRLS failed). */
  dev: number;
  /** |u|^2. */
  ussq: number;
  /** log det(L_Z)^2 = log det(Lambda'Z'WZ Lambda + I) at the final W. */
  ldL2: number;
  converged: boolean;
  iterations: number;
  halvings: number;
  /** Joint lme4 runs (runLme4 without beta): L_X of the factorisation the last step was solved with. */
  fixedFactor?: Float64Array;
}

/** A PIRLS solver bound to one model; it keeps its last state as the next start. */
export interface PirlsEngine {
  readonly kind: 'scalar' | 'blocked';
  readonly resp: GlmmResponse;
  readonly n: number;
  readonly p: number;
  /** Total number of random effects. */
  readonly q: number;
  /** Current conditional modes u, stacked by factor block, level-major. */
  readonly u: Float64Array;
  /** Current fixed effects. */
  readonly beta: Float64Array;
  /** Current linear predictor (offset included) and the row state at it. */
  readonly eta: Float64Array;
  readonly rows: RowState;
  /**
   * Runs PIRLS at theta: over u with beta fixed when `beta` is given, else
   * over (u, beta) jointly starting from the current beta. `tol` (joint runs
   * only; default PIRLS_TOL) replaces both stopping tolerances, e.g. looser
   * when the run only supplies a start.
   */
  run(theta: ArrayLike<number>, beta: ArrayLike<number> | null, tol?: number): PirlsResult;
  /** Starts the next joint run from this linear predictor (e.g. the family's starting mu), with u = 0. */
  startFrom(eta: Float64Array): void;
  /**
   * Starts the next joint run from (u = 0, beta) (e.g. the GLM's estimates): a
   * valid iterate, so that steps leaving the valid region can be halved back.
   */
  startAt(beta: ArrayLike<number>): void;
  /**
   * Cholesky factor L_X (p x p lower, column-major) of the Schur complement
   * X'WX - X'WZ Lambda (Lambda'Z'WZ Lambda + I)^-1 Lambda'Z'WX at the current
   * theta and W; null when it is not positive definite.
   */
  fixedFactor(theta: ArrayLike<number>): Float64Array | null;
  /**
   * lme4's PIRLS at theta from the linear predictor lp0 (offset excluded),
   * stopped at a relative change `tol` of pdev: over u at fixed `beta` (the
   * nAGQ = 1 criterion) or, with beta null, over (u, beta) jointly (nAGQ = 0).
   * `devShift` is added to pdev in that relative test: on aggregated rows, the
   * user rows' deviance minus theirs (a constant), so that it stops where
   * lme4's does on the user's rows.
   */
  runLme4(theta: ArrayLike<number>, beta: ArrayLike<number> | null, lp0: Float64Array, tol: number, devShift?: number): PirlsResult;
  /** Conditional variances of b per factor block (sigma = 1), as lme4's condVar. */
  condVar(theta: ArrayLike<number>): Float64Array[];
  /** b = Lambda u per factor block. */
  effects(theta: ArrayLike<number>): Float64Array[];
}
