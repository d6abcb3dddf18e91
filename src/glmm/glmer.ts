/**
 * Fits a generalized linear mixed model (lme4's glmer): problem -> stage 1 ->
 * stage 2 -> derivatives -> checks -> finish.
 *
 * - Stage 1 (lme4's nAGQ0initStep): theta by BOBYQA on the nAGQ = 0
 *   criterion, beta inside PIRLS, PIRLS started from the GLM's estimates (start.ts).
 *   For nAGQ = 0 that is the fit; vcov = (L_X L_X')^-1 sigma^2.
 * - Stage 2: (theta, beta) on the Laplace (nAGQ = 1) or quadrature criterion,
 *   by BOBYQA with beta measured in units of its stage-1 standard errors and
 *   theta in units from the criterion's curvature, so that all coordinates
 *   have a similar scale.
 * - lme4's path (lme4Path.ts; default where lme4's criterion is, up to
 *   LME4_EMULATION_ROWS user rows): both stages as lme4 runs them (minqa's
 *   BOBYQA on lme4's nAGQ = 0 PIRLS, then lme4's Nelder-Mead), on the user's
 *   columns, and up to LME4_ROW_SUMS rows on the user's rows (not aggregated). lme4's Nelder-Mead stops at its x tolerance, about 1e-5
 *   in theta short of the optimum; following its path gives its estimates
 *   (cbpp: 7e-11 relative, against 1e-5 from BOBYQA on the same criterion).
 *   Where lme4's PIRLS fails on the way (lme4 stops with an error), the fit
 *   is made with optimizer 'bobyqa'. lme4 makes no restarts from a singular
 *   optimum; here they are made, and replace lme4's end point only when they
 *   find a better optimum (by LME4_PATH_GAIN), with a note; the derivatives
 *   are those of BOBYQA's coordinates.
 * - Exact Laplace criterion with an analytic gradient (scalar terms on
 *   distinct factors, canonical link; newtonStage.ts): stage 1 is only the
 *   joint PIRLS at theta0 (loosely converged), stage 2 Newton's method on
 *   (theta, beta), BOBYQA as above should it fail.
 * - vcov as lme4 1.1-31 (use.hessian = TRUE, vcov.ts): 2 H^-1 restricted to
 *   beta, H the finite-difference Hessian of the criterion over (theta, beta):
 *   lme4's deriv12 (step 1e-4 in raw units) when the criterion is lme4's,
 *   else step 1e-3 in the scaled coordinates (bobyqaStage2; with Newton: the exact Hessian for
 *   one scalar term, else forward differences of the analytic gradient); sigma^2 (L_X L_X')^-1 of the final PIRLS when H
 *   is not positive definite. With lme4's step, a note gives the converged criterion's standard errors where
 *   lme4's differ from them by more than LME4_SE_GAP (lme4StepNote; cbpp: 1.2%), and where they differ by more than
 *   LME4_SE_NOISE (finite-difference noise, as with a covariate on a large scale) the table takes the converged
 *   criterion's and the note gives lme4's. The convergence check (lme4's checkConv) uses
 *   the scaled derivatives, which PIRLS's truncation does not swamp.
 * - Every message is a Diagnostic (diagnostics.ts): `converged` is false when
 *   any says an optimiser, PIRLS or a check at the optimum failed.
 * - For nAGQ > 1 the reported logLik is the marginal likelihood by a fine
 *   trapezoidal rule (agq.ts marginalDeviance), not the nAGQ-point value.
 * - With one scalar term and nAGQ = 1, the Laplace criterion at the estimates
 *   is compared with 15-point quadrature; when they differ by more than
 *   LAPLACE_GAP in log-likelihood, a message says so and, up to REFIT_ROWS
 *   fitted rows, reports a refit with nAGQ = 10 next to the Laplace estimates.
 */
import { MixedModelsError, expectArgument } from '../errors.js';
import type { ModelFrame } from '../frame/types.js';
import { diagnostic, diagnostics, type Diagnostic } from '../diagnostics.js';
import { makeFamily, resolveFamilyLink, type Family } from '../glm/family.js';
import { convergenceMessages } from '../lmm/convergence.js';
import { restartFromSingular } from '../lmm/singularRestart.js';
import { fdDerivatives, fdGradient, fdHessian } from '../optim/gradient.js';
import { runOptimizer } from '../optim/optsummary.js';
import { extremeGroupMessages } from './checks.js';
import { coefficientTable, finishGlmm } from './finish.js';
import { CENTRE_RHO2_GLMM, centring, congruent, frameGram, uncentredBeta } from '../lmm/conditioning/centring.js';
import { termCentring } from '../lmm/conditioning/termCentring.js';
import { GLMM_AFTER, userTermsFit } from '../lmm/conditioning/userTermsFit.js';
import { factorBlocks } from '../lmm/factorBlocks.js';
import { lambdaMap } from '../lmm/lambda.js';
import { glmerNb } from './glmerNb.js';
import { hasNewtonStage, newtonStage, newtonStartTol } from './laplace/newtonStage.js';
import { glmmProblem, isScalarModel, type GlmmProblem } from './problem.js';
import { startingTheta } from './start.js';
import { releaseRowHelper } from './pirls/rowHelper.js';
import { convergedHessian, hessianVcov, LME4_DERIV_STEP, lme4Hessian, lme4StepMeasures, pirlsVcov } from './vcov.js';
import { lme4Stage1, lme4Stage2, onUserScale, type Lme4Stage1 } from './lme4Path.js';
import type { GlmmFit, GlmmStage } from './types.js';

