import type { Diagnosed } from '../diagnostics.js';
import type { OptSummary } from '../optim/optsummary.js';
import type { Icc } from './icc.js';
import type { VarCorr } from './varCorr.js';

/** Conditional modes of one grouping factor (all its terms' columns, lme4's `ranef`). */
export interface RanefGroup {
  group: string;
  /** Column names across the factor's terms, in lme4's order. */
  cnames: readonly string[];
  levels: readonly string[];
  k: number;
  /** b per level, level-major: values[lev * k + c]. */
  values: Float64Array;
  /** Conditional covariance per level (lme4's condVar): k x k column-major at condVar[lev * k * k]. */
  condVar: Float64Array;
}

/** How the optimiser ran: optim's OptSummary plus the LMM's bounds, settings and convergence derivatives. */
export interface LmmOptSummary extends OptSummary {
  lower: Float64Array;
  upper: Float64Array;
  rhobeg: number;
  rhoend: number;
  maxEval: number;
  /** Analytic gradients computed (optimizer 'bfgs'); 0 for the derivative-free optimisers. */
  gradients?: number;
  /**
   * Finite-difference gradient and Hessian (row-major) of the objective at the optimum over the
   * `components` of theta not on their bound (lme4's checkConv), or null when not computed.
   */
  derivatives: { components: Int32Array; gradient: Float64Array; hessian: Float64Array } | null;
}

/**
 * A fitted linear mixed model: plain immutable data.
 *
 * Invariants: beta.length = se.length = p; vcov is p x p (column-major);
 * theta.length = lower.length; u, b have length q, stacked per lme4 term
 * (term-major, then level-major, then the term's columns), like lme4's getME(m, "b");
 * fitted + residuals = y; both are empty for a frame without rows (fitted from
 * sums computed where the data live, src/sources), whose residual summary is
 * then `residualQuantiles`. `diagnostics` (singular fit, convergence warnings)
 * give `messages` and `converged` (false when the optimiser or lme4's checks at
 * the optimum failed; diagnostics.ts).
 */
export interface LmmFit extends Diagnosed {
  readonly kind: 'lmm';
  /** REML (true) or maximum likelihood (false). */
  REML: boolean;
  nobs: number;
  /** Number of fixed effects. */
  p: number;
  /** Number of random effects (total columns of Z). */
  q: number;
  coefnames: readonly string[];
  /** Fixed-effects estimates (lme4's fixef). */
  beta: Float64Array;
  /** Standard errors of beta. */
  se: Float64Array;
  /** vcov(beta) = sigma^2 (L_X L_X')^{-1}, p x p column-major. */
  vcov: Float64Array;
  /** Relative covariance parameters at the optimum (lme4's getME(m, "theta")). */
  theta: Float64Array;
  /** Their lower bounds (0 for diagonal elements). */
  lower: Float64Array;
  /** Residual standard deviation. */
  sigma: number;
  /** Spherical random effects (see invariants for the order). */
  u: Float64Array;
  /** Random effects b = Lambda u (same order). */
  b: Float64Array;
  /** Conditional modes and variances per grouping factor. */
  ranef: RanefGroup[];
  /** Conditional modes keyed group -> column name -> level (lme4's ranef as JSON). */
  ranefTable: Record<string, Record<string, Record<string, number>>>;
  varCorr: VarCorr;
  /** X beta + Z b + offset. */
  fitted: Float64Array;
  /** y - fitted. */
  residuals: Float64Array;
  /** Min, 1st quartile, median, 3rd quartile, max of the residuals (R's type 7), when residuals is empty but they were computed where the data live. */
  residualQuantiles?: Float64Array;
  /** The optimised criterion: REML criterion or ML deviance (lme4's `REMLcrit` / `deviance`). */
  objective: number;
  /** -objective / 2 (the REML log-likelihood for a REML fit, like lme4). */
  logLik: number;
  /** Number of parameters: length(theta) + p + 1. */
  npar: number;
  AIC: number;
  BIC: number;
  /**
   * -2 log-likelihood at the ML estimates (lme4's deviance(m)): the objective of an ML fit; for a
   * REML fit the minimum of the ML criterion found by refitting (devianceRefit true), or, when no
   * refit was made, the ML criterion at the REML estimates (devianceRefit false).
   */
  deviance: number;
  devianceRefit: boolean;
  /** Penalised weighted residual sum of squares r^2. */
  pwrss: number;
  /** Number of levels per grouping factor. */
  ngrps: Record<string, number>;
  /** lme4's isSingular(tol = 1e-4) on the scale-free phi = s theta (thetaScale.ts; phi = theta for unweighted intercepts). */
  isSingular: boolean;
  icc: Icc;
  optsummary: LmmOptSummary | null;
  /** The block structure of L (describeBlocks). */
  blocks: string;
}
