import { diagnostic, diagnostics, type Diagnostic } from '../diagnostics.js';
import { MixedModelsError, expectArgument } from '../errors.js';
import type { ModelFrame } from '../frame/types.js';
import { runOptimizer, type OptimizerName, type OptResult, type OptSummary } from '../optim/optsummary.js';
import { quasiNewton } from '../optim/quasiNewton.js';
import { centring, uncentred } from './conditioning/centring.js';
import { rememberCentredTerms, termCentring } from './conditioning/termCentring.js';
import { userTermsFit } from './conditioning/userTermsFit.js';
import { convergenceDerivatives, convergenceMessages } from './convergence.js';
import { finishLmm, SINGULAR_TOL } from './finish.js';
import { lmmProblem, withCriterion, type LmmProblem } from './problem.js';
import { defaultStart, scaledProblem, type ScaledProblem } from './scaledProblem.js';
import { restartFromSingular } from './singularRestart.js';
import { momentStart } from './start.js';
import { inverseHessianInPsi } from './warmHessian.js';
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
 *
 * All of it runs on phi = s theta (thetaScale.ts, scaledProblem.ts: s the
 * root mean square of the weighted random-effects column), lme4's start
 * theta0 and every tolerance included, so that the units of the data do not
 * change the path: lme4's theta0 = 1 in theta put the weighted sleepstudy's
 * slope (theta 0.1, sigma 62) ten times too far, BFGS dived to the bound and
 * BOBYQA, handed over there, stopped at REML 1802.67 (lme4: 1791.686). That
 * stop was a point of the bound where the triangle T has a zero pivot with a
 * non-zero element below it, from which every move BOBYQA tried raised the
 * criterion; singularRestart.ts guards every singular optimum (the nested
 * zero-correlation fit, a re-factored point off the boundary, probes off a
 * scalar bound), so that a stuck optimum is not reported. From the old stuck
 * point it reaches 1791.686 (lmer.test.ts); with phi the default fit never goes
 * there (sleepstudy (Days | Subject): 9 evaluations instead of 12).
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
/**
 * Where bfgs stops: a predicted decrease of the criterion below `tol`, or below `floor` times
 * |f| (quasiNewton.ts). The tolerance was 1e-8 while the first inverse Hessian (start.ts) was
 * twice too large, which doubled the predicted decreases of the first iterations; with it of
 * the right size, 5e-9 keeps lme4's digits on sleepstudy's predictions and Penicillin's df.
 * Problems whose evaluations cost next to nothing (PRECISE_FLOPS) go on to the criterion's
 * rounding: a flat criterion leaves theta 1e-6 off at a predicted decrease of 6e-11, and
 * Satterthwaite's df with it (cake's recipe:replicate fit, 77.4371 against lmerTest's 77.4368
 * at 4 evaluations, 77.4368 at 5).
 */
const BFGS_STOP = { tol: 5e-9, floor: 1e-13 };
const PRECISE_STOP = { tol: 1e-12, floor: 1e-15 };
/** Refits (optimizeLmm: bootstraps, profiles) start from the fit's own inverse Hessian, never doubled: their tolerance stays 1e-8. */
const REFIT_STOP = { tol: 1e-8, floor: 1e-13 };
/** A fit whose evaluations take below this many (estimated) flops stops at PRECISE_STOP: about a millisecond. */
const PRECISE_FLOPS = 2e6;
/** Largest change of log theta in bfgs's first step (a factor of e). */
const BFGS_FIRST_STEP = 1;
/** BOBYQA's initial trust region for the restarts from singular optima (lme4's rhobeg). */
const RESTART_RHOBEG = 0.2;
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

/** An optimiser run's outcome in phi, with its summary (times and messages). */
interface Run {
  summary: OptSummary;
  result: OptResult;
  gradients: number;
}

/**
 * BFGS over psi with phi_e = exp(psi_e) for the parameters bounded below by 0
 * (the variances' scale, where the criterion is closer to quadratic and the bound
 * is out of reach) and phi_e = psi_e for the others, with phi_e >= NEAR_BOUND
 * (a variance that goes there is left to BOBYQA). A start on a bound fails at
 * once (there the gradient of a scalar term is 0 by symmetry and says nothing
 * about leaving the bound).
 * Returns the result in phi.
 */