export interface GlmmOptions {
  /** `binomial`, `poisson`, `Gamma`, `inverse.gaussian` (`gaussian` with a non-identity link). */
  family: string;
  /** Default: the family's canonical link. */
  link?: string;
  /** 0 (PIRLS estimates of beta), 1 (Laplace, default) or the number of quadrature points (one scalar term only). */
  nAGQ?: number;
  /** Collapse rows sharing group and covariates into counts when that pays (default true). */
  aggregate?: boolean;
  /** Compare Laplace with quadrature and refit when it is poor (default true; one scalar term only). */
  checkLaplace?: boolean;
  /** Most criterion evaluations per optimisation stage (default 10000). */
  maxEval?: number;
  /**
   * The nAGQ = 1 criterion: 'lme4' evaluates it as lme4 does (PIRLS restarted
   * from the stage-1 linear predictor, stopped at a relative change of 1e-7,
   * log det from the previous iterate's weights), so that estimates, logLik
   * and the Hessian's standard errors agree with lme4's; 'exact' converges
   * PIRLS fully (the Laplace approximation proper, warm-started, faster on
   * large data, and with Newton's method where its gradient exists). Default:
   * 'lme4' up to LME4_EMULATION_ROWS rows for one scalar term, or for other
   * terms where Newton's method is not available (non-canonical links, vector terms).
   * The negative binomial family defaults to 'exact': lme4's glmer.nb refits
   * start PIRLS from the previous fit's converged means, and its estimates
   * agree with the exact criterion's (grouseticks: fixed effects within 1e-4
   * of a standard error, against 2e-3 with the emulation), and a smooth
   * criterion suits the search over theta.
   */
  laplace?: 'lme4' | 'exact';
  /**
   * With lme4's criterion (laplace 'lme4'), how it is optimised: 'lme4'
   * (default up to LME4_EMULATION_ROWS rows) follows lme4's own path, minqa's
   * BOBYQA for stage 1 and lme4's Nelder-Mead for stage 2 with lme4's settings
   * (lme4Path.ts), so that the estimates are lme4's to about 1e-7 where
   * lme4's Nelder-Mead stops short of the optimum (by about 1e-5 in theta);
   * 'bobyqa' optimises the same criterion to its optimum (BOBYQA in scaled
   * coordinates). Ignored with the exact criterion.
   */
  optimizer?: 'lme4' | 'bobyqa';
  /**
   * Negative binomial only: theta, held fixed. Absent: estimated as lme4's
   * glmer.nb (glmerNb.ts) and counted as a parameter.
   */
  nbTheta?: number;
}

/** Above this many (fitted) rows the exact Laplace criterion is the default. */
export const LME4_EMULATION_ROWS = 100000;
/**
 * Smallest fall in the criterion (-2 log-likelihood) by which a restart from a singular end of lme4's
 * path replaces it: far above what lme4's Nelder-Mead leaves short of its optimum (about 1e-9), so
 * only a different, better optimum does.
 */
const LME4_PATH_GAIN = 1e-4;
/** Up to this many user rows lme4's path is followed without aggregating them (fitWithFamily). */
export const LME4_ROW_SUMS = 10000;

/**
 * Log-likelihood gap (Laplace vs 15-point quadrature) above which the model is
 * refitted by quadrature: LAPLACE_GAP, or 0.01 per group when there are more than 100.
 */
export const LAPLACE_GAP = 1;
/**
 * Stage-2 trust region: beta is in units of its stage-1 standard error, so
 * rhoend = 2e-5 locates it to about 1e-4 SE; theta to about 1e-4 absolute.
 */
const STAGE2_RHOBEG = 0.1;
/** Stage-1 accuracy in theta when stage 1 only starts stage 2. */
const STAGE1_START_RHOEND = 1e-2;
/**
 * Largest standard deviation (a diagonal theta) below which stage 1 goes on
 * with its trust region in units of that size (Gamma's inverse link on
 * sleepstudy: theta about 0.003, where rhoend 1e-2 found nothing).
 */
const REFINE_BELOW = 0.1;
/** At most this many such passes, each while the size shrinks by 30% or more. */
const REFINE_PASSES = 6;
const STAGE2_RHOEND = 2e-5;
/** Step of stage 2's finite-difference Hessian, in the scaled coordinates (bobyqaStage2). */
const STAGE2_HESSIAN_STEP = 1e-3;
const CHECK_AGQ = 15;
const REFIT_AGQ = 10;
/** The quadrature refit of the Laplace check is made up to this many fitted rows (it costs a second stage 2). */
const REFIT_ROWS = 20000;
/** Relative difference between lme4's standard error and the converged criterion's above which lme4StepNote speaks. */
const LME4_SE_GAP = 0.005;

