/**
 * Refitting an LMM to a new response with everything else fixed (lme4's
 * refit(m, newresp)), as the parametric bootstrap does a thousand times.
 *
 * Only the response's parts of A = [Z X y]' W [Z X y] depend on y:
 *
 *   A_Tj[p, (l, c)] = sum_{i in level l} w_i (y_i - o_i) z_ic     (row p of each A_Tj)
 *   A_TT[p, t]      = sum_i w_i (y_i - o_i) x_it,  A_TT[p, p] = sum_i w_i (y_i - o_i)^2
 *
 * so a refit overwrites those in place (one O(n k) pass) and reuses the
 * problem's blocks, Lambda and L; the frame is neither re-parsed nor rebuilt.
 * The optimiser starts from the original fit's theta: the fit's own (BFGS with
 * the analytic gradient, lmm/lmer.ts, and its singular-optimum guard) where the
 * gradient exists, which reaches the optimum in a fifth of BOBYQA's time
 * (sleepstudy, 1000 refits) and more precisely, started on the inverse of the
 * fit's convergence-check Hessian when the fit has one (lmm/warmHessian.ts:
 * sleepstudy's refits then take about 5 evaluations instead of 9); else BOBYQA (rhoend 1e-6 as
 * lmer) with rhobeg 0.05, as lmer's warm-started ML refit; then lmer's boundary
 * check (theta elements within 1e-5 of a 0 bound set to 0 when that does not
 * raise the criterion).
 *
 * `lmmRefitter` gives the parameter vector of `bootstrapNames`: per random-effects
 * term the standard deviations and correlations (lower triangle by columns),
 * then sigma, then the fixed effects; NaN everywhere when the fit fails
 * (GLMMs: glmmRefit.ts, with sigma only for families with a dispersion).
 * `lmmEffectsRefitter` gives beta and the conditional modes b = Lambda u
 * (lmm/effects.ts), for bootstrap predictions (predictBoot.ts).
 */
import type { LinearMixedModel, MixedModel } from '../../api/fit.js';
import { parameterNames } from '../paramNames.js';
import { fixedEffects, solveEffects } from '../../lmm/effects.js';
import { lmmProblem, optimizeLmm, type LmmProblem } from '../../lmm/index.js';
import { inverseHessianInPsi } from '../../lmm/warmHessian.js';
import { centring, knownCentring, uncentredBeta, type Centring } from '../../lmm/conditioning/centring.js';
import { setResponseColumn } from '../../lmm/conditioning/responseShift.js';
import { varCorr } from '../../lmm/varCorr.js';
import { termCentring, type TermCentring } from '../../lmm/conditioning/termCentring.js';
import { centredTheta, userBlockEffects, userVarCorr } from '../../lmm/conditioning/termAlgebra.js';
import type { VarCorr } from '../../lmm/varCorr.js';

/**
 * lme4's names of the bootstrapped parameters (confint(m, method = "boot")):
 * sds and correlations, `sigma` for LMMs and GLMMs with a dispersion, the fixed effects.
 */
export function bootstrapNames(model: MixedModel): string[] {
  return parameterNames(model.fit.varCorr.terms, hasSigma(model), model.fit.coefnames);
}

/** Whether the model has a residual scale among its parameters (LMMs; Gamma and inverse.gaussian GLMMs). */
export function hasSigma(model: MixedModel): boolean {
  return model.kind === 'lmm' || (model.fit.family !== 'binomial' && model.fit.family !== 'poisson');
}

/** The parameters in `bootstrapNames` order from variance components, the scale (null: none) and beta. */
export function parameterVector(vc: VarCorr, sigma: number | null, beta: ArrayLike<number>, out: Float64Array): Float64Array {
  let e = 0;
  for (const t of vc.terms) {
    const k = t.cnames.length;
    for (let c = 0; c < k; c++) for (let r = c; r < k; r++) out[e++] = r === c ? t.sd[c] : t.corr[r + c * k];
  }
  if (sigma !== null) out[e++] = sigma;
  for (let i = 0; i < beta.length; i++) out[e++] = beta[i];
  return out;
}

/** Refits `model` to a response y (length nobs) and writes the parameters into out. */
export type Refit = (y: Float64Array, out: Float64Array) => Float64Array;

export function lmmRefitter(model: LinearMixedModel): Refit {
  const { fit } = model;
  const { prob, c, theta, terms } = refitProblemOf(model);
  const beta = new Float64Array(model.frame.p), hinv = warmInverseHessian(model, prob, theta);
  return (y, out) => {
    if (!refitProblem(prob, y, theta, hinv)) return out.fill(NaN);
    betaAtOptimum(prob, beta, c);
    const sigma = sigmaAtOptimum(prob, fit.REML), vc = varCorr(prob.factors, prob.lambda, sigma);
    return parameterVector(terms === null ? vc : userVarCorr(vc, terms.shifts), sigma, beta, out);
  };
}