function logScaleBfgs(sp: Objective, start: ArrayLike<number>, maxEval: number, hinv: Float64Array | null, stop: typeof BFGS_STOP): ReturnType<typeof quasiNewton> {
  // Plain loops rather than Array.from(typed, f): a bootstrap runs this a thousand times, and the iterators were garbage.
  const nt = start.length, logged = new Uint8Array(nt), phi = new Float64Array(nt), x0 = new Float64Array(nt), lower = new Float64Array(nt);
  let finite = true;
  for (let e = 0; e < nt; e++) {
    logged[e] = sp.lower[e] === 0 ? 1 : 0;
    x0[e] = logged[e] ? Math.log(start[e]) : start[e];
    lower[e] = logged[e] ? Math.log(NEAR_BOUND) : -Infinity;
    finite &&= Number.isFinite(x0[e]);
  }
  const toPhi = (x: Float64Array): Float64Array => {
    for (let e = 0; e < nt; e++) phi[e] = logged[e] ? Math.exp(x[e]) : x[e];
    return phi;
  };
  if (!finite) {
    return { x: Float64Array.from(start), fx: sp.evaluate(start), evaluations: 1, gradients: 0, converged: false, message: 'start on a bound', gradientFailed: true };
  }
  const qn = quasiNewton((x) => sp.evaluate(toPhi(x)), (x, g) => {
    const th = toPhi(x);
    if (!sp.gradient!(th, g)) return false;
    for (let e = 0; e < nt; e++) if (logged[e]) g[e] *= th[e];
    return true;
  }, x0, { maxEval, tol: stop.tol, floor: stop.floor, initialStep: BFGS_FIRST_STEP, initialInverseHessian: hinv ?? undefined, lower });
  return { ...qn, x: toPhi(qn.x).slice() };
}

/**
 * BFGS from `start`; when it fails (gradient unavailable, line search or
 * evaluation limit) or ends with a variance parameter near 0, BOBYQA from its
 * best point with rhobeg = min(rhobeg, 0.05). The summary counts both runs.
 */
function bfgsThenBobyqa(sp: Objective, start: ArrayLike<number>, rhobeg: number, rhoend: number, maxEval: number, hinv: Float64Array | null, stop: typeof BFGS_STOP): Run {
  const started = performance.now();
  const qn = logScaleBfgs(sp, start, maxEval, hinv, stop);
  let near = false;
  for (let e = 0; e < qn.x.length; e++) near ||= sp.lower[e] === 0 && qn.x[e] <= NEAR_BOUND * (1 + 1e-9);
  let result: OptResult = qn, name = 'bfgs';
  const messages = [qn.message];
  if (!qn.converged || near) {
    const from = Number.isFinite(qn.fx) ? qn.x : start;
    const bq = runOptimizer('bobyqa', (x) => sp.evaluate(x), from, sp.lower, sp.upper, {
      rhobeg: Math.min(rhobeg, 0.05), rhoend, maxEval: Math.max(1, maxEval - qn.evaluations),
    });
    const better = bq.result.fx <= qn.fx || !Number.isFinite(qn.fx);
    result = { ...(better ? bq.result : qn), evaluations: qn.evaluations + bq.result.evaluations, converged: bq.result.converged };
    name = 'bfgs+bobyqa';
    messages.push(bq.result.message);
  }
  const summary: OptSummary = {
    optimizer: name,
    initial: plainArray(start),
    final: plainArray(result.x),
    fmin: result.fx,
    evaluations: result.evaluations,
    seconds: (performance.now() - started) / 1000,
    converged: result.converged,
    messages: name === 'bfgs' ? messages : [messages[messages.length - 1], `bfgs: ${messages[0]}`],
  };
  return { summary, result, gradients: qn.gradients };
}

/** One optimiser run in phi from `start`, then lme4's boundary check (phi within BOUNDARY_TOL of 0 set to 0 when that does not raise f). */
function run(sp: Objective, start: ArrayLike<number>, o: LmmOptions, rhobeg: number, hinv: Float64Array | null, stop = BFGS_STOP): Run {
  const name = o.optimizer ?? 'bfgs';
  const rhoend = o.rhoend ?? 1e-6, maxEval = o.maxEval ?? 100000;
  const r: Run = name === 'bfgs' && sp.gradient
    ? bfgsThenBobyqa(sp, start, rhobeg, rhoend, maxEval, hinv, stop)
    : { ...runOptimizer(name === 'bfgs' ? 'bobyqa' : name, (x) => sp.evaluate(x), start, sp.lower, sp.upper, { rhobeg, rhoend, maxEval }), gradients: 0 };
  const x = r.result.x, edge = x.slice();
  let near = false;
  for (let e = 0; e < x.length; e++) {
    if (sp.lower[e] === 0 && x[e] > 0 && x[e] < BOUNDARY_TOL) {
      edge[e] = 0;
      near = true;
    }
  }
  if (!near) return r;
  const f = sp.evaluate(edge);
  return f <= r.result.fx ? { ...r, result: { ...r.result, x: edge, fx: f } } : r;
}

/** The numbers as an Array, by a loop (Array.from of a typed array makes an iterator and its results). */
function plainArray(v: ArrayLike<number>): number[] {
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i];
  return out;
}

