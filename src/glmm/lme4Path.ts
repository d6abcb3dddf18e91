/**
 * lme4's optimiser path for glmer with nAGQ = 1 (lme4 1.1-31: glmer,
 * optimizeGlmer, optwrap, with the default glmerControl), emulated on a
 * problem built on the user's columns (thetaScale 1), so that the estimates
 * are lme4's, not merely the optimum of lme4's criterion.
 * lme4's default stage 2 stops at Nelder-Mead's x tolerance (xt = 1e-5 in
 * theta), some 1e-5 short of the optimum; only the same path from the same
 * start ends at the same point.
 *
 * - Start (mkGlmerDevfun): PIRLS over (u, beta) at theta0 (1 on the diagonal,
 *   0 below), from eta = offset + g(mustart), lme4's way (runLme4: full
 *   steps, stopped at a relative change of 1e-7 in pdev); its linear predictor
 *   is lp0.
 * - Stage 1: minqa's bobyqa over theta on the nAGQ = 0 criterion, each
 *   evaluation restarting PIRLS from lp0 (problem.ts devfun0Lme4); minqa's
 *   defaults as optwrap passes them: npt = n + 2, rhobeg = min(0.95, 0.2
 *   max|theta0|) = 0.2, rhoend = 1e-6 rhobeg, lower bounds from Lambda.
 * - optwrap then evaluates once more at the optimum: that PIRLS run leaves
 *   lme4's state for stage 2 (updateGlmerDevfun, getStart): lp0 its linear
 *   predictor, beta its fixed effects, and sqrt(diag(RX'RX)^-1) from the
 *   factor its last step was solved with (pp$unsc()).
 * - Stage 2: lme4's Nelder-Mead (optim/lme4NelderMead.ts) over (theta, beta)
 *   on the Laplace criterion evaluated as lme4's (problem.ts devfun with lp0),
 *   xst = 0.2 (0.1 per theta, min(sd(beta_j), 10) per beta), xt = 5e-4 xst,
 *   maxfun 10000, lower bounds for theta only.
 * - check.boundary (boundary.tol = 1e-5): a theta within (0, 1e-5) of its
 *   lower bound goes onto it when that lowers the criterion below the
 *   Nelder-Mead optimum.
 *
 * Aggregated rows (aggregate.ts: canonical links, rows sharing group and
 * covariates) take the same path: the start's PIRLS runs on the user's rows
 * (their mustart differ within a pattern), and its linear predictor, like
 * every later one, is the same for the rows of a pattern. The working
 * weights and residuals add up, so PIRLS steps, log det and L_X are the
 * user rows'; the conditional deviance differs by a constant C (the user
 * rows' minus the aggregated rows'), which only PIRLS's relative stopping
 * test sees: it is given C (problem.lme4DevShift). The criterion's values
 * are the aggregated problem's (a constant apart from lme4's).
 */
import type { OptSummary } from '../optim/optsummary.js';
import { bobyqa } from '../optim/bobyqa.js';
import { nelderMeadLme4 } from '../optim/lme4NelderMead.js';
import { glmmProblem, type GlmmProblem } from './problem.js';
import { startingMu } from './start.js';
import { inverseFromFactor } from './vcov.js';

/** glmerControl's boundary.tol. */
const BOUNDARY_TOL = 1e-5;

export interface Lme4Stage1 {
  summary: OptSummary;
  theta: Float64Array;
  beta: Float64Array;
  fx: number;
  /** Stage 2's linear predictor lp0 (offset excluded). */
  lp0: Float64Array;
  /** sqrt(diag(RX'RX)^-1) at the stage-1 optimum: the scale of stage 2's initial simplex. */
  betaSD: Float64Array;
}

export interface Lme4Stage2 {
  summary: OptSummary;
  theta: Float64Array;
  beta: Float64Array;
  fx: number;
}

/** True when the problem is on the user's columns (thetaScale 1), as the emulation needs. */
export function onUserScale(prob: GlmmProblem): boolean {
  return prob.thetaScale.every((s) => s === 1);
}

/**
 * lme4's start: PIRLS over (u, beta) at theta0 from eta = offset + g(mustart)
 * on the user's rows; its linear predictor (offset excluded) on the problem's
 * rows, or null when that PIRLS fails. On aggregated rows it also sets
 * prob.lme4DevShift (module comment).
 */