/** A replicate's estimates: beta and the conditional modes b per factor block (level-major, lmm/effects.ts). */
export interface RefitEffects {
  beta: Float64Array;
  b: Float64Array[];
}

/** Refits `model` to a response y and returns its estimates, or null if the fit fails. */
export function lmmEffectsRefitter(model: LinearMixedModel): (y: Float64Array) => RefitEffects | null {
  const { prob, c, theta, terms } = refitProblemOf(model);
  const hinv = warmInverseHessian(model, prob, theta);
  return (y) => {
    if (!refitProblem(prob, y, theta, hinv)) return null;
    const { beta, b } = solveEffects(prob.L, prob.A, prob.lambda);
    return { beta: c === null ? beta : uncentredBeta(beta, c), b: terms === null ? b : userBlockEffects(b, terms.shifts, prob.factors, model.frame) };
  };
}

/**
 * The problem refits are made on: the fit's own columns, or the centred ones
 * when the fit was made on those (lmm/conditioning/centring.ts; the response is the user's
 * either way, and X beta the same).
 */
function refitProblemOf(model: LinearMixedModel): { prob: LmmProblem; c: Centring | null; theta: Float64Array; terms: TermCentring | null } {
  // Random slopes far from 0 (lmm/conditioning/termCentring.ts): refits on the centred terms, as lmer fits them,
  // from the fit's theta mapped there (found again from the frame, so that a worker thread's copy of the model refits alike).
  const terms = termCentring(model.frame);
  const frame = terms?.frame ?? model.frame, REML = model.fit.REML;
  let c = knownCentring(frame), user: LmmProblem | null = null;
  if (c === undefined) {
    user = lmmProblem(frame, { REML });
    c = centring(frame, user.A.xx);
  }
  const prob = c !== null ? lmmProblem(c.frame, { REML }) : user ?? lmmProblem(frame, { REML });
  const theta = terms === null ? model.fit.theta : centredTheta(model.fit.theta, terms, prob.map, prob.factors);
  return { prob, c, theta, terms };
}

/** BFGS's starting inverse Hessian for refits from the fit's estimates (module comment), or null. */
function warmInverseHessian(model: LinearMixedModel, prob: LmmProblem, theta: Float64Array): Float64Array | null {
  const { fit } = model;
  return inverseHessianInPsi(fit.optsummary?.derivatives, Float64Array.from(theta, (t, e) => t * prob.thetaScale[e]), prob.lower);
}

/** Sets the response and optimises from `start`; L and Lambda are left at the optimum. False if the fit fails. */
function refitProblem(prob: LmmProblem, y: Float64Array, start: Float64Array, hinv: Float64Array | null): boolean {
  setResponse(prob, y);
  return optimum(prob, start, hinv) !== null;
}

/** beta from the factor at the optimum, L_X' beta = l_X (written into `beta`), of the user's columns. */
function betaAtOptimum(prob: LmmProblem, beta: Float64Array, c: Centring | null): void {
  const b = fixedEffects(prob.L, prob.A);
  beta.set(c === null ? b : uncentredBeta(b, c));
}

/** sigma from the factor at the optimum: r^2 / (n - p) (REML) or r^2 / n (ML), r = L's last diagonal element. */
function sigmaAtOptimum(prob: LmmProblem, REML: boolean): number {
  const L = prob.L, p = L.P - 1, n = prob.frame.nobs, r = L.xx[p * (L.P + 1)];
  return Math.sqrt((r * r) / (REML ? n - p : n));
}

/** Overwrites the y parts of the problem's A (see the module comment; keeps A's response shift, lmm/conditioning/responseShift.ts). */
export function setResponse(prob: LmmProblem, y: Float64Array): void {
  setResponseColumn(prob.frame, prob.A, y);
}

/**
 * The optimum from `start` (module comment; lmm/lmer.ts optimizeLmm: in the
 * scale-free phi, so that a predictor in odd units is refitted as well as any);
 * L and Lambda left at the optimum. Null if it fails.
 */
function optimum(prob: LmmProblem, start: Float64Array, hinv: Float64Array | null): Float64Array | null {
  const opt = optimizeLmm(prob, start, prob.gradient ? {} : { optimizer: 'bobyqa', rhobeg: 0.05, rhoend: 1e-6 }, hinv);
  if (!Number.isFinite(opt.fmin)) return null;
  const theta = new Float64Array(opt.final.length);
  for (let e = 0; e < theta.length; e++) theta[e] = opt.final[e];
  // The optimiser's last evaluation is usually at the optimum: then L and Lambda are there already.
  return Number.isFinite(prob.lastValue?.(theta) ?? prob.evaluate(theta)) ? theta : null;
}
