/**
 * A linear mixed model prepared for profiling (the Profiler of profileTrace.ts).
 *
 * Like lme4's profile.merMod, the profile is of the ML deviance (its devfun2
 * refits a REML fit by ML first), centred on the ML estimates: the parameters
 * are, in lme4's order, the sds and correlations per term (profileScale.ts),
 * sigma, then the fixed effects; see profileDeviance.ts for the deviance with
 * one of them fixed. At each value the other parameters are re-optimised by
 * BOBYQA from the neighbouring solution. A point's state is [theta, sigma].
 */
import type { LinearMixedModel } from '../../api/fit.js';
import { lmmProblem, type LmmProblem } from '../../lmm/problem.js';
import { centring, knownCentring, uncentredBeta, userCoefficient, type Centring } from '../../lmm/conditioning/centring.js';
import { bobyqa } from '../../optim/bobyqa.js';
import { covarianceNames } from '../paramNames.js';
import { termCentring, type TermCentring } from '../../lmm/conditioning/termCentring.js';
import { centredTheta, userTheta } from '../../lmm/conditioning/termAlgebra.js';
import type { ModelFrame } from '../../frame/types.js';
import { shiftOf, untracedAt, untracedMessages } from './centredTerms.js';
import {
  betaAt, betaSlice, corSlice, mlSigma, sdSlice, shiftedInterceptSdSlice, sigmaSlice, unitContrast, type ParameterSlice,
} from './profileDeviance.js';
import { sdcorFromTheta, termLayouts, trianglePositions, type TermLayout } from './profileScale.js';
import type { ProfilePoint, Profiler } from './profileTrace.js';

/** Optimiser settings at each profile point (warm starts, so a small initial radius). */
const RHOBEG = 0.05;
const RHOEND = 1e-7;
const MAX_EVAL = 5000;

/** The ML optimum of the model's problem, from the fit's theta. */
function mlOptimum(prob: LmmProblem, theta0: ArrayLike<number>): Float64Array {
  const res = bobyqa((x) => prob.evaluate(x), theta0, { lower: prob.lower, upper: prob.upper, rhobeg: RHOBEG, rhoend: RHOEND, maxEval: MAX_EVAL });
  const theta = Float64Array.from(res.x);
  // lme4's boundary check: elements within 1e-5 of a 0 bound go to 0 when that is no worse.
  const edge = theta.map((t, e) => (prob.lower[e] === 0 && t < 1e-5 ? 0 : t));
  return prob.evaluate(edge) <= res.fx ? edge : theta;
}

/** Minimises the slice's deviance at v over its free coordinates. */
function minimiseAt(slice: ParameterSlice, v: number, theta0: Float64Array): { deviance: number; theta: Float64Array } {
  const coords = slice.coords(v);
  const theta = new Float64Array(theta0.length);
  const f = (x: ArrayLike<number>): number => (coords.toTheta(x, theta) ? slice.deviance(theta, v) : Infinity);
  const x0 = coords.fromTheta(theta0);
  const f0 = f(x0);
  if (coords.n === 0 || !Number.isFinite(f0)) return { deviance: f0, theta: theta.slice() };
  const res = bobyqa(f, x0, { lower: coords.lower, upper: coords.upper, rhobeg: RHOBEG, rhoend: RHOEND, maxEval: MAX_EVAL });
  coords.toTheta(res.x, theta);
  return { deviance: res.fx, theta: theta.slice() };
}

/** Row j of U (lmm/conditioning/centring.ts): the user's beta_j as a combination of the replaced columns' (e_j without them). */
function userBeta(p: number, j: number, c: Centring | null): Float64Array {
  return c === null ? unitContrast(p, j) : userCoefficient(c, j, p);
}

/**
 * The slices in lme4's order. A term fitted with slopes centred (termCentring.ts) is profiled on
 * the centred terms: its slopes' sds and their correlations are the same parameters there, the
 * intercept's sd is shiftedInterceptSdSlice, and the intercept's correlations with the shifted
 * slopes (near +-1, fixed to the digits the shift leaves) are not traced (`untraced`).
 */
