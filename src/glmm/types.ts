import type { Diagnosed } from '../diagnostics.js';
import type { FamilyName } from '../glm/family.js';
import type { LinkName } from '../glm/link.js';
import type { Coefficient } from '../lm/coefficient.js';
import type { RanefGroup } from '../lmm/types.js';
import type { VarCorr } from '../lmm/varCorr.js';
import type { OptSummary } from '../optim/optsummary.js';

/** One optimisation stage of a GLMM fit. */
export interface GlmmStage extends OptSummary {
  /** 'theta (beta in PIRLS)' for stage 1, 'theta, beta' for stage 2. */
  parameters: string;
  /** The criterion: 'nAGQ = 0', 'Laplace' or 'AGQ(n)'. */
  criterion: string;
}

/**
 * How a GLMM fit's optimisation ran (lme4's two stages): stage 1 optimises
 * theta with beta inside PIRLS (nAGQ = 0 criterion, BOBYQA); stage 2, absent
 * for nAGQ = 0, optimises (theta, beta) on the Laplace or quadrature criterion
 * (BOBYQA, beta scaled by its stage-1 standard errors). With the exact
 * Laplace criterion's analytic gradient, stage 1 is one joint PIRLS run
 * ('pirls') and stage 2 Newton's method ('newton'), followed by a BOBYQA
 * stage only if Newton fails.
 */
export interface GlmmOptSummary {
  stages: GlmmStage[];
  /** PIRLS runs in all (optimisers, derivatives, checks). */
  pirlsRuns: number;
  /**
   * Finite-difference gradient and Hessian (row-major) of the final criterion
   * over (theta, beta), lme4's `derivs` (the Hessian gives vcov; BOBYQA: in its
   * scaled coordinates; Newton: analytic gradient, and for one scalar term the
   * analytic Hessian, beta's own units); null for nAGQ = 0.
   */
  derivatives: { gradient: Float64Array; hessian: Float64Array } | null;
  /** Where vcov came from: the Hessian (lme4's use.hessian = TRUE) or L_X of the final PIRLS. */
  vcovSource: 'hessian' | 'pirls';
  seconds: number;
}

/**
 * A fitted generalized linear mixed model: plain immutable data.
 *
 * Invariants: beta, se have length p and vcov is p x p (column-major); u and
 * b have length q, stacked per lme4 term (term-major, then level-major, then
 * the term's columns), like lme4's getME(m, "u"/"b"); fitted, linearPredictor
 * and residuals have one value per row of the user's frame, even when the fit
 * aggregated rows; logLik is the true marginal log-likelihood up to the
 * approximation named by nAGQ, with all of the family's constants.
 * `diagnostics` (aggregation, Laplace quality, separation, convergence,
 * singular fit) give `messages` and `converged`: false when an optimiser, the
 * final PIRLS or a check at the optimum failed, or the fixed effects separate
 * the data; the estimates are then the last ones reached.
 */
export interface GlmmFit extends Diagnosed {
  readonly kind: 'glmm';
  readonly family: FamilyName;
  readonly link: LinkName;
  /** 0: PIRLS estimates of beta, 1: Laplace, > 1: adaptive Gauss-Hermite points. */
  readonly nAGQ: number;
  /** Rows of the user's frame. */
  readonly nobs: number;
  readonly p: number;
  readonly q: number;
  readonly coefnames: readonly string[];
  readonly beta: Float64Array;
  readonly se: Float64Array;
  readonly vcov: Float64Array;
  /** Wald z tests (df null). */
  readonly coefficients: readonly Coefficient[];
  readonly theta: Float64Array;
  readonly lower: Float64Array;
  /** 1 for binomial and Poisson; lme4's sqrt(pwrss / n) for families with a dispersion. */
  readonly sigma: number;
  /** Spherical conditional modes. */
  readonly u: Float64Array;
  /** Conditional modes b = Lambda u. */
  readonly b: Float64Array;
  readonly ranef: RanefGroup[];
  readonly ranefTable: Record<string, Record<string, Record<string, number>>>;
  readonly varCorr: VarCorr;
  /** Conditional means mu per user row. */
  readonly fitted: Float64Array;
  /** eta = X beta + Z b + offset per user row. */
  readonly linearPredictor: Float64Array;
  /** Deviance residuals sign(y - mu) sqrt(d_i) per user row. */
  readonly residuals: Float64Array;
  /**
   * The optimised criterion as lme4 reports it (`m@devcomp$cmp["dev"]`): -2
   * logLik for nAGQ <= 1; for nAGQ > 1 lme4's quadrature criterion, which
   * leaves out the family's normalising constants.
   */
  readonly objective: number;
  /** The marginal log-likelihood with all constants (comparable across nAGQ and with glm). */
  readonly logLik: number;
  /** Parameters counted by AIC/BIC: theta, beta (and sigma for families with a dispersion). */
  readonly npar: number;
  readonly AIC: number;
  readonly BIC: number;
  /** Sum of squared deviance residuals (lme4's deviance(m) for a GLMM). */
  readonly deviance: number;
  readonly ngrps: Record<string, number>;
  readonly isSingular: boolean;
  /** Number of rows the fit worked on after aggregation (= nobs when none was done). */
  readonly nrowsFitted: number;
  readonly optsummary: GlmmOptSummary;
  /** Negative binomial: theta (given, or estimated as glmer.nb; then a stage 'brent' closes optsummary.stages). */
  readonly nbTheta?: number;
}