function lme4Start(prob: GlmmProblem, theta0: Float64Array): Float64Array | null {
  const rows = prob.index === null ? prob : glmmProblem(prob.userFrame, prob.family, { aggregate: false, scale: false });
  const { link } = prob.family;
  const init = rows.engine.runLme4(theta0, null, startingMu(rows.resp).map((m) => link.linkfun(m)), 1e-7);
  if (!init.converged || !Number.isFinite(init.dev)) return null;
  const lpUser = linearPredictor(rows);
  if (prob.index === null) return lpUser;
  const lp0 = new Float64Array(prob.resp.n);
  prob.index.forEach((g, i) => (lp0[g] = lpUser[i]));
  const deviance = (r: GlmmProblem['resp'], lp: Float64Array) => {
    let d = 0;
    for (let i = 0; i < r.n; i++) d += r.family.devResid(r.y[i], link.linkinv(lp[i] + r.offset[i]), r.pw[i]);
    return d;
  };
  prob.lme4DevShift = deviance(rows.resp, lpUser) - deviance(prob.resp, lp0);
  return lp0;
}

/**
 * lme4's start and stage 1 (module comment); null when lme4's PIRLS fails at
 * the start or at the stage-1 optimum (lme4 stops with an error there).
 */
export function lme4Stage1(prob: GlmmProblem, maxEval: number): Lme4Stage1 | null {
  const started = performance.now();
  const { engine, map } = prob;
  const theta0 = map.theta0.slice();
  const lp0 = lme4Start(prob, theta0);
  if (lp0 === null) return null;
  const n = theta0.length;
  const rhobeg = Math.min(0.95, 0.2 * Math.max(...Array.from(theta0, Math.abs)));
  const f = (th: Float64Array) => prob.devfun0Lme4(th, lp0);
  const opt = bobyqa(f, theta0, { lower: map.lower, rhobeg, rhoend: 1e-6 * rhobeg, npt: n + 2, maxEval });
  const theta = opt.x.slice();
  const fx = f(theta);
  const last = prob.last;
  if (!Number.isFinite(fx) || last?.fixedFactor === undefined) return null;
  const p = prob.p, unsc = inverseFromFactor(p, last.fixedFactor);
  const summary: OptSummary = {
    optimizer: 'bobyqa', initial: Array.from(theta0), final: Array.from(theta), fmin: opt.fx, evaluations: opt.evaluations + 2,
    seconds: (performance.now() - started) / 1000, converged: opt.converged, messages: [opt.message],
  };
  return {
    summary, theta, beta: engine.beta.slice(), fx, lp0: linearPredictor(prob),
    betaSD: Float64Array.from({ length: p }, (_, j) => Math.sqrt(unsc[j * (p + 1)])),
  };
}

/** The engine's linear predictor without the offset. */
function linearPredictor(prob: GlmmProblem): Float64Array {
  const off = prob.resp.offset;
  return prob.engine.eta.map((e, i) => e - off[i]);
}

/** lme4's stage 2 from stage 1 (module comment); sets prob.lp0. */
export function lme4Stage2(prob: GlmmProblem, s1: Lme4Stage1, maxEval: number): Lme4Stage2 {
  const started = performance.now();
  const nt = prob.ntheta, p = prob.p;
  prob.lp0 = s1.lp0;
  const f = (x: Float64Array) => prob.devfun(x.subarray(0, nt), x.subarray(nt), 1);
  const x0 = new Float64Array(nt + p);
  x0.set(s1.theta);
  x0.set(s1.beta, nt);
  const lower = Float64Array.from({ length: nt + p }, (_, e) => (e < nt ? prob.map.lower[e] : -Infinity));
  const xst = Float64Array.from({ length: nt + p }, (_, e) => 0.2 * (e < nt ? 0.1 : Math.min(s1.betaSD[e - nt], 10)));
  const opt = nelderMeadLme4(f, x0, { lower, xst, xt: xst.map((s) => s * 5e-4), maxEval });
  const par = opt.x.slice();
  let evaluations = opt.evaluations;
  // check.boundary: each near-bound theta tried on its bound, against the Nelder-Mead optimum.
  const near = Array.from({ length: nt }, (_, e) => e).filter((e) => {
    const d = par[e] - lower[e];
    return d > 0 && d < BOUNDARY_TOL;
  });
  for (const e of near) {
    const trial = par.slice();
    trial[e] = lower[e];
    evaluations++;
    if (f(trial) < opt.fx) par[e] = lower[e];
  }
  const fx = near.length > 0 ? (evaluations++, f(par)) : opt.fx;
  const summary: OptSummary = {
    optimizer: 'neldermead', initial: Array.from(x0), final: Array.from(par), fmin: fx, evaluations,
    seconds: (performance.now() - started) / 1000, converged: opt.converged, messages: [opt.message],
  };
  return { summary, theta: par.slice(0, nt), beta: par.slice(nt), fx };
}