function checkOptions(frame: ModelFrame, o: GlmmOptions): number {
  const nAGQ = o.nAGQ ?? 1;
  if (o.optimizer !== undefined && o.optimizer !== 'lme4' && o.optimizer !== 'bobyqa') {
    throw new MixedModelsError(`optimizer must be 'lme4' or 'bobyqa', not ${JSON.stringify(o.optimizer)}`);
  }
  if (!(Number.isInteger(nAGQ) && nAGQ >= 0 && nAGQ <= 100)) throw new MixedModelsError(`nAGQ must be a whole number from 0 to 100, not ${nAGQ}`);
  if (nAGQ > 1 && !isScalarModel(frame)) {
    throw new MixedModelsError(
      `nAGQ = ${nAGQ} (adaptive Gauss-Hermite quadrature) needs a single scalar random-effects term such as (1 | g); ` +
        `this model has ${frame.reTerms.map((t) => `(${t.cnames.join(' + ')} | ${t.group})`).join(', ')}; use nAGQ = 1 (Laplace) or 0`,
    );
  }
  return nAGQ;
}

function stage(summary: ReturnType<typeof runOptimizer>['summary'], parameters: string, criterion: string): GlmmStage {
  return { ...summary, parameters, criterion };
}

/**
 * Stage 1: theta with beta inside PIRLS, from lme4's start (or the GLM's, or
 * a smaller theta where that fails: start.ts). `restart`: every evaluation
 * starts PIRLS from the joint solution at the start, as lme4's does (where the
 * joint PIRLS has several stationary points, as with the sqrt link, the one
 * lme4 finds); else from the previous evaluation's. With
 * rhoend null no optimisation: the joint PIRLS solution at theta0 only (a
 * start for the Newton stage).
 */
function stage1(prob: GlmmProblem, rhoend: number | null, maxEval: number, restart = false) {
  const { engine } = prob;
  const start = startingTheta(prob, rhoend === null ? newtonStartTol(prob) : undefined);
  if (start === null) {
    throw new MixedModelsError(
      `the ${prob.family.name} GLMM with the ${prob.family.link.name} link cannot be evaluated at any starting value: ` +
        'the conditional modes leave the range of the link (mu outside its family\'s range) even for small random effects',
    );
  }
  const theta0 = start.theta;
  if (rhoend === null) {
    const started = performance.now();
    const theta = theta0, fx = start.fx;
    const summary = {
      optimizer: 'pirls', initial: Array.from(theta), final: Array.from(theta), fmin: fx, evaluations: 1,
      seconds: (performance.now() - started) / 1000, converged: Number.isFinite(fx), messages: ['joint PIRLS at the starting theta'],
    };
    return { summary, theta, beta: engine.beta.slice(), fx };
  }
  // lme4's nAGQ = 0 devfun restarts every evaluation from lp0, the joint solution at the start
  // (when PIRLS did not converge there, lp0 may be outside the link's range: then warm starts, as without restart).
  const lp0 = engine.eta.slice();
  const restarted = (th: Float64Array) => (engine.startFrom(lp0), prob.devfun0(th));
  const useRestart = restart && Number.isFinite(restarted(theta0));
  if (restart && !useRestart) startingTheta(prob);
  const f = useRestart ? restarted : (th: Float64Array) => prob.devfun0(th);
  const { lower, upper } = prob.map;
  const first = runOptimizer('bobyqa', f, theta0, lower, upper, { rhobeg: 0.5 * Math.min(1, diagonalSize(prob, theta0)), rhoend, maxEval });
  let { summary, result } = first;
  // rhoend is absolute: when the standard deviations are small (theta in the working weights' units),
  // go on in theirs, until their size settles.
  const sizeOf = (x: ArrayLike<number>) => diagonalSize(prob, x);
  for (let size = sizeOf(result.x), pass = 0; size > 0 && size < REFINE_BELOW && pass < REFINE_PASSES; pass++) {
    const again = runOptimizer('bobyqa', f, result.x, lower, upper, { rhobeg: 0.25 * size, rhoend: rhoend * size, maxEval });
    summary = { ...again.summary, initial: summary.initial, evaluations: summary.evaluations + again.summary.evaluations, seconds: summary.seconds + again.summary.seconds };
    result = again.result;
    const next = sizeOf(result.x);
    if (next > 0.7 * size) break;
    size = next;
  }
  const theta = Float64Array.from(result.x);
  const fx = f(theta);
  return { summary, theta, beta: engine.beta.slice(), fx };
}

/**
 * The criterion over x = (par - centre) / scale, par = [theta, beta]: every
 * coordinate in units of (roughly) its standard error, so that BOBYQA's trust
 * region suits them all.
 */
function scaledCriterion(prob: GlmmProblem, nAGQ: number, centre: Float64Array, scale: Float64Array) {
  const nt = prob.ntheta, p = prob.p;
  const theta = new Float64Array(nt), beta = new Float64Array(p);
  const split = (x: ArrayLike<number>) => {
    for (let e = 0; e < nt; e++) theta[e] = centre[e] + scale[e] * x[e];
    for (let j = 0; j < p; j++) beta[j] = centre[nt + j] + scale[nt + j] * x[nt + j];
    return { theta, beta };
  };
  const f = (x: ArrayLike<number>) => {
    const v = split(x);
    return prob.devfun(v.theta, v.beta, nAGQ);
  };
  return { f, split };
}

