/**
 * A generalized linear mixed model prepared for profiling (the Profiler of
 * profileTrace.ts), as lme4's profile.merMod does it for glmer fits: the
 * deviance is the fit's own criterion D(theta, beta) (Laplace, or adaptive
 * Gauss-Hermite for nAGQ > 1), and with one parameter fixed all the others,
 * theta and beta, are re-optimised by BOBYQA from the neighbouring solution.
 *
 * The parameters are the sds and correlations per term (profileScale.ts with
 * sigma = 1: binomial and Poisson have no scale), then the fixed effects.
 * Families with a dispersion (Gamma, inverse.gaussian) are refused, as lme4
 * 1.1-31 refuses them: lme4's criterion for them is no likelihood in sigma,
 * so a profile of it would have no chi-square calibration. A
 * covariance parameter is held fixed in the sdcor coordinates of its term
 * (profileCoords.ts); the free beta are measured in units of their standard
 * errors, so that all coordinates have a similar scale. A point's state is
 * [theta, beta~].
 *
 * A model whose fixed-effects columns fitGlmm replaced (a predictor far from 0 relative to its
 * spread: lmm/conditioning/centring.ts, X~ = X U, beta = U beta~) is profiled on the same
 * replaced columns: the inner optimisations run over beta~ in units of its own standard errors,
 * and the user's beta_j = beta~_j + sum_{k>j} U[j, k] beta~_k is held at v by solving for
 * beta~_j. On the user's columns the inner problem is as ill-conditioned as the fit would have
 * been: with x = 1e3 + u the slope's profile interval came out 10 times too narrow, with
 * x = 1e4 + u 1000 times, and at x = 100 + u the random-effect sd's lower limit was 0.5% off.
 */
import type { ModelFrame } from '../../frame/types.js';
import { MixedModelsError } from '../../errors.js';
import { makeFamily } from '../../glm/family.js';
import { glmmProblem, type GlmmProblem } from '../../glmm/problem.js';
import { CENTRE_RHO2_GLMM, centredBeta, centredCovariance, centring, frameGram, uncentredBeta } from '../../lmm/conditioning/centring.js';
import type { GlmmFit } from '../../glmm/types.js';
import { bobyqa } from '../../optim/bobyqa.js';
import { covarianceNames } from '../paramNames.js';
import { sdcorCoords, shiftedInterceptCoords, thetaCoords, type FreeCoords } from './profileCoords.js';
import { shiftOf, untracedAt, untracedMessages } from './centredTerms.js';
import { termCentring } from '../../lmm/conditioning/termCentring.js';
import { centredTheta, userTheta } from '../../lmm/conditioning/termAlgebra.js';
import { sdcorFromTheta, termLayouts, trianglePositions } from './profileScale.js';
import type { ProfilePoint, Profiler } from './profileTrace.js';

/** What a GLMM profile needs from the fitted model. */
export interface GlmmModelLike {
  readonly kind: 'glmm';
  readonly frame: ModelFrame;
  readonly fit: GlmmFit;
}

const RHOBEG = 0.05;
const RHOEND = 1e-6;
const MAX_EVAL = 5000;

/** The inner problem with parameter i fixed: free coordinates x = [coords, scaled free beta]. */
interface Inner {
  coords: FreeCoords;
  /** Indices of the free beta. */
  free: number[];
}

function checkModel(model: GlmmModelLike): void {
  const { fit } = model;
  if (fit.nAGQ < 1) throw new MixedModelsError('profiles of a GLMM need the Laplace (nAGQ = 1) or quadrature criterion; this model was fitted with nAGQ = 0');
  const nb = fit.family === 'negative.binomial' && fit.nbTheta !== undefined;
  if (fit.family !== 'binomial' && fit.family !== 'poisson' && !nb) {
    throw new MixedModelsError(
      `profiles of a GLMM are available for the binomial, poisson and negative.binomial families (no free scale parameter), not ${fit.family}: ` +
        'its criterion is not a likelihood in the dispersion (lme4: "can\'t (yet) profile GLMMs with non-fixed scale parameters"); use method boot or wald',
    );
  }
}

/**
 * lme4's lp0 for the profile: the fitted linear predictor without the offset,
 * on the problem's rows (each aggregated row takes the value of a user row it holds).
 */
function fittedLp0(prob: GlmmProblem, fit: GlmmFit): Float64Array {
  const off = prob.userFrame.offset, eta = fit.linearPredictor;
  const user = Float64Array.from(eta, (e, i) => e - (off ? off[i] : 0));
  if (prob.index === null) return user;
  const out = new Float64Array(prob.frame.nobs);
  prob.index.forEach((k, i) => (out[k] = user[i]));
  return out;
}

