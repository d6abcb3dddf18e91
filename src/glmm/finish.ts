/**
 * The fitted GLMM at the final (theta, beta) (lme4's mkMerMod for glmer):
 * PIRLS is run once more there, then everything is read from its state and
 * mapped back to the user's rows when rows were aggregated.
 *
 * The reported -2 log-likelihood is the criterion on the user's data (for
 * nAGQ > 1 the marginal likelihood by fine quadrature, not the nAGQ-point
 * rule's value): the value on the rows PIRLS saw plus the difference of the
 * conditional -2 log-likelihoods of the user's rows and of the fitted rows at
 * the same mu (zero without aggregation; for binomial and Poisson it does not
 * depend on mu).
 */
import { diagnose, diagnostic, diagnostics, type Diagnostic } from '../diagnostics.js';
import { pnormTwoSided } from '../distributions/normal.js';
import { MixedModelsError } from '../errors.js';
import type { Coefficient } from '../lm/coefficient.js';
import type { Family } from '../glm/family.js';
import { allocateLambda, setLambda } from '../lmm/lambda.js';
import type { RanefGroup } from '../lmm/types.js';
import { varCorr } from '../lmm/varCorr.js';
import { termPrecisionMessages } from '../lmm/conditioning/termPrecision.js';
import { ranefTable, termOrder } from '../lmm/finish.js';
import { columnsFromTheta, unscaleCovariances, unscaleEffects } from '../lmm/thetaScale.js';
import { boundaryFitMessages, dispersionNote, singularTerms, SINGULAR_TOL } from './checks.js';
import type { GlmmProblem } from './problem.js';
import { minus2LogLik } from './response.js';
import type { GlmmFit, GlmmOptSummary } from './types.js';

export interface FinishInput {
  nAGQ: number;
  theta: Float64Array;
  /** Ignored for nAGQ = 0 (beta comes from the joint PIRLS at theta). */
  beta: Float64Array;
  /** The criterion at (theta, beta) on the fitted rows, constants included. */
  criterion: number;
  /** For nAGQ > 1: the marginal -2 log-likelihood by fine quadrature (fitted rows, constants included). */
  marginal?: number;
  /** From the Hessian, or (optsummary.vcovSource 'pirls') (L_X L_X')^-1, to be scaled by sigma^2 here. */
  vcov: Float64Array;
  optsummary: GlmmOptSummary;
  /** Found while fitting (optimisers, checks); finish adds PIRLS, separation and singularity. */
  diagnostics: Diagnostic[];
}

function splitBlocks(prob: GlmmProblem, flat: Float64Array): Float64Array[] {
  let o = 0;
  return prob.factors.map((f) => {
    const part = flat.slice(o, o + f.nl * f.k);
    o += f.nl * f.k;
    return part;
  });
}

/** Values per fitted row, spread to the user's rows. */
function toUserRows(prob: GlmmProblem, v: Float64Array): Float64Array {
  const idx = prob.index;
  if (idx === null) return v.slice();
  // A loop: Float64Array.from(idx, f) calls f through the iterator protocol, about 0.3 us a row.
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = v[idx[i]];
  return out;
}

/** lme4's sigma for families with a dispersion: sqrt((sum W r^2 + |u|^2) / n). */
function dispersionSigma(prob: GlmmProblem): number {
  if (!prob.family.estimatedDispersion) return 1;
  const { W, wr } = prob.engine.rows;
  let s = 0;
  for (let i = 0; i < W.length; i++) if (W[i] > 0) s += (wr[i] * wr[i]) / W[i];
  for (const v of prob.engine.u) s += v * v;
  return Math.sqrt(s / prob.userFrame.nobs);
}

/** Wald z tests of beta (lme4's summary of a glmer fit). */
export function coefficientTable(names: readonly string[], beta: Float64Array, se: Float64Array): Coefficient[] {
  return Array.from(beta, (estimate, j) => {
    const statistic = estimate / se[j];
    return { term: names[j], estimate, stdError: se[j], statistic, df: null, pValue: pnormTwoSided(statistic) };
  });
}

/**
 * With nAGQ > 1 the log-likelihood is the marginal likelihood's (module
 * comment), comparable across nAGQ and with other models; lme4 reports its
 * quadrature criterion instead, which leaves out the saturated model's part
 * of the conditional density (`objective`, lme4's -2 logLik for nAGQ > 1), so
 * lme4's logLik and AIC differ from these by a constant of the data.
 */
function quadratureLogLikNote(family: Family, logLik: number, objective: number, npar: number, n: number): string {
  const r = (x: number) => x.toFixed(Math.abs(x) >= 1000 ? 1 : 3);
  if (family.estimatedDispersion) {
    // lme4's nAGQ > 1 fits of these families leave its own Laplace fit (Gamma(log): theta 0.649 at nAGQ = 1, 0.336 at nAGQ = 5,
    // logLik -463.7 and -54.2; gaussian(log) likewise), so no value of theirs can be quoted from these estimates.
    return `logLik ${r(logLik)}, AIC and BIC are those of this quadrature, which refines the Laplace fit (nAGQ = 1, lme4's criterion); ` +
      `lme4's nAGQ > 1 criterion for the ${family.name} family, with its dispersion parameter, is another one: its estimates, logLik and AIC ` +
      'can differ widely from these and from its own Laplace fit';
  }
  return `logLik ${r(logLik)}, AIC and BIC are the marginal likelihood's, comparable with nAGQ = 1 and other models; lme4's for nAGQ > 1 leave out the ` +
    `saturated model's part of the response's density: logLik ${r(-objective / 2)}, AIC ${r(objective + 2 * npar)}, BIC ${r(objective + npar * Math.log(n))}`;
}

