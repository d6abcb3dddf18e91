import { diagnostic, diagnostics, type Diagnostic } from '../diagnostics.js';
import { MixedModelsError } from '../errors.js';
import type { ModelFrame } from '../frame/types.js';
import { runOptimizer, type OptimizerName, type OptResult, type OptSummary } from '../optim/optsummary.js';
import { quasiNewton } from '../optim/quasiNewton.js';
import { convergenceDerivatives, convergenceMessages } from './convergence.js';
import { finishLmm } from './finish.js';
import { lmmProblem, withCriterion, type LmmProblem } from './problem.js';
import { momentStart } from './start.js';
import type { LmmFit, LmmOptSummary } from './types.js';

/**
 * Fits a linear mixed model (lme4's lmer): problem -> optimise -> boundary
 * check -> convergence check -> finish.
 *
 * The default optimiser is BFGS with the analytic gradient of the profiled
 * criterion (gradient.ts, quasiNewton.ts), over log theta for the variance
 * parameters (logScaleBfgs), stopping when the predicted decrease is below
 * 1e-8; it hands over to BOBYQA when it fails or a variance parameter falls
 * to 1e-3 (singular fits). On the reference models it reaches BOBYQA's optimum
 * to |delta logLik| < 5e-9 with 2 to 8 times fewer evaluations (each with a
 * gradient, which costs about two evaluations for crossed factors).
 * `optimizer: 'bobyqa'` stands in for lme4 1.1-31's default `nloptwrap` (NLopt's
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
  /**
   * 'bfgs' (default): BFGS with the analytic gradient over log theta for the
   * variances, handing over to BOBYQA when it fails or ends near a variance bound;
   * 'bobyqa' (lme4's) or 'neldermead': derivative-free from the start. rhobeg and
   * rhoend apply to BOBYQA (also after a hand-over, with rhobeg at most 0.05).
   */
  optimizer?: LmmOptimizerName;
  /**
   * Starting theta. Default for 'bfgs': moment estimates for the scalar terms
   * and, when all terms are scalar, a diagonal initial inverse Hessian (start.ts);
   * theta0 (1 on the diagonal, 0 below) for the other terms and optimisers.
   */
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

export type LmmOptimizerName = OptimizerName | 'bfgs';

const BOUNDARY_TOL = 1e-5;
/** A bfgs run ending with a variance parameter below this is finished by BOBYQA (the gradient is 0 at 0 for scalar terms). */
const NEAR_BOUND = 1e-3;
/** Predicted decrease of the criterion at which bfgs stops. */
const BFGS_TOL = 1e-8;
/** Largest change of log theta in bfgs's first step (a factor of e). */
const BFGS_FIRST_STEP = 1;
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

/**
 * BFGS over phi with theta_e = exp(phi_e) for the parameters bounded below by 0
 * (the variances' scale, where the criterion is closer to quadratic and the bound
 * is out of reach) and theta_e = phi_e for the others, with theta_e >= NEAR_BOUND
 * (a variance that goes there is left to BOBYQA). A start on a bound fails at
 * once (there the gradient of a scalar term is 0 by symmetry and says nothing
 * about leaving the bound).
 * Returns the result in theta.
 */
function logScaleBfgs(prob: LmmProblem, start: ArrayLike<number>, maxEval: number, hinv: Float64Array | null): ReturnType<typeof quasiNewton> {
  const nt = start.length, logged = Array.from(prob.lower, (l) => l === 0);
  const theta = new Float64Array(nt);
  const toTheta = (x: Float64Array): Float64Array => {
    for (let e = 0; e < nt; e++) theta[e] = logged[e] ? Math.exp(x[e]) : x[e];
    return theta;
  };
  const x0 = Float64Array.from(start, (t, e) => (logged[e] ? Math.log(t) : t));
  if (x0.some((v) => !Number.isFinite(v))) {
    return { x: Float64Array.from(start), fx: prob.evaluate(start), evaluations: 1, gradients: 0, converged: false, message: 'start on a bound', gradientFailed: true };
  }
  const qn = quasiNewton((x) => prob.evaluate(toTheta(x)), (x, g) => {
    const th = toTheta(x);
    if (!prob.gradient!(th, g)) return false;
    for (let e = 0; e < nt; e++) if (logged[e]) g[e] *= th[e];
    return true;
  }, x0, { maxEval, tol: BFGS_TOL, initialStep: BFGS_FIRST_STEP, initialInverseHessian: hinv ?? undefined, lower: Array.from(logged, (l) => (l ? Math.log(NEAR_BOUND) : -Infinity)) });
  return { ...qn, x: toTheta(qn.x).slice() };
}

/**
 * BFGS from `start`; when it fails (gradient unavailable, line search or
 * evaluation limit) or ends with a variance parameter near 0, BOBYQA from its
 * best point with rhobeg = min(rhobeg, 0.05). The summary counts both runs.
 */