/**
 * Scales for theta: sqrt(2 / f'') from a central second difference at the
 * stage-1 estimates (step 1e-3 max(unit, |theta|), forwards on a bound), within
 * [1e-4 unit, max(unit, |theta|)]; unit where f'' <= 0. theta is in units set by
 * the working weights (3153 for inverse.gaussian(identity) on sleepstudy, 0.003
 * for Gamma(inverse)): unit is the largest standard deviation parameter, at most 1.
 */
function thetaScale(prob: GlmmProblem, nAGQ: number, theta: Float64Array, beta: Float64Array): Float64Array {
  const f0 = prob.devfun(theta, beta, nAGQ);
  const unit = Math.min(1, Math.max(1e-6, diagonalSize(prob, theta)));
  return theta.map((t, e) => {
    const h = 1e-3 * Math.max(unit, Math.abs(t));
    const at = (d: number) => {
      const th = theta.slice();
      th[e] = t + d;
      return prob.devfun(th, beta, nAGQ);
    };
    // Forward differences on the bound.
    const curv = t - h < prob.map.lower[e] ? (f0 - 2 * at(h) + at(2 * h)) / (h * h) : (at(h) - 2 * f0 + at(-h)) / (h * h);
    return curv > 0 ? Math.min(Math.max(unit, Math.abs(t)), Math.max(1e-4 * unit, Math.sqrt(2 / curv))) : unit;
  });
}

/** The largest standard deviation parameter (diagonal theta) in absolute value: theta's unit. */
function diagonalSize(prob: GlmmProblem, theta: ArrayLike<number>): number {
  return Math.max(...Array.from(theta, (t, e) => (prob.map.lower[e] === 0 ? Math.abs(t) : 0)));
}

/**
 * The coordinates of scaledCriterion about (theta, beta): centre, scale (thetaScale, betaScale) and the bounds.
 */
function scaledSetup(prob: GlmmProblem, nAGQ: number, theta: Float64Array, beta: Float64Array, betaScale: Float64Array) {
  const nt = prob.ntheta, p = prob.p;
  const centre = new Float64Array(nt + p), scale = new Float64Array(nt + p);
  centre.set(theta);
  centre.set(beta, nt);
  scale.set(thetaScale(prob, nAGQ, theta, beta));
  scale.set(betaScale, nt);
  const { f, split } = scaledCriterion(prob, nAGQ, centre, scale);
  const lower = Float64Array.from({ length: nt + p }, (_, e) => (e < nt ? (prob.map.lower[e] - theta[e]) / scale[e] : -Infinity));
  const upper = new Float64Array(nt + p).fill(Infinity);
  return { f, split, lower, upper, centre, scale };
}

/** Stage 2 from (theta, beta) in the coordinates of scaledCriterion; the theta elements `fixed` stay at their start. */
function stage2(prob: GlmmProblem, nAGQ: number, theta: Float64Array, beta: Float64Array, betaScale: Float64Array, maxEval: number, fixed: readonly number[] = []) {
  const nt = prob.ntheta, p = prob.p;
  const { f, split, lower, upper, scale } = scaledSetup(prob, nAGQ, theta, beta, betaScale);
  const held = new Set(fixed), free = Array.from(lower.keys()).filter((e) => !held.has(e));
  const full = new Float64Array(nt + p);
  const expand = (x: ArrayLike<number>): Float64Array => {
    free.forEach((e, i) => (full[e] = x[i]));
    return full.slice();
  };
  const { summary, result } = runOptimizer('bobyqa', (x) => f(expand(x)), new Float64Array(free.length), Float64Array.from(free, (e) => lower[e]), Float64Array.from(free, (e) => upper[e]), { rhobeg: STAGE2_RHOBEG, rhoend: STAGE2_RHOEND, maxEval });
  const x = expand(result.x), s = split(x);
  return { summary, x, theta: s.theta.slice(), beta: s.beta.slice(), fx: result.fx, f, lower, upper, scale };
}

/**
 * lme4's path (lme4Path.ts), then the finite-difference derivatives of
 * bobyqaStage2, in the scaled coordinates about the stage-1 estimates; null
 * when lme4's PIRLS failed on the way (lme4 stops with an error).
 */
function lme4PathStage2(prob: GlmmProblem, s1: Lme4Stage1, maxEval: number) {
  const nm = lme4Stage2(prob, s1, maxEval);
  if (prob.lme4Failures > 0) return null;
  const betaScale = s1.betaSD.map((sd) => (sd > 0 && Number.isFinite(sd) ? sd : 1));
  const { f, lower, upper, centre, scale } = scaledSetup(prob, 1, s1.theta, s1.beta, betaScale);
  const x = Float64Array.from(centre, (c, e) => ((e < prob.ntheta ? nm.theta[e] : nm.beta[e - prob.ntheta]) - c) / scale[e]);
  const d = fdDerivatives(f, x, 1e-4, lower, upper);
  return { ...nm, x, f, lower, upper, scale, gradient: d.gradient, hessian: d.hessian, betaScale };
}