export function finishGlmm(prob: GlmmProblem, input: FinishInput): GlmmFit {
  const { engine, userResp, userFrame, family } = prob;
  const { nAGQ, theta } = input;
  const res = engine.run(theta, nAGQ === 0 ? null : input.beta);
  if (!Number.isFinite(res.dev)) {
    throw new MixedModelsError(
      `PIRLS finds no conditional modes at the estimates inside the range of the ${family.link.name} link for the ${family.name} family ` +
        `(some groups' modes lie on its edge, as for groups of zero counts under the identity link); try another link`,
    );
  }
  const beta = engine.beta.slice();
  const muFit = engine.rows.mu.slice();
  // Read only from here on: the user's rows are the problem's when it did not aggregate them (one copy of 8 MB fewer for 1e6 rows).
  const fitted = prob.index === null ? muFit : toUserRows(prob, muFit);
  const linearPredictor = toUserRows(prob, engine.eta);
  const residuals = new Float64Array(userResp.n);
  let devUser = 0;
  for (let i = 0; i < userResp.n; i++) {
    const d = family.devResid(userResp.y[i], fitted[i], userResp.pw[i]);
    devUser += d;
    residuals[i] = Math.sign(userResp.y[i] - fitted[i]) * Math.sqrt(Math.max(d, 0));
  }
  const userM2 = minus2LogLik(userResp, fitted, devUser);
  const adjust = userM2 - minus2LogLik(prob.resp, muFit, res.dev);
  const minus2 = (input.marginal ?? input.criterion) + adjust;
  const objective = input.criterion + adjust - (nAGQ > 1 ? userM2 - devUser : 0);
  const sigma = dispersionSigma(prob);
  // The problem's theta is phi (glmm/problem.ts): report theta, b and their covariances in the user's units.
  const userTheta = theta.map((t, e) => t / prob.thetaScale[e]);
  const columns = columnsFromTheta(prob.factors, prob.map, prob.thetaScale);
  const lambda = allocateLambda(prob.factors);
  setLambda(prob.map, userTheta, lambda);
  const bBlocks = engine.effects(theta).map((b, j) => unscaleEffects(columns[j], b));
  const cv = engine.condVar(theta).map((v, j) => unscaleCovariances(columns[j], v.map((x) => x * sigma * sigma)));
  const groups: RanefGroup[] = prob.factors.map((f, j) => ({
    group: f.group,
    cnames: f.terms.flatMap((t) => t.cnames),
    levels: f.levels,
    k: f.k,
    values: bBlocks[j],
    condVar: cv[j],
  }));
  const p = prob.p;
  const vcov = input.optsummary.vcovSource === 'pirls' ? input.vcov.map((v) => v * sigma * sigma) : input.vcov;
  const se = Float64Array.from({ length: p }, (_, t) => Math.sqrt(vcov[t * (p + 1)]));
  const npar = prob.ntheta + p + (family.estimatedDispersion ? 1 : 0);
  const logLik = -minus2 / 2;
  const n = userFrame.nobs;
  return {
    kind: 'glmm',
    family: family.name,
    link: family.link.name,
    nAGQ,
    nobs: n,
    p,
    q: engine.q,
    coefnames: userFrame.colnames,
    beta,
    se,
    vcov,
    coefficients: coefficientTable(userFrame.colnames, beta, se),
    theta: userTheta,
    lower: prob.map.lower.slice(),
    sigma,
    u: termOrder(prob.factors, splitBlocks(prob, engine.u)),
    b: termOrder(prob.factors, bBlocks),
    ranef: groups,
    ranefTable: ranefTable(groups),
    varCorr: varCorr(prob.factors, lambda, sigma),
    fitted,
    linearPredictor,
    residuals,
    objective,
    logLik,
    npar,
    AIC: minus2 + 2 * npar,
    BIC: minus2 + npar * Math.log(n),
    deviance: devUser,
    ngrps: Object.fromEntries(prob.factors.map((f) => [f.group, f.nl])),
    isSingular: Array.from(theta).some((t, e) => prob.map.lower[e] === 0 && t < SINGULAR_TOL),
    nrowsFitted: prob.frame.nobs,
    optsummary: input.optsummary,
    ...(family.theta === undefined ? {} : { nbTheta: family.theta }),
    ...diagnose([
      ...input.diagnostics,
      ...(res.converged ? [] : [diagnostic('convergence', `PIRLS did not converge at the estimates (${res.iterations} iterations)`)]),
      ...diagnostics('separation', boundaryFitMessages(prob.resp, muFit)),
      ...diagnostics('singular', singularTerms(prob.factors, prob.map, theta)),
      ...diagnostics('approximation', [...dispersionNote(family), ...termPrecisionMessages(prob.userFrame)]),
      ...(nAGQ > 1 ? [diagnostic('note', quadratureLogLikNote(family, logLik, objective, npar, n))] : []),
    ]),
  };
}