function bfgsThenBobyqa(prob: LmmProblem, start: ArrayLike<number>, rhobeg: number, rhoend: number, maxEval: number, hinv: Float64Array | null): { summary: OptSummary; result: OptResult; gradients: number } {
  const started = performance.now();
  const qn = logScaleBfgs(prob, start, maxEval, hinv);
  const near = Array.from(qn.x).some((t, e) => prob.lower[e] === 0 && t <= NEAR_BOUND * (1 + 1e-9));
  let result: OptResult = qn, name = 'bfgs';
  const messages = [qn.message];
  if (!qn.converged || near) {
    const from = Number.isFinite(qn.fx) ? qn.x : start;
    const bq = runOptimizer('bobyqa', (x) => prob.evaluate(x), from, prob.lower, prob.upper, {
      rhobeg: Math.min(rhobeg, 0.05), rhoend, maxEval: Math.max(1, maxEval - qn.evaluations),
    });
    const better = bq.result.fx <= qn.fx || !Number.isFinite(qn.fx);
    result = { ...(better ? bq.result : qn), evaluations: qn.evaluations + bq.result.evaluations, converged: bq.result.converged };
    name = 'bfgs+bobyqa';
    messages.push(bq.result.message);
  }
  const summary: OptSummary = {
    optimizer: name,
    initial: Array.from(start),
    final: Array.from(result.x),
    fmin: result.fx,
    evaluations: result.evaluations,
    seconds: (performance.now() - started) / 1000,
    converged: result.converged,
    messages: name === 'bfgs' ? messages : [messages[messages.length - 1], `bfgs: ${messages[0]}`],
  };
  return { summary, result, gradients: qn.gradients };
}

function optimise(prob: LmmProblem, start: ArrayLike<number>, o: LmmOptions, rhobeg: number, hinv: Float64Array | null = null): LmmOptSummary {
  const name = o.optimizer ?? 'bfgs';
  const rhoend = o.rhoend ?? 1e-6;
  const maxEval = o.maxEval ?? 100000;
  const { summary, result, gradients } = name === 'bfgs' && prob.gradient
    ? bfgsThenBobyqa(prob, start, rhobeg, rhoend, maxEval, hinv)
    : { ...runOptimizer(name === 'bfgs' ? 'bobyqa' : name, (x) => prob.evaluate(x), start, prob.lower, prob.upper, { rhobeg, rhoend, maxEval }), gradients: 0 };
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
    gradients,
    derivatives: null,
  };
}

/**
 * The optimisation stage alone (lme4's optimizeLmer): minimises prob.evaluate
 * from `start` with the optimiser of `options` (default 'bfgs'), then lme4's
 * boundary check. For refits of a problem (bootstrap, profiles) as in fitLmm.
 */
export function optimizeLmm(prob: LmmProblem, start: ArrayLike<number> = prob.theta0, options: LmmOptions = {}): LmmOptSummary {
  return optimise(prob, start, options, options.rhobeg ?? 0.2);
}

export function fitLmm(frame: ModelFrame, options: LmmOptions = {}): LmmFit {
  const REML = options.REML ?? true;
  const prob = lmmProblem(frame, { REML });
  // The default bfgs starts from the moment estimates of the scalar terms (start.ts); the others from theta0 like lme4.
  const moments = options.start === undefined && (options.optimizer ?? 'bfgs') === 'bfgs' && prob.gradient ? momentStart(prob.A, prob.map) : null;
  const start = options.start ?? moments?.theta ?? prob.theta0;
  if (start.length !== prob.theta0.length) throw new MixedModelsError(`start must have length ${prob.theta0.length}, not ${start.length}`);
  const opt = optimise(prob, start, options, options.rhobeg ?? 0.2, moments?.hinv ?? null);
  const theta = Float64Array.from(opt.final);
  const found: Diagnostic[] = [];
  if (!opt.converged) found.push(diagnostic('convergence', `the optimiser did not converge: ${opt.messages[0]}`));
  const nt = theta.length;
  const calc = options.calcDerivs ?? (1 + 2 * nt * nt) * evaluationFlops(prob) <= CHEAP_FLOPS;
  if (calc) {
    opt.derivatives = convergenceDerivatives(prob, theta);
    found.push(...diagnostics('convergence', convergenceMessages(opt.derivatives)));
  }
  let mlDeviance: number | undefined;
  if (REML && (options.refitML ?? 50 * evaluationFlops(prob) <= CHEAP_FLOPS)) {
    const ml = withCriterion(prob, false);
    mlDeviance = optimise(ml, theta, options, 0.05).fmin;
  }
  return finishLmm(prob, theta, { optsummary: opt, diagnostics: found, mlDeviance, reuse: true });
}