/**
 * Stage 2 by BOBYQA, then the finite-difference derivatives in the scaled
 * coordinates that the convergence check and vcov use: the gradient with
 * lme4's step 1e-4, the Hessian with STAGE2_HESSIAN_STEP. At 1e-4 the
 * criterion's rounding swamps the second differences of a large criterion
 * (ctr1000, Poisson with an offset, nAGQ = 5, -2 log-likelihood 5156: the
 * intercept's standard error 0.10986, against 0.109672 from steps of 1e-3
 * and 3e-3 alike); at 1e-3 the truncation error is of order 1e-6.
 */
function bobyqaStage2(prob: GlmmProblem, nAGQ: number, theta: Float64Array, beta: Float64Array, betaScale: Float64Array, maxEval: number) {
  const s2 = stage2(prob, nAGQ, theta, beta, betaScale, maxEval);
  const gradient = fdGradient(s2.f, s2.x, 1e-4, s2.lower, s2.upper);
  const hessian = fdHessian(s2.f, s2.x, STAGE2_HESSIAN_STEP, s2.lower, s2.upper);
  return { ...s2, gradient, hessian, betaScale: s2.scale.subarray(prob.ntheta) };
}

function fmt(x: number): string {
  return x.toFixed(Math.abs(x) >= 100 ? 1 : 3);
}

/**
 * Laplace quality check: the gap between Laplace and quadrature at the
 * Laplace estimates; above LAPLACE_GAP a quadrature refit and a message.
 * Not made for families with a dispersion: lme4's criterion there is no
 * approximation to the likelihood that quadrature could improve on (see
 * dispersionNote). Nothing is said when quadrature cannot be evaluated (a node
 * outside the link's range, as for Gamma's inverse link).
 */
function laplaceCheck(prob: GlmmProblem, theta: Float64Array, beta: Float64Array, lap: number, scale: Float64Array, maxEval: number): Diagnostic[] {
  if (prob.family.estimatedDispersion) return [];
  const agq = prob.devfun(theta, beta, CHECK_AGQ);
  if (!Number.isFinite(agq)) return [];
  // Laplace's log-likelihood minus quadrature's (the criteria are -2 log-likelihoods).
  const gap = (agq - lap) / 2;
  if (!(Math.abs(gap) > LAPLACE_GAP * Math.max(1, 0.01 * prob.engine.q))) return [];
  const head = `the Laplace approximation is poor for these data: at the Laplace estimates its log-likelihood is ${fmt(Math.abs(gap))} ` +
    `${gap > 0 ? 'above' : 'below'} ${CHECK_AGQ}-point quadrature's.`;
  const advice = ` Fit with nAGQ = ${REFIT_AGQ} for estimates that do not rest on it.`;
  if (prob.frame.nobs > REFIT_ROWS) return [diagnostic('approximation', head + advice)];
  let refit: ReturnType<typeof stage2>;
  try {
    refit = stage2(prob, REFIT_AGQ, theta, beta, scale, maxEval);
  } catch (err) {
    if (err instanceof MixedModelsError) return [diagnostic('approximation', head + advice)];
    throw err;
  }
  const names = prob.userFrame.colnames;
  const diffs = names.map((nm, j) => `${nm} ${fmt(refit.beta[j])} (Laplace ${fmt(beta[j])})`).slice(0, 4);
  const sds = Array.from(refit.theta, (t, e) => `${fmt(t / prob.thetaScale[e])} (Laplace ${fmt(theta[e] / prob.thetaScale[e])})`);
  return [
    diagnostic('approximation',
      `${head} Refitted with nAGQ = ${REFIT_AGQ}: ${diffs.join(', ')}; ` +
        `random-effect sd ${sds.join(', ')}; -2 log-likelihood ${fmt(refit.fx)} by quadrature. Fit with nAGQ = ${REFIT_AGQ} to use those estimates.`),
  ];
}

/**
 * lme4's standard errors (vcov, from lme4Hessian over lme4's truncated PIRLS)
 * against those of the converged criterion's Hessian at the same estimates
 * (convergedHessian, in the units of the stage's theta scale and of lme4's
 * standard errors): a note naming each that differs by more than
 * LME4_SE_GAP, relatively, and the converged value; a convergence message
 * when the converged criterion's Hessian is not positive definite there.
 * Returns the covariance the table takes: lme4's, or the converged
 * criterion's when lme4's are more than LME4_SE_NOISE off it.
 */
