/**
 * Refitting a GLMM to a new response with everything else fixed, as lme4's
 * refit(m, newresp) does inside bootMer: the same frame (binomial trials,
 * prior weights, offsets, random-effects terms) with y replaced, and the
 * model's own criterion (nAGQ = 0, Laplace or adaptive Gauss-Hermite)
 * optimised from the fitted estimates rather than from scratch.
 *
 * With the problem's scale-free theta phi (glmm/problem.ts) and the fitted
 * (phi0, beta0, se0), BOBYQA moves x = [(phi - phi0) / s, (beta - beta0) / se0]
 * with s_e = max(|phi0_e|, 0.1 u), u the largest standard deviation
 * parameter (1 when all are 0), so every coordinate is in units of its
 * size; rhobeg 0.1, rhoend 2e-5 as glmer's stage 2 (glmm/glmer.ts). For
 * nAGQ = 0 only phi is optimised, beta inside PIRLS (devfun0), as lme4.
 * The refit is finished as a fit (glmm/finish.ts): estimates, sigma, VarCorr
 * and conditional modes come from the same code as the original fit's.
 *
 * A model whose fixed-effects columns fitGlmm replaced (a predictor far from 0 relative to its
 * spread: lmm/conditioning/centring.ts, X~ = X U, beta = U beta~) is refitted on the same
 * columns, from beta~ in units of its own standard errors, and beta mapped back: on the user's
 * columns BOBYQA stalled next to the start (x = 1e3 + u: the slope's 95% bootstrap interval
 * 0.002 wide for 5.5, the random-effect sd's 0.07 for 0.53, silently).
 *
 * A refit fails (null) when the criterion cannot be evaluated at the start
 * or at the optimum (PIRLS finds no modes inside the link's range); one whose
 * optimiser stops without converging, or whose fit reports a convergence
 * problem, is kept and counted as a warning (bootMer keeps such fits and
 * collects their warnings).
 */
import type { GeneralizedLinearMixedModel } from '../../api/fit.js';
import type { ModelFrame } from '../../frame/types.js';
import { MixedModelsError } from '../../errors.js';
import { makeFamily } from '../../glm/family.js';
import { finishGlmm, glmmProblem, type GlmmFit } from '../../glmm/index.js';
import { CENTRE_RHO2_GLMM, centredBeta, centredCovariance, centring, frameGram, uncentredBeta } from '../../lmm/conditioning/centring.js';
import { runOptimizer } from '../../optim/optsummary.js';
import { termCentring } from '../../lmm/conditioning/termCentring.js';
import { centredTheta } from '../../lmm/conditioning/termAlgebra.js';
import { GLMM_AFTER, userTermsFit } from '../../lmm/conditioning/userTermsFit.js';
import { factorBlocks } from '../../lmm/factorBlocks.js';
import { lambdaMap } from '../../lmm/lambda.js';

const RHOBEG = 0.1;
const RHOEND = 2e-5;
const MAX_EVAL = 10000;

/** A refit: the finished fit and whether its optimiser or checks reported a problem. */
export interface GlmmRefit {
  fit: GlmmFit;
  warning: boolean;
}

/** Refits `model` to responses y (length nobs, binomial as proportions); null when the refit fails. */
export function glmmRefitter(model: GeneralizedLinearMixedModel): (y: Float64Array) => GlmmRefit | null {
  const { frame: user } = model;
  const family = makeFamily(model.fit.family, model.fit.link);
  // A random slope far from 0 (lmm/conditioning/termCentring.ts): refits on the centred terms, as fitGlmm
  // fits them, from the fit's theta mapped there, their estimates mapped back.
  const terms = termCentring(user);
  const frame = terms?.frame ?? user;
  const blocks = terms === null ? null : factorBlocks(frame.reTerms, frame.nobs);
  const map = blocks === null ? null : lambdaMap(blocks, frame.reTerms.length);
  const fit = terms === null ? model.fit : { ...model.fit, theta: centredTheta(model.fit.theta, terms, map!, blocks!) };
  const userFit = (f: GlmmFit): GlmmFit => (terms === null ? f : userTermsFit(f, terms, user, map!, blocks!, GLMM_AFTER));
  // The fit's own columns (module comment): fitGlmm replaced these, and finds the same U again.
  const c = centring(frame, frameGram(frame), CENTRE_RHO2_GLMM), p = fit.p;
  const start: Start = c === null
    ? { beta: fit.beta, se: fit.se }
    : { beta: centredBeta(fit.beta, c), se: Float64Array.from(centredCovariance(c, fit.vcov, p).filter((_, e) => e % (p + 1) === 0), Math.sqrt) };
  return (y) => {
    try {
      const r = refit({ ...(c?.frame ?? frame), y: y.slice() }, fit, family, start);
      if (r === null) return null;
      return { ...r, fit: userFit(c === null ? r.fit : { ...r.fit, beta: uncentredBeta(r.fit.beta, c) }) };
    } catch (err) {
      if (err instanceof MixedModelsError) return null;
      throw err;
    }
  };
}

/** The refits' start in beta and the scale of its coordinates (the fit's, on the columns refitted). */
interface Start {
  beta: ArrayLike<number>;
  se: ArrayLike<number>;
}

function refit(frame: ModelFrame, fit: GlmmFit, family: ReturnType<typeof makeFamily>, start: Start): GlmmRefit | null {
  const prob = glmmProblem(frame, family);
  const nt = prob.ntheta, p = prob.p, nAGQ = fit.nAGQ;
  const phi0 = Float64Array.from(fit.theta, (t, e) => t * prob.thetaScale[e]);
  const unit = Math.max(0, ...Array.from(phi0, (t, e) => (prob.map.lower[e] === 0 ? Math.abs(t) : 0))) || 1;
  const ts = phi0.map((t) => Math.max(Math.abs(t), 0.1 * unit));
  const bs = Float64Array.from(start.se, (s) => (s > 0 && Number.isFinite(s) ? s : 1));
  const theta = new Float64Array(nt), beta = new Float64Array(p);
  const withBeta = nAGQ > 0;
  const f = (x: ArrayLike<number>): number => {
    for (let e = 0; e < nt; e++) theta[e] = Math.max(prob.map.lower[e], phi0[e] + ts[e] * x[e]);
    if (!withBeta) return prob.devfun0(theta);
    for (let j = 0; j < p; j++) beta[j] = start.beta[j] + bs[j] * x[nt + j];
    return prob.devfun(theta, beta, nAGQ);
  };
  const n = withBeta ? nt + p : nt;
  const x0 = new Float64Array(n);
  if (!Number.isFinite(f(x0))) return null;
  const lower = Float64Array.from({ length: n }, (_, e) => (e < nt ? (prob.map.lower[e] - phi0[e]) / ts[e] : -Infinity));
  const upper = new Float64Array(n).fill(Infinity);
  const { summary, result } = runOptimizer('bobyqa', f, x0, lower, upper, { rhobeg: RHOBEG, rhoend: RHOEND, maxEval: MAX_EVAL });
  const criterion = f(result.x);
  if (!Number.isFinite(criterion)) return null;
  const out = finishGlmm(prob, {
    nAGQ,
    theta: theta.slice(),
    beta: withBeta ? beta.slice() : prob.engine.beta.slice(),
    criterion,
    vcov: new Float64Array(p * p).fill(NaN),
    optsummary: { stages: [], pirlsRuns: prob.evaluations(), derivatives: null, vcovSource: 'hessian', seconds: 0 },
    diagnostics: [],
  });
  return { fit: out, warning: !summary.converged || !out.converged };
}