/** The criterion's minimum over (theta, beta) from (theta0, beta0) (the fit's estimates: a polish), beta in units of se. */
function optimum(prob: GlmmProblem, theta0: ArrayLike<number>, beta0: ArrayLike<number>, se: Float64Array, nAGQ: number): { theta: Float64Array; beta: Float64Array; deviance: number } {
  const nt = prob.ntheta, p = prob.p;
  const split = (x: ArrayLike<number>) => ({
    theta: Float64Array.from({ length: nt }, (_, e) => x[e]),
    beta: Float64Array.from({ length: p }, (_, j) => beta0[j] + se[j] * x[nt + j]),
  });
  const f = (x: ArrayLike<number>): number => {
    const s = split(x);
    return prob.devfun(s.theta, s.beta, nAGQ);
  };
  const lower = Float64Array.from([...prob.map.lower, ...new Array<number>(p).fill(-Infinity)]);
  const upper = new Float64Array(nt + p).fill(Infinity);
  const res = bobyqa(f, Float64Array.from([...Array.from(theta0), ...new Array<number>(p).fill(0)]), { lower, upper, rhobeg: RHOBEG, rhoend: RHOEND, maxEval: MAX_EVAL });
  return { ...split(res.x), deviance: res.fx };
}

/** Standard errors from a covariance's diagonal, 1 where one is not a positive number (scaling only). */
function scales(vcov: ArrayLike<number>, p: number): Float64Array {
  return Float64Array.from({ length: p }, (_, j) => {
    const s = Math.sqrt(vcov[j * (p + 1)]);
    return s > 0 && Number.isFinite(s) ? s : 1;
  });
}