/** Whether a variance parameter (lower bound 0) of phi is below SINGULAR_TOL. */
function singular(sp: Objective, phi: Float64Array): boolean {
  for (let e = 0; e < phi.length; e++) if (sp.lower[e] === 0 && phi[e] < SINGULAR_TOL) return true;
  return false;
}

/** What the optimiser runs need of a problem in phi. */
type Objective = Pick<ScaledProblem, 'evaluate' | 'gradient' | 'lower' | 'upper'>;

/** The objective over the elements of phi other than `fixed`, which stay at their values in `at`. */
function restricted(sp: ScaledProblem, fixed: readonly number[], at: Float64Array) {
  const held = new Set(fixed), free = Array.from(at.keys()).filter((e) => !held.has(e));
  const full = at.slice(), g = new Float64Array(at.length);
  const embed = (x: ArrayLike<number>): Float64Array => {
    free.forEach((e, i) => (full[e] = x[i]));
    return full.slice();
  };
  const obj: Objective = {
    evaluate: (x) => sp.evaluate(embed(x)),
    gradient: sp.gradient && ((x, grad) => {
      if (!sp.gradient!(embed(x), g)) return false;
      free.forEach((e, i) => (grad[i] = g[e]));
      return true;
    }),
    lower: Float64Array.from(free, (e) => sp.lower[e]),
    upper: Float64Array.from(free, (e) => sp.upper[e]),
  };
  return { obj, embed, start: Float64Array.from(free, (e) => at[e]) };
}

/**
 * Optimises from `start` (theta); when the optimum is singular, the guard of
 * singularRestart.ts (the nested zero-correlation fit by the same optimiser;
 * restarts by BOBYQA with lme4's rhobeg = 0.2, whose trust region finds the way
 * out from near a bound where BFGS, handing over to BOBYQA at 1e-3 with rhobeg
 * 0.05, can return to the point it left: generated case, -925.6413 against
 * -925.6463), keeping the best optimum. Everything in phi (scaledProblem.ts);
 * the summary reports theta.
 */
function optimise(prob: LmmProblem, start: ArrayLike<number>, o: LmmOptions, rhobeg: number, hinv: Float64Array | null = null, stop = BFGS_STOP): LmmOptSummary {
  const sp = scaledProblem(prob), before = prob.evaluations();
  const first = run(sp, sp.toPhi(start), o, rhobeg, hinv, stop);
  let gradients = first.gradients, seconds = first.summary.seconds;
  const counted = (r: Run): Run => {
    gradients += r.gradients;
    seconds += r.summary.seconds;
    return r;
  };
  const found = { theta: first.result.x, fx: first.result.fx, run: first };
  // The guard acts only on variance parameters below SINGULAR_TOL (singularRestart.ts): none, nothing to do.
  const best = !singular(sp, found.theta) ? found : restartFromSingular(
    prob.factors, prob.map, found,
    (x) => sp.evaluate(x),
    (x) => {
      const r = counted(run(sp, x, { ...o, optimizer: 'bobyqa' }, RESTART_RHOBEG, null));
      return { theta: r.result.x, fx: r.result.fx, run: { ...r, summary: { ...r.summary, optimizer: `${first.summary.optimizer}, restarted` } } };
    },
    (correlations, at) => {
      const sub = restricted(sp, correlations, at);
      const r = counted(run(sub.obj, sub.start, o, rhobeg, null));
      return { theta: sub.embed(r.result.x), fx: r.result.fx };
    },
  );
  return {
    ...best.run.summary,
    initial: plainArray(start),
    final: plainArray(sp.toTheta(best.theta)),
    fmin: best.fx,
    evaluations: prob.evaluations() - before,
    seconds,
    lower: prob.lower.slice(),
    upper: prob.upper.slice(),
    rhobeg,
    rhoend: o.rhoend ?? 1e-6,
    maxEval: o.maxEval ?? 100000,
    gradients,
    derivatives: null,
  };
}

/**
 * The optimisation stage alone (lme4's optimizeLmer): minimises prob.evaluate
 * from `start` (theta) with the optimiser of `options` (default 'bfgs'), then
 * lme4's boundary check and the restart of singularRestart.ts. For refits of a
 * problem (bootstrap, profiles) as in fitLmm. `inverseHessian`: BFGS's starting
 * inverse Hessian over its coordinates (warmHessian.ts), for starts near an optimum.
 */
export function optimizeLmm(prob: LmmProblem, start: ArrayLike<number> = defaultStart(prob), options: LmmOptions = {}, inverseHessian: Float64Array | null = null): LmmOptSummary {
  return optimise(prob, start, options, options.rhobeg ?? 0.2, inverseHessian, REFIT_STOP);
}