function lme4StepNote(prob: GlmmProblem, nAGQ: number, theta: Float64Array, beta: Float64Array, scale: Float64Array, vcov: Float64Array): { diagnostics: Diagnostic[]; vcov: Float64Array } {
  const nt = prob.ntheta, p = prob.p;
  const se = Float64Array.from({ length: p }, (_, j) => Math.sqrt(vcov[j * (p + 1)]));
  const units = new Float64Array(nt + p);
  units.set(scale.subarray(0, nt));
  se.forEach((s, j) => (units[nt + j] = s > 0 && Number.isFinite(s) ? s : 1));
  const converged = hessianVcov(convergedHessian(prob, nAGQ, theta, beta, units), nt, p, units.subarray(nt));
  if (converged === null) {
    return { vcov, diagnostics: [diagnostic('convergence',
      'the Hessian of the converged criterion at these estimates is not positive definite (they are no minimum of it): ' +
        'the standard errors, from lme4\'s finite differences over its truncated PIRLS, are not reliable')] };
  }
  const names = prob.userFrame.colnames;
  const off: string[] = [];
  let worst = 0;
  for (let j = 0; j < p; j++) {
    const c = Math.sqrt(converged[j * (p + 1)]), gap = Math.abs(se[j] - c) / c;
    if (gap > LME4_SE_GAP) off.push(`${names[j]} ${c.toPrecision(4)} (lme4's ${se[j].toPrecision(4)})`);
    worst = Math.max(worst, gap);
  }
  if (off.length === 0) return { vcov, diagnostics: [] };
  const how = `from its Hessian by central differences of step ${LME4_DERIV_STEP} over PIRLS stopped at a relative change of 1e-7`;
  if (worst > LME4_SE_NOISE) {
    return { vcov: converged, diagnostics: [diagnostic('note',
      `the standard errors are those of the converged criterion's Hessian: lme4's, ${how}, are up to ${(100 * worst).toPrecision(2)}% off them here ` +
        `(rounding swamps its differences, as with a covariate on a large scale), and would give other tests: ${off.join(', ')}`)] };
  }
  return { vcov, diagnostics: [diagnostic('note',
    `the standard errors are lme4's, ${how}; ` +
      `here they are up to ${(100 * worst).toPrecision(2)}% off those of the converged criterion's Hessian at the same estimates: ${off.join(', ')}`)] };
}

/**
 * Beyond this relative gap between lme4's standard errors and the converged criterion's (lme4StepNote),
 * lme4's are finite-difference noise, not its numbers to match: the table takes the converged
 * criterion's (binary y on x * 1e6: lme4's slope se 8.3e-7 where it is 1.18e-7, p 0.49 instead of
 * 1e-6). The reference fits' gaps (cbpp 1.2%, Gamma(log) 3.4%) keep lme4's.
 */
const LME4_SE_NOISE = 0.2;

/** lme4's warning when an optimisation stage stopped without converging. */
function stageDiagnostics(summary: { converged: boolean; messages: string[] }): Diagnostic[] {
  return summary.converged ? [] : [diagnostic('convergence', `the optimiser did not converge: ${summary.messages[0]}`)];
}

/**
 * Fits a GLMM to a model frame (the pipeline stage under `glmer`): PIRLS for the conditional modes, then the Laplace (nAGQ = 1) or adaptive Gauss-Hermite criterion optimised over theta and beta. Most users call `glmer`.
 */
export function fitGlmm(frame: ModelFrame, options: GlmmOptions): GlmmFit {
  expectArgument('fitGlmm', 'frame', frame, { object: 'a model frame (from modelFrame or buildFrame)', keys: ['X', 'y', 'reTerms'] });
  expectArgument('fitGlmm', 'options', options, { object: "an object of options with the family's name", keys: ['family'] });
  // A random slope far from 0 relative to its spread: the same model with it centred, theta and the modes mapped back.
  const terms = termCentring(frame);
  if (terms !== null) {
    const blocks = factorBlocks(terms.frame.reTerms, terms.frame.nobs);
    return userTermsFit(fitGlmm(terms.frame, options), terms, frame, lambdaMap(blocks, frame.reTerms.length), blocks, GLMM_AFTER);
  }
  // A column nearly a combination of those before it (a predictor far from 0): the same model on better
  // columns (lmm/conditioning/centring.ts), beta and vcov mapped back. x = 1e3 + u: the slope's se was 16
  // times too small (as lme4's, which warns of a large eigenvalue).
  const c = centring(frame, frameGram(frame), CENTRE_RHO2_GLMM);
  if (c !== null) {
    const fit = fitGlmm(c.frame, options);
    const beta = uncentredBeta(fit.beta, c), vcov = congruent(c, fit.vcov, fit.p);
    const se = Float64Array.from({ length: fit.p }, (_, t) => Math.sqrt(vcov[t * (fit.p + 1)]));
    return { ...fit, beta, vcov, se, coefficients: coefficientTable(fit.coefnames, beta, se) };
  }
  const resolved = resolveFamilyLink(options.family, options.link);
  if (resolved.family !== 'negative.binomial') return fitWithFamily(frame, makeFamily(options.family, options.link, options.nbTheta), options);
  const nbOptions: GlmmOptions = { ...options, laplace: options.laplace ?? 'exact' };
  if (options.nbTheta !== undefined) return fitWithFamily(frame, makeFamily(options.family, options.link, options.nbTheta), nbOptions);
  checkOptions(frame, options);
  return glmerNb(frame, resolved.link, options.checkLaplace !== false, (family, checkLaplace) => fitWithFamily(frame, family, { ...nbOptions, checkLaplace }));
}