function slices(prob: LmmProblem, terms: readonly TermLayout[], c: Centring | null, tc: TermCentring | null): { slices: ParameterSlice[]; untraced: boolean[] } {
  const out: ParameterSlice[] = [], untraced: boolean[] = [];
  terms.forEach((t, term) => {
    const s = shiftOf(tc, term);
    trianglePositions(t.k).forEach(({ row, col }, pos) => {
      untraced.push(untracedAt(s, row, col));
      if (row === col) out.push(s !== undefined && row === s.i0 ? shiftedInterceptSdSlice(prob, t, s.i0, s.means) : sdSlice(prob, t, pos));
      else out.push(corSlice(prob, t, pos));
    });
  });
  out.push(sigmaSlice(prob));
  for (let j = 0; j < prob.frame.p; j++) out.push(betaSlice(prob, userBeta(prob.frame.p, j, c)));
  return { slices: out, untraced: [...untraced, ...out.slice(untraced.length).map(() => false)] };
}

/** The fit's centring (lmm/conditioning/centring.ts) of `frame`, found now for a model fitted elsewhere. */
function centringFor(frame: ModelFrame): Centring | null {
  const known = knownCentring(frame);
  return known !== undefined ? known : centring(frame, lmmProblem(frame, { REML: false }).A.xx);
}

/** Parameter ranges: sds [0, Inf), correlations [-1, 1], sigma (0, Inf), fixed effects the real line. */
function ranges(terms: readonly TermLayout[], p: number): { lower: number[]; upper: number[] } {
  const lower: number[] = [], upper: number[] = [];
  for (const t of terms) {
    for (const { row, col } of trianglePositions(t.k)) {
      lower.push(row === col ? 0 : -1);
      upper.push(row === col ? Infinity : 1);
    }
  }
  lower.push(0, ...new Array<number>(p).fill(-Infinity));
  upper.push(Infinity, ...new Array<number>(p).fill(Infinity));
  return { lower, upper };
}

/**
 * First steps, scaled to the parameter's rough standard error so that zeta
 * moves by about delta: sds and sigma by a fraction of their size, fixed
 * effects by their standard errors, correlations by 0.05.
 */
function firstSteps(model: LinearMixedModel, terms: readonly TermLayout[], sdcor: Float64Array, sigma: number, delta: number): Float64Array {
  const out: number[] = [];
  for (const t of terms) {
    trianglePositions(t.k).forEach(({ row, col }, pos) => {
      out.push(row === col ? 0.1 * delta * Math.max(sdcor[t.start + pos], 0.05 * sigma) : 0.05 * delta);
    });
  }
  out.push((delta * sigma) / Math.sqrt(2 * model.frame.nobs));
  for (const se of model.fit.se) out.push(delta * se);
  return Float64Array.from(out);
}

/** The Profiler of an LMM; `cutoff` only scales the first steps. */
export function lmmProfiler(model: LinearMixedModel, cutoff: number): Profiler {
  // On the centred columns and terms when the fit was made on them: the same profiles, without the digits the user's columns lose.
  const tc = termCentring(model.frame);
  const c = centringFor(tc?.frame ?? model.frame);
  const prob = lmmProblem(c?.frame ?? tc?.frame ?? model.frame, { REML: false });
  const terms = termLayouts(prob.frame.reTerms, prob.map.termStart);
  const theta = mlOptimum(prob, tc === null ? model.fit.theta : centredTheta(model.fit.theta, tc, prob.map, prob.factors));
  const dmin = prob.evaluate(theta);
  const sigma = mlSigma(prob, theta);
  const sdcor = sdcorFromTheta(terms, tc === null ? theta : userTheta(theta, tc, prob.map, prob.factors), sigma);
  const beta = betaAt(prob, theta);
  const estimates = Float64Array.from([...sdcor, sigma, ...(c === null ? beta : uncentredBeta(beta, c))]);
  const { slices: sl, untraced } = slices(prob, terms, c, tc);
  const { lower, upper } = ranges(terms, prob.frame.p);
  const optimum: ProfilePoint = { value: NaN, zeta: 0, state: Float64Array.from([...theta, sigma]) };
  const nt = theta.length;
  return {
    names: [...covarianceNames(model.fit.varCorr.terms), 'sigma', ...model.fit.coefnames],
    estimates,
    untraced,
    messages: untracedMessages(model.frame, tc),
    lower: Float64Array.from(lower),
    upper: Float64Array.from(upper),
    step: firstSteps(model, terms, sdcor, sigma, cutoff / 8),
    optimum,
    evaluate(i, v, from) {
      const slice = sl[i];
      const start = slice.start(from.state.subarray(0, nt), from.state[nt], v);
      const { deviance, theta: th } = minimiseAt(slice, v, start);
      const zeta = Math.sign(v - estimates[i]) * Math.sqrt(Math.max(0, deviance - dmin));
      return { value: v, zeta, state: Float64Array.from([...th, slice.sigma(th, v)]) };
    },
  };
}