/**
 * Fits a linear mixed model to a model frame (the pipeline stage under `lmer`): builds `lmmProblem`, optimises the profiled criterion over theta and finishes with `finishLmm`. Most users call `lmer`.
 */
export function fitLmm(frame: ModelFrame, options: LmmOptions = {}): LmmFit {
  return fitLmmProblem(frame, options).fit;
}

/**
 * fitLmm, and the problem it optimised (its blocks and factor, left at the
 * estimates' criterion), for the inference that follows a fit in the same call
 * (Satterthwaite's df: api/fit.ts), which would otherwise form the blocks again.
 */
export function fitLmmProblem(frame: ModelFrame, options: LmmOptions = {}): { fit: LmmFit; problem: LmmProblem } {
  expectArgument('fitLmm', 'frame', frame, { object: 'a model frame (from modelFrame or buildFrame)', keys: ['X', 'y', 'reTerms'] });
  return fitFrame(frame, options, true);
}

/** fitLmmProblem; `centre`: first look for columns to centre (centring.ts), not again in the centred frame. */
function fitFrame(frame: ModelFrame, options: LmmOptions, centre: boolean): { fit: LmmFit; problem: LmmProblem } {
  // A random slope far from 0: the same model with it centred, theta and the modes mapped back (termCentring.ts).
  const terms = centre ? termCentring(frame) : null;
  if (terms !== null) {
    const inner = fitFrame(terms.frame, options, true);
    const fit = userTermsFit(inner.fit, terms, frame, inner.problem.map, inner.problem.factors);
    rememberCentredTerms(fit, { frame: terms.frame, theta: inner.fit.theta, user: frame, shifts: terms.shifts });
    return { fit, problem: inner.problem };
  }
  const REML = options.REML ?? true;
  const prob = lmmProblem(frame, { REML });
  // A column nearly a combination of those before it (far from 0): the same model on better columns, beta and vcov mapped back.
  const centred = centre ? centring(frame, prob.A.xx) : null;
  if (centred !== null) {
    const inner = fitFrame(centred.frame, options, false);
    return { fit: uncentred(inner.fit, centred), problem: inner.problem };
  }
  // The default bfgs starts from the moment estimates of the scalar terms and of blocks with one vector-valued term (start.ts); the others from theta0 (in phi) like lme4.
  const moments = options.start === undefined && (options.optimizer ?? 'bfgs') === 'bfgs' && prob.gradient ? momentStart(prob.A, prob.map, prob.thetaScale) : null;
  const start = options.start ?? moments?.theta ?? defaultStart(prob);
  if (start.length !== prob.theta0.length) throw new MixedModelsError(`start must have length ${prob.theta0.length}, not ${start.length}`);
  // A fit (not a bootstrap's or a profile's refits, which go through optimizeLmm) of a cheap problem stops at PRECISE_STOP.
  const stop = evaluationFlops(prob) <= PRECISE_FLOPS ? PRECISE_STOP : BFGS_STOP;
  const opt = optimise(prob, start, options, options.rhobeg ?? 0.2, moments?.hinv ?? null, stop);
  const theta = Float64Array.from(opt.final);
  const found: Diagnostic[] = [];
  if (!opt.converged) found.push(diagnostic('convergence', `the optimiser did not converge: ${opt.messages[0]}`));
  const nt = theta.length;
  const calc = options.calcDerivs ?? (1 + 2 * nt * nt) * evaluationFlops(prob) <= CHEAP_FLOPS;
  const phi = Float64Array.from(theta, (t, e) => t * prob.thetaScale[e]);
  if (calc) {
    opt.derivatives = convergenceDerivatives(scaledProblem(prob), phi);
    found.push(...diagnostics('convergence', convergenceMessages(opt.derivatives)));
  }
  let mlDeviance: number | undefined;
  if (REML && (options.refitML ?? 50 * evaluationFlops(prob) <= CHEAP_FLOPS)) {
    // From the REML estimates, with BFGS started on the REML criterion's inverse Hessian there (the ML criterion's is close).
    const ml = withCriterion(prob, false);
    mlDeviance = optimise(ml, theta, options, 0.05, inverseHessianInPsi(opt.derivatives, phi, prob.lower), stop).fmin;
  } else if (REML) {
    found.push(diagnostic('note',
      'deviance is the ML criterion at the REML estimates: lme4\'s deviance() of a REML fit, the minimum of the ML criterion, needs an ML refit, ' +
        'not made here by default for a fit this size (fitLmm with refitML: true makes it; `compare` refits by ML itself)'));
  }
  return { fit: finishLmm(prob, theta, { optsummary: opt, diagnostics: found, mlDeviance, reuse: true }), problem: prob };
}