/** fitGlmm once the family is known (for the negative binomial: at a given theta); then the row helper lets the fit's arrays go (rowHelper.ts). */
function fitWithFamily(frame: ModelFrame, family: Family, options: GlmmOptions): GlmmFit {
  try {
    return fitFamily(frame, family, options);
  } finally {
    releaseRowHelper();
  }
}

function fitFamily(frame: ModelFrame, family: Family, options: GlmmOptions): GlmmFit {
  const started = performance.now();
  if (family.name === 'gaussian' && family.link.name === 'identity') {
    throw new MixedModelsError('a gaussian family with the identity link is a linear mixed model: fit it with fitLmm (lmer)');
  }
  const nAGQ = checkOptions(frame, options);
  const maxEval = options.maxEval ?? 10000;
  let prob = glmmProblem(frame, family, { aggregate: options.aggregate });
  const newtonable = hasNewtonStage(prob);
  const byDefault = prob.frame.nobs <= LME4_EMULATION_ROWS && (isScalarModel(prob.frame) || !newtonable);
  const emulate = nAGQ === 1 && (options.laplace === 'lme4' || (options.laplace === undefined && byDefault));
  const newton = nAGQ === 1 && !emulate && newtonable;
  // lme4's own path (lme4Path.ts) runs on the user's columns.
  const followLme4 = emulate && options.optimizer !== 'bobyqa' && frame.nobs <= LME4_EMULATION_ROWS;
  // Up to LME4_ROW_SUMS rows also on the user's rows: sums over the same rows as lme4's round as lme4's do, and
  // the ends of both stages can turn on differences of that size (VerbAgg (1 | id): 3e-9 from lme4 on the user's
  // rows, 8e-5 on the aggregated rows, where the fit takes a third of the time).
  const userRows = followLme4 && frame.nobs <= LME4_ROW_SUMS && prob.index !== null;
  if (followLme4 && (userRows || !onUserScale(prob))) prob = glmmProblem(frame, family, { aggregate: userRows ? false : options.aggregate, scale: false });
  const path = followLme4 ? lme4Stage1(prob, maxEval) : null;
  // Where lme4's PIRLS fails, lme4 stops with an error: there is no lme4 path to follow, only the optimum.
  if (followLme4 && (path === null || prob.lme4Failures > 0)) return fitWithFamily(frame, family, { ...options, optimizer: 'bobyqa' });
  const found: Diagnostic[] = diagnostics('note', extremeGroupMessages(frame, prob.userResp));
  if (prob.index !== null) {
    found.unshift(diagnostic('note', `collapsed ${frame.nobs} rows into ${prob.frame.nobs} with the same group and covariates (counts added; the likelihood is unchanged)`));
  }
  // Stage 1 is the fit for nAGQ = 0 and lme4's lp0 when emulating; otherwise only a start.
  const s1 = path ?? stage1(prob, nAGQ === 0 || emulate ? 1e-6 : newton ? null : STAGE1_START_RHOEND, maxEval, emulate);
  const stages = [stage(s1.summary, 'theta (beta in PIRLS)', 'nAGQ = 0')];
  // L_X at the stage-1 state: vcov for nAGQ = 0, beta's units for BOBYQA (the Newton stage and lme4's path need neither).
  const first = newton || path !== null ? null : pirlsVcov(prob, s1.theta);
  const firstScale = () => (first ?? pirlsVcov(prob, s1.theta)).scale;
  if (nAGQ === 0) {
    const vcov = first?.vcov ?? new Float64Array(prob.p * prob.p).fill(NaN);
    found.push(...stageDiagnostics(s1.summary));
    const optsummary = { stages, pirlsRuns: prob.evaluations(), derivatives: null, vcovSource: 'pirls' as const, seconds: (performance.now() - started) / 1000 };
    return finishGlmm(prob, { nAGQ, theta: s1.theta, beta: s1.beta, criterion: s1.fx, vcov, optsummary, diagnostics: found });
  }
  // Stage 1 ended with the joint PIRLS at its estimates: lme4's lp0 for stage 2.
  if (emulate) prob.lp0 = path?.lp0 ?? prob.engine.eta.map((e, i) => e - prob.resp.offset[i]);
  const criterion = nAGQ === 1 ? 'Laplace' : `AGQ(${nAGQ})`;
  const noModes = (where: string) => new MixedModelsError(
    `the ${criterion} criterion cannot be evaluated at ${where}: PIRLS finds no conditional modes ` +
      `inside the range of the ${family.link.name} link for the ${family.name} family (some groups' modes lie on its edge, ` +
      `as for groups of zero counts under the identity link); try another link`,
  );
  if (!newton && !Number.isFinite(prob.devfun(s1.theta, s1.beta, nAGQ))) throw noModes('the first stage\'s estimates');
  let s2 = newton ? newtonStage(prob, s1.theta, s1.beta, maxEval) : null;
  if (s2 !== null) stages.push(stage(s2.summary, 'theta, beta', criterion));
  // Units of the derivatives' coordinates (null: Newton's, raw).
  let scale: Float64Array | null = null;
  if (path !== null) {
    const b = lme4PathStage2(prob, path, maxEval);
    if (b === null) return fitWithFamily(frame, family, { ...options, optimizer: 'bobyqa' });
    stages.push(stage(b.summary, 'theta, beta', criterion));
    scale = b.scale;
    s2 = b;
  } else if (s2 === null || !s2.summary.converged) {
    const b = bobyqaStage2(prob, nAGQ, s2?.theta ?? s1.theta, s2?.beta ?? s1.beta, firstScale(), maxEval);
    stages.push(stage(b.summary, 'theta, beta', criterion));
    scale = b.scale;
    s2 = b;
  }
  // A singular optimum: the nested zero-correlation fit and stage 2 again from the restart points of lmm/singularRestart.ts,
  // keeping the best.
  const best: NonNullable<typeof s2> = s2;
  const restarted = restartFromSingular(prob.factors, prob.map, best, (th) => prob.devfun(th, best.beta, nAGQ), (th) => {
    const r = bobyqaStage2(prob, nAGQ, th, best.beta, firstScale(), maxEval);
    stages.push(stage(r.summary, 'theta, beta (restarted from a singular optimum)', criterion));
    return r;
  }, (correlations, at) => {
    const r = stage2(prob, nAGQ, at, best.beta, firstScale(), maxEval, correlations);
    stages.push(stage(r.summary, 'theta, beta (nested model without the correlations)', criterion));
    return r;
  });
  // On lme4's path a restart replaces lme4's end point only when it finds a better optimum, not
  // the last digits lme4's Nelder-Mead leaves (about 1e-9 in the criterion): lme4 is wrong there, and says nothing.
  if (path === null || restarted.fx < best.fx - LME4_PATH_GAIN) {
    if (path !== null) {
      found.push(diagnostic('note',
        `lme4's optimiser path ends at a singular fit with -2 log-likelihood ${best.fx.toFixed(4)}; a restart from there finds ${restarted.fx.toFixed(4)}, ` +
          `${(best.fx - restarted.fx).toPrecision(3)} lower: these estimates are that optimum, not the point where lme4 stops (glmer would report the worse fit)`));
    }
    if (restarted !== best && 'scale' in restarted) scale = restarted.scale as Float64Array;
    s2 = restarted;
  }
  found.push(...stageDiagnostics(s2.summary));
  const nt = prob.ntheta, p = prob.p;
  found.push(...diagnostics('convergence', convergenceMessages({ components: Int32Array.from({ length: nt + p }, (_, i) => i), gradient: s2.gradient, hessian: s2.hessian })));
  const fx = prob.devfun(s2.theta, s2.beta, nAGQ);
  if (!Number.isFinite(fx)) throw noModes('the estimates');
  // lme4's standard errors come from its own Hessian (vcov.ts): ours too where the criterion is lme4's and its step measures H.
  const hs = s2.hessian;
  const lme4Step = emulate && scale !== null && lme4StepMeasures(fx, Array.from(scale, (sc, i) => hs[i * (nt + p + 1)] / (sc * sc)));
  // lme4's H when not positive definite: the criterion's own (lme4 would fall back on L_X, as below).
  const lme4Vcov = lme4Step ? hessianVcov(lme4Hessian(prob, nAGQ, s2.theta, s2.beta), nt, p, new Float64Array(p).fill(1)) : null;
  const checked = lme4Vcov !== null && scale !== null ? lme4StepNote(prob, nAGQ, s2.theta, s2.beta, scale, lme4Vcov) : null;
  if (checked !== null) found.push(...checked.diagnostics);
  let vcov = checked?.vcov ?? lme4Vcov ?? hessianVcov(s2.hessian, nt, p, s2.betaScale);
  let vcovSource: 'hessian' | 'pirls' = 'hessian';
  if (vcov === null) {
    vcovSource = 'pirls';
    prob.devfun(s2.theta, s2.beta, nAGQ);
    vcov = pirlsVcov(prob, s2.theta).vcov ?? new Float64Array(p * p).fill(NaN);
    found.push(diagnostic('convergence', 'the Hessian of the criterion is not positive definite: standard errors come from the final PIRLS step instead'));
  }
  if (nAGQ === 1 && isScalarModel(prob.frame) && options.checkLaplace !== false) {
    const refitScale = vcovSource === 'hessian' ? Float64Array.from({ length: p }, (_, j) => Math.sqrt(vcov![j * (p + 1)]) || 1) : firstScale();
    found.push(...laplaceCheck(prob, s2.theta, s2.beta, fx, refitScale, maxEval));
  }
  const marginal = nAGQ > 1 ? prob.marginal(s2.theta, s2.beta) : undefined;
  const optsummary = {
    stages,
    pirlsRuns: prob.evaluations(),
    derivatives: { gradient: s2.gradient, hessian: s2.hessian },
    vcovSource,
    seconds: (performance.now() - started) / 1000,
  };
  return finishGlmm(prob, { nAGQ, theta: s2.theta, beta: s2.beta, criterion: fx, marginal, vcov, optsummary, diagnostics: found });
}