/** The Profiler of a binomial, Poisson or negative binomial (theta held) GLMM; `cutoff` only scales the first steps. */
export function glmmProfiler(model: GlmmModelLike, cutoff: number): Profiler {
  checkModel(model);
  const { fit } = model;
  // Random slopes far from 0 (lmm/conditioning/termCentring.ts): on the centred terms, as fitGlmm fits them (centredTerms.ts).
  const tc = termCentring(model.frame), base = tc?.frame ?? model.frame;
  // The fit's own columns (module comment): fitGlmm replaced these, and finds the same U again.
  const c = centring(base, frameGram(base), CENTRE_RHO2_GLMM);
  // A negative binomial fit is profiled at its theta, held there (lme4's profile of a glmer.nb fit: conditional on theta).
  const prob = glmmProblem(c?.frame ?? base, makeFamily(fit.family, fit.link, fit.family === 'negative.binomial' ? fit.nbTheta : undefined), { scale: false });
  if (fit.nAGQ === 1) prob.lp0 = fittedLp0(prob, fit);
  const nt = prob.ntheta, p = prob.p, nAGQ = fit.nAGQ;
  const se = Float64Array.from(fit.se, (s) => (s > 0 && Number.isFinite(s) ? s : 1));
  // beta~ and its standard errors; U[j, k] for the user's beta_j (the identity without replaced columns).
  const vcovC = c ? centredCovariance(c, fit.vcov, p) : Float64Array.from(fit.vcov);
  const seC = c ? scales(vcovC, p) : se;
  const U = (j: number, k: number): number => (c ? c.U[j + k * p] : j === k ? 1 : 0);
  const terms = termLayouts(prob.frame.reTerms, prob.map.termStart);
  const theta0 = tc === null ? fit.theta : centredTheta(fit.theta, tc, prob.map, prob.factors);
  const opt = optimum(prob, theta0, c ? centredBeta(fit.beta, c) : fit.beta, seC, nAGQ);
  const sdcor = sdcorFromTheta(terms, tc === null ? opt.theta : userTheta(opt.theta, tc, prob.map, prob.factors), 1);
  const estimates = Float64Array.from([...sdcor, ...(c ? uncentredBeta(opt.beta, c) : opt.beta)]);
  const positions = terms.flatMap((t, index) => trianglePositions(t.k).map((rc, pos) => ({ term: t, index, pos, row: rc.row, col: rc.col, sd: rc.row === rc.col })));
  // A centred term's intercept sd (shiftedInterceptCoords, with the sign of (A T)[0, 0] at the estimates); its correlations with the shifted slopes are not traced.
  const untraced = [...positions.map((q) => untracedAt(shiftOf(tc, q.index), q.row, q.col)), ...new Array<boolean>(p).fill(false)];
  const covCoords = (i: number, v: number): FreeCoords => {
    const q = positions[i], s = shiftOf(tc, q.index);
    if (s !== undefined && q.sd && q.row === s.i0) {
      if (s.i0 !== 0) throw new MixedModelsError('internal error: a centred term whose intercept is not its first column');
      return shiftedInterceptCoords(prob.map.lower, prob.map.upper, q.term, s.means, v, opt.theta);
    }
    return sdcorCoords(prob.map.lower, prob.map.upper, q.term, q.pos, v);
  };
  const allTheta = thetaCoords(prob.map.lower, prob.map.upper);
  const inner = (i: number, v: number): Inner =>
    i < nt
      ? { coords: covCoords(i, v), free: Array.from({ length: p }, (_, j) => j) }
      : { coords: allTheta, free: Array.from({ length: p }, (_, j) => j).filter((j) => j !== i - nt) };
  /**
   * With the user's beta_j held at v (a'beta~ = v, a = row j of U): the start moved along
   * vcov(beta~) a to meet it, and the free beta~ in units of their standard errors given a'beta~
   * (the diagonal of V - V a a'V / a'Va). For the intercept beside x = 1e3 + u, beta~_x moves
   * beta~_0 a thousand times as far; in units of its own standard error the inner optimisation
   * stalled far from the minimum and the interval came out 8 times too narrow.
   */
  const heldStart = (j: number, v: number, from: Float64Array): { centre: Float64Array; scale: Float64Array } => {
    const a = Float64Array.from({ length: p }, (_, k) => U(j, k));
    const Va = Float64Array.from({ length: p }, (_, r) => a.reduce((t, ak, k) => t + vcovC[r + k * p] * ak, 0));
    const aVa = a.reduce((t, ak, k) => t + ak * Va[k], 0);
    const gap = v - a.reduce((t, ak, k) => t + ak * from[k], 0);
    if (!(aVa > 0) || !Number.isFinite(aVa)) return { centre: from, scale: seC };
    return {
      centre: Float64Array.from(from, (b, k) => b + (Va[k] * gap) / aVa),
      scale: Float64Array.from({ length: p }, (_, k) => {
        const s = Math.sqrt(vcovC[k * (p + 1)] - (Va[k] * Va[k]) / aVa);
        return s > 0 && Number.isFinite(s) ? s : seC[k];
      }),
    };
  };
  const delta = cutoff / 8;
  return {
    names: [...covarianceNames(fit.varCorr.terms), ...fit.coefnames],
    estimates,
    untraced,
    messages: [
      ...untracedMessages(model.frame, tc),
      ...(fit.family === 'negative.binomial' ? [`the profiles hold the negative binomial's theta at its estimate, ${fit.nbTheta!.toPrecision(6)} (as lme4 profiles a glmer.nb fit): they leave out its uncertainty`] : []),
    ],
    lower: Float64Array.from([...positions.map((q) => (q.sd ? 0 : -1)), ...new Array<number>(p).fill(-Infinity)]),
    upper: Float64Array.from([...positions.map((q) => (q.sd ? Infinity : 1)), ...new Array<number>(p).fill(Infinity)]),
    step: Float64Array.from([...positions.map((q, e) => (q.sd ? 0.1 * delta * Math.max(sdcor[e], 0.05) : 0.05 * delta)), ...se.map((s) => delta * s)]),
    optimum: { value: NaN, zeta: 0, state: Float64Array.from([...opt.theta, ...opt.beta]) },
    evaluate(i, v, from): ProfilePoint {
      const { coords, free } = inner(i, v);
      const theta = new Float64Array(nt), beta = new Float64Array(p);
      const held = i >= nt ? i - nt : -1;
      const { centre, scale } = held >= 0 ? heldStart(held, v, from.state.subarray(nt)) : { centre: from.state.subarray(nt), scale: seC };
      const f = (x: ArrayLike<number>): number => {
        if (!coords.toTheta(x, theta)) return Infinity;
        free.forEach((j, a) => (beta[j] = centre[j] + scale[j] * x[coords.n + a]));
        // The user's beta_held = v: beta~_held from the later beta~ (U unit upper triangular).
        if (held >= 0) {
          let s = v;
          for (let k = held + 1; k < p; k++) s -= U(held, k) * beta[k];
          beta[held] = s;
        }
        return prob.devfun(theta, beta, nAGQ);
      };
      const x0 = Float64Array.from([...coords.fromTheta(from.state.subarray(0, nt)), ...free.map(() => 0)]);
      const lower = Float64Array.from([...coords.lower, ...free.map(() => -Infinity)]);
      const upper = Float64Array.from([...coords.upper, ...free.map(() => Infinity)]);
      const f0 = f(x0);
      const res = Number.isFinite(f0) ? bobyqa(f, x0, { lower, upper, rhobeg: RHOBEG, rhoend: RHOEND, maxEval: MAX_EVAL }) : { x: x0, fx: f0 };
      f(res.x);
      const zeta = Math.sign(v - estimates[i]) * Math.sqrt(Math.max(0, res.fx - opt.deviance));
      return { value: v, zeta, state: Float64Array.from([...theta, ...beta]) };
    },
  };
}
