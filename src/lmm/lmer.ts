import { MixedModelsError } from '../errors.js';
import type { ModelFrame } from '../frame/types.js';
import { runOptimizer, type OptimizerName } from '../optim/optsummary.js';
import { convergenceDerivatives, convergenceMessages } from './convergence.js';
import { finishLmm } from './finish.js';
import { lmmProblem, withCriterion, type LmmProblem } from './problem.js';
import type { LmmFit, LmmOptSummary } from './types.js';

/**
 * Fits a linear mixed model (lme4's lmer): problem -> optimise -> boundary
 * check -> convergence check -> finish.
 *
 * Optimiser settings stand in for lme4 1.1-31's default `nloptwrap` (NLopt's
 * BOBYQA, xtol_abs = ftol_abs = 1e-8, maxeval = 1e5): BOBYQA from theta0 with
 * rhobeg = 0.2 and rhoend = 1e-6. NLopt stops once a step changes the deviance
 * by less than ftol_abs = 1e-8, which near the optimum means steps in theta of
 * about 1e-4 (for unit curvature), so rhoend = 1e-6 is at least as tight; on the
 * reference models it gives the optimum to |delta logLik| < 2e-8 with fewer
 * evaluations than 1e-8.
 * After the optimum, lme4's boundary check (boundary.tol = 1e-5): theta
 * elements with lower bound 0 that ended within 1e-5 of it are set to 0 when
 * that does not increase the objective.
 */
export interface LmmOptions {
  /** REML (default) or maximum likelihood. */
  REML?: boolean;
  /** 'bobyqa' (default, lme4's) or 'neldermead'. */
  optimizer?: OptimizerName;
  /** Starting theta (default theta0: 1 on the diagonal, 0 below). */
  start?: ArrayLike<number>;
  rhobeg?: number;
  rhoend?: number;
  maxEval?: number;
  /**
   * Finite-difference convergence check (lme4's calc.derivs). Default: when its
   * 1 + 2n^2 evaluations are cheap (estimated under 2e9 flops in total).
   */
  calcDerivs?: boolean;
  /**
   * For a REML fit, refit by ML to report lme4's deviance(m) (fit.devianceRefit);
   * otherwise `deviance` is the ML criterion at the REML estimates. Default: when
   * cheap (about 50 evaluations under 2e9 flops in total).
   */
  refitML?: boolean;
}

const BOUNDARY_TOL = 1e-5;
/** Extra work done by default only below this many (estimated) flops: about a second. */
const CHEAP_FLOPS = 2e9;

/** Rough flops of one evaluation: the dense Cholesky of the later blocks dominates. */
function evaluationFlops(prob: LmmProblem): number {
  const q = prob.L.q;
  let dense = 0, total = 0;
  for (let j = 1; j < q.length; j++) {
    dense += q[j];
    total += (q[j] * q[j] * q[j]) / 3;
  }
  return total + dense * dense * prob.L.P + prob.A.xz.reduce((s, x) => s + x.length, 0);
}

function optimise(prob: LmmProblem, start: ArrayLike<number>, o: LmmOptions, rhobeg: number): LmmOptSummary {
  const name = o.optimizer ?? 'bobyqa';
  const rhoend = o.rhoend ?? 1e-6;
  const maxEval = o.maxEval ?? 100000;
  const { summary, result } = runOptimizer(name, (x) => prob.evaluate(x), start, prob.lower, prob.upper, { rhobeg, rhoend, maxEval });
  let theta = Float64Array.from(result.x), fmin = result.fx;
  const near = Array.from(theta.keys()).filter((e) => prob.lower[e] === 0 && theta[e] > 0 && theta[e] < BOUNDARY_TOL);
  if (near.length > 0) {
    const edge = theta.slice();
    for (const e of near) edge[e] = 0;
    const f = prob.evaluate(edge);
    if (f <= fmin) {
      theta = edge;
      fmin = f;
    }
  }
  return {
    ...summary,
    final: Array.from(theta),
    fmin,
    lower: prob.lower.slice(),
    upper: prob.upper.slice(),
    rhobeg,
    rhoend,
    maxEval,
    derivatives: null,
  };
}

export function fitLmm(frame: ModelFrame, options: LmmOptions = {}): LmmFit {
  const REML = options.REML ?? true;
  const prob = lmmProblem(frame, { REML });
  const start = options.start ?? prob.theta0;
  if (start.length !== prob.theta0.length) throw new MixedModelsError(`start must have length ${prob.theta0.length}, not ${start.length}`);
  const opt = optimise(prob, start, options, options.rhobeg ?? 0.2);
  const theta = Float64Array.from(opt.final);
  const messages: string[] = [];
  if (!opt.converged) messages.push(`the optimiser did not converge: ${opt.messages[0]}`);
  const nt = theta.length;
  const calc = options.calcDerivs ?? (1 + 2 * nt * nt) * evaluationFlops(prob) <= CHEAP_FLOPS;
  if (calc) {
    opt.derivatives = convergenceDerivatives(prob, theta);
    messages.push(...convergenceMessages(opt.derivatives));
  }
  let mlDeviance: number | undefined;
  if (REML && (options.refitML ?? 50 * evaluationFlops(prob) <= CHEAP_FLOPS)) {
    const ml = withCriterion(prob, false);
    mlDeviance = optimise(ml, theta, options, 0.05).fmin;
  }
  return finishLmm(prob, theta, { optsummary: opt, messages, mlDeviance });
}
