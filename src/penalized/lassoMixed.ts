/**
 * L1-penalised linear and generalized linear mixed models (lmmlasso,
 * Schelldorfer, Buehlmann and van de Geer 2011; glmmLasso, Groll and Tutz
 * 2014): the fixed effects beta and covariance parameters theta maximise
 *
 *   logLik(beta, theta) - lambda sum_j w_j |beta_j|,
 *
 * logLik the ML log-likelihood of lmer (sigma profiled) or glmer's Laplace
 * approximation; w_j = sd(x_j) (the penalty is on standardised coefficients,
 * as lmmlasso's default; 1 with `standardize: false`), w_j = 0 for the
 * intercept and the terms named in `unpenalized`.
 *
 * Algorithm: for fixed theta the criterion is minimised over beta exactly
 * (lmmCriterion.ts, glmmCriterion.ts); theta by BOBYQA over that profile,
 * warm-started from the previous lambda. Path: lambda_max is the largest
 * |d logLik / d beta_j| / w_j at the ML fit with every penalised coefficient
 * at zero (so that fit is the path's first point), then nlambda values down
 * to lambda_max * lambdaMinRatio, geometrically; lambda is chosen by BIC,
 * -2 logLik + log(n) (nonzero coefficients + covariance parameters
 * (+ sigma)), as lmmlasso. A single lambda = 0 is the ML fit of lmer/glmer.
 */
import { toTable } from '../data/table.js';
import type { DataTable } from '../data/types.js';
import { MixedModelsError } from '../errors.js';
import { expandFormula, parseFormula } from '../formula/index.js';
import { modelFrame } from '../frame/modelFrame.js';
import type { ModelFrame } from '../frame/types.js';
import { makeFamily } from '../glm/family.js';
import { fitGlmm } from '../glmm/glmer.js';
import { glmmProblem, type GlmmProblem } from '../glmm/problem.js';
import { fitLmm } from '../lmm/lmer.js';
import { lmmProblem, type LmmProblem } from '../lmm/problem.js';
import { allocateLambda, setLambda } from '../lmm/lambda.js';
import { varCorr, type VarCorr } from '../lmm/varCorr.js';
import { runOptimizer } from '../optim/optsummary.js';
import { glmmCriterion, laplaceDerivative } from './glmmCriterion.js';
import { lmmCriterion, unshiftedL, type CriterionValue } from './lmmCriterion.js';

/**
 * The options of `lassoMixed`: family, lambda or the number of lambdas, penalty factors, standardisation, and the fit options.
 */
export interface LassoMixedOptions {
  /** gaussian (default; an LMM), binomial or poisson (a GLMM). */
  family?: string;
  link?: string;
  weights?: string | ArrayLike<number>;
  factors?: readonly string[];
  /** Penalty values (default: a path from lambda_max). */
  lambda?: readonly number[];
  /** Length of the path (default 20). */
  nlambda?: number;
  /** Smallest lambda of the path over lambda_max (default 1e-3). */
  lambdaMinRatio?: number;
  /** Penalise standardised coefficients (default true). */
  standardize?: boolean;
  /** Only 1 (Laplace) is available for penalised GLMMs; with lambda = 0 any nAGQ of glmer. */
  nAGQ?: number;
  /** Design columns or term labels left unpenalised (the intercept always is). */
  unpenalized?: readonly string[];
}

/** One lambda of the path. */
export interface LassoMixedPoint {
  readonly lambda: number;
  readonly beta: Float64Array;
  readonly theta: Float64Array;
  /** Residual sd (LMM), 1 for binomial/poisson. */
  readonly sigma: number;
  /** ML (Laplace) log-likelihood at the penalised estimates. */
  readonly logLik: number;
  /** Parameters counted by BIC: nonzero coefficients, theta (and sigma). */
  readonly df: number;
  readonly bic: number;
  readonly converged: boolean;
}

/**
 * `lassoMixed`'s result: the mixed model at the chosen lambda (coefficients with exact zeros), the path and the selection.
 */
export interface LassoMixedModel {
  readonly kind: 'lassoMixed';
  /** The unpenalised model kind: lmm or glmm. */
  readonly base: 'lmm' | 'glmm';
  readonly formula: string;
  readonly family: string;
  readonly link: string;
  readonly frame: ModelFrame;
  /** Per coefficient: its penalty weight w_j (0 unpenalised). */
  readonly weights: Float64Array;
  readonly path: readonly LassoMixedPoint[];
  /** Index of the chosen point, and how it was chosen. */
  readonly selected: number;
  readonly criterion: 'BIC' | 'given';
  readonly varCorr: VarCorr;
  readonly ngrps: Readonly<Record<string, number>>;
  readonly messages: readonly string[];
}

const DEFAULT_NLAMBDA = 20;
const DEFAULT_RATIO = 1e-3;
const RHOBEG = 0.2;
const RHOEND = 1e-7;

/** A penalised mixed model's criterion at theta, minimised over beta in place. */
interface Profile {
  p: number;
  ntheta: number;
  theta0: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  at(theta: ArrayLike<number>, l1: Float64Array, beta: Float64Array): CriterionValue;
  /** Gradient of -logLik in beta at (theta, beta). */
  gradient(theta: ArrayLike<number>, beta: Float64Array): Float64Array;
  varCorr(theta: ArrayLike<number>, sigma: number): VarCorr;
  ngrps: Record<string, number>;
  /** Parameters beyond beta and theta counted by BIC (sigma for an LMM). */
  extra: number;
}

function lmmProfile(frame: ModelFrame): Profile {
  const prob: LmmProblem = lmmProblem(frame, { REML: false });
  const n = frame.nobs, p = frame.p;
  return {
    p,
    ntheta: prob.map.ntheta,
    theta0: prob.theta0,
    lower: prob.lower,
    upper: prob.upper,
    at: (theta, l1, beta) => lmmCriterion(prob, theta, l1, beta),
    gradient(theta, beta) {
      prob.evaluate(theta);
      const { xx, P } = prob.L;
      const l = unshiftedL(prob);
      const e = new Float64Array(p);
      let r2 = xx[p + p * P] ** 2;
      for (let k = 0; k < p; k++) {
        let s = -l[k];
        for (let a = k; a < p; a++) s += xx[a + k * P] * beta[a];
        e[k] = s;
        r2 += s * s;
      }
      return Float64Array.from({ length: p }, (_, a) => {
        let s = 0;
        for (let k = 0; k <= a; k++) s += xx[a + k * P] * e[k];
        return (n * s) / r2;
      });
    },
    varCorr: (theta, sigma) => {
      prob.evaluate(theta);
      return varCorr(prob.factors, prob.lambda, sigma);
    },
    ngrps: Object.fromEntries(prob.factors.map((f) => [f.group, f.nl])),
    extra: 1,
  };
}

function glmmProfile(frame: ModelFrame, family: string, link: string | undefined): Profile {
  // The user's random-effects columns (no scale-free theta): the profile's theta and varCorr are in the user's units.
  const prob: GlmmProblem = glmmProblem(frame, makeFamily(family, link), { scale: false });
  const d = laplaceDerivative(prob);
  const p = prob.p;
  return {
    p,
    ntheta: prob.ntheta,
    theta0: prob.map.theta0,
    lower: prob.map.lower,
    upper: prob.map.upper,
    at: (theta, l1, beta) => glmmCriterion(prob, d, theta, l1, beta),
    gradient(theta, beta) {
      const h = 1e-5;
      return Float64Array.from({ length: p }, (_, j) => {
        const b = beta.slice();
        b[j] += h;
        const up = prob.devfun(theta, b, 1);
        b[j] -= 2 * h;
        const down = prob.devfun(theta, b, 1);
        return (up - down) / (4 * h);
      });
    },
    varCorr: (theta) => {
      const lambda = allocateLambda(prob.factors);
      setLambda(prob.map, theta, lambda);
      return varCorr(prob.factors, lambda, 1);
    },
    ngrps: Object.fromEntries(prob.factors.map((f) => [f.group, f.nl])),
    extra: 0,
  };
}

/** theta by BOBYQA on the profile at one lambda, from (theta, beta); beta receives the minimiser. */
function fitAt(prof: Profile, l1: Float64Array, theta: Float64Array, beta: Float64Array) {
  const work = beta.slice();
  const f = (th: Float64Array) => prof.at(th, l1, work).objective;
  const { result } = runOptimizer('bobyqa', f, theta, prof.lower, prof.upper, { rhobeg: RHOBEG, rhoend: RHOEND, maxEval: 5000 });
  const th = Float64Array.from(result.x);
  const value = prof.at(th, l1, work);
  beta.set(work);
  return { theta: th, value, converged: result.converged && Number.isFinite(value.objective) };
}

function sd(x: Float64Array, n: number, j: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) m += x[j * n + i];
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[j * n + i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
}

/** w_j: sd of the column (or 1), 0 for the intercept and the unpenalised terms. */
function penaltyWeights(frame: ModelFrame, o: LassoMixedOptions): Float64Array {
  const labels = frame.formula.fixed.terms.map((t) => t.label);
  const free = new Set(o.unpenalized ?? []);
  for (const name of free) {
    if (!frame.colnames.includes(name) && !labels.includes(name)) throw new MixedModelsError(`'${name}' names no fixed-effect column or term (${frame.colnames.join(', ')})`);
  }
  return Float64Array.from(frame.colnames, (name, j) => {
    const term = frame.assign[j] === 0 ? '(Intercept)' : labels[frame.assign[j] - 1];
    if (frame.assign[j] === 0 || free.has(name) || free.has(term)) return 0;
    const w = o.standardize === false ? 1 : sd(frame.X, frame.nobs, j);
    if (!(w > 0)) throw new MixedModelsError(`column '${name}' is constant: it cannot be penalised`);
    return w;
  });
}

function pointOf(prof: Profile, lambda: number, fit: ReturnType<typeof fitAt>, beta: Float64Array, n: number): LassoMixedPoint {
  let nonzero = 0;
  beta.forEach((b) => b !== 0 && nonzero++);
  const df = nonzero + prof.ntheta + prof.extra;
  const logLik = fit.value.logLik;
  return { lambda, beta: beta.slice(), theta: fit.theta, sigma: Math.sqrt(fit.value.sigma2), logLik, df, bic: -2 * logLik + Math.log(n) * df, converged: fit.converged };
}

/**
 * L1-penalised linear or generalized linear mixed model (as lmmlasso/glmmLasso): a path of lambdas with the covariance parameters profiled, lambda chosen by BIC.
 * @example
 * ```ts
 * const sparse = lassoMixed('y ~ x1 + x2 + x3 + (1 | g)', data, { factors: ['g'] });
 * sparse.selected.lambda;
 * ```
 */
export function lassoMixed(formula: string, data: unknown, options: LassoMixedOptions = {}): LassoMixedModel {
  const table: DataTable = toTable(data, { factors: options.factors });
  const family = options.family ?? 'gaussian';
  if (!['gaussian', 'binomial', 'poisson'].includes(family)) throw new MixedModelsError(`penalised mixed models support the gaussian, binomial and poisson families, not '${family}'`);
  const gaussian = family === 'gaussian';
  if (gaussian && options.link !== undefined && options.link !== 'identity') throw new MixedModelsError('a penalised gaussian mixed model uses the identity link');
  const expanded = expandFormula(parseFormula(formula), table.names);
  if (expanded.random.length === 0) throw new MixedModelsError('a penalised mixed model needs a random-effects term such as (1 | group); without one the elastic net (glmnet) applies');
  const frame = modelFrame(expanded, table, { weights: options.weights, family, factors: options.factors });
  const lambdas = options.lambda;
  if (lambdas !== undefined && lambdas.length === 1 && lambdas[0] === 0) return mlFit(formula, frame, family, options);
  if (!gaussian && (options.nAGQ ?? 1) !== 1) throw new MixedModelsError('a penalised GLMM uses the Laplace approximation (nAGQ = 1); other nAGQ values are available with --lambda 0');
  const w = penaltyWeights(frame, options);
  if (!w.some((v) => v > 0)) throw new MixedModelsError('no fixed effect is penalised: the formula has only the intercept (and unpenalised terms)');
  const prof = gaussian ? lmmProfile(frame) : glmmProfile(frame, family, options.link);
  const n = frame.nobs, p = frame.p;
  const beta = new Float64Array(p);
  let theta = prof.theta0.slice();
  const messages: string[] = [...frame.messages];
  const path: LassoMixedPoint[] = [];
  const l1Of = (lambda: number) => w.map((wj) => lambda * wj);
  let sequence: number[];
  if (lambdas === undefined) {
    const nullFit = fitAt(prof, w.map((wj) => (wj > 0 ? Infinity : 0)), theta, beta);
    theta = nullFit.theta;
    const g = prof.gradient(theta, beta);
    let lmax = 0;
    w.forEach((wj, j) => wj > 0 && (lmax = Math.max(lmax, Math.abs(g[j]) / wj)));
    const nl = options.nlambda ?? DEFAULT_NLAMBDA, ratio = options.lambdaMinRatio ?? DEFAULT_RATIO;
    sequence = Array.from({ length: nl }, (_, k) => lmax * Math.pow(ratio, nl === 1 ? 0 : k / (nl - 1)));
    path.push(pointOf(prof, sequence[0], nullFit, beta, n));
    sequence = sequence.slice(1);
  } else sequence = [...lambdas].sort((a, b) => b - a);
  for (const lambda of sequence) {
    const fit = fitAt(prof, l1Of(lambda), theta, beta);
    theta = fit.theta;
    path.push(pointOf(prof, lambda, fit, beta, n));
  }
  const unconverged = path.filter((pt) => !pt.converged).length;
  if (unconverged > 0) messages.push(`the optimiser did not converge at ${unconverged} of ${path.length} lambda values`);
  const selected = path.length === 1 ? 0 : path.reduce((best, pt, k) => (pt.bic < path[best].bic ? k : best), 0);
  const chosen = path[selected];
  return {
    kind: 'lassoMixed',
    base: gaussian ? 'lmm' : 'glmm',
    formula,
    family,
    link: gaussian ? 'identity' : makeFamily(family, options.link).link.name,
    frame,
    weights: w,
    path,
    selected,
    criterion: path.length === 1 ? 'given' : 'BIC',
    varCorr: prof.varCorr(chosen.theta, chosen.sigma),
    ngrps: prof.ngrps,
    messages,
  };
}

/** lambda = 0: the ML fit of lmer (REML = FALSE) or glmer, as one path point. */
function mlFit(formula: string, frame: ModelFrame, family: string, o: LassoMixedOptions): LassoMixedModel {
  const weights = penaltyWeights(frame, o);
  if (family === 'gaussian') {
    const fit = fitLmm(frame, { REML: false });
    const df = fit.p + fit.theta.length + 1;
    const point = { lambda: 0, beta: fit.beta, theta: fit.theta, sigma: fit.sigma, logLik: fit.logLik, df, bic: -2 * fit.logLik + Math.log(frame.nobs) * df, converged: fit.optsummary?.converged ?? true };
    return { kind: 'lassoMixed', base: 'lmm', formula, family, link: 'identity', frame, weights, path: [point], selected: 0, criterion: 'given', varCorr: fit.varCorr, ngrps: fit.ngrps, messages: [...frame.messages, ...fit.messages] };
  }
  const fit = fitGlmm(frame, { family, link: o.link, nAGQ: o.nAGQ });
  const df = fit.p + fit.theta.length;
  const point = { lambda: 0, beta: fit.beta, theta: fit.theta, sigma: fit.sigma, logLik: fit.logLik, df, bic: -2 * fit.logLik + Math.log(frame.nobs) * df, converged: fit.converged };
  return { kind: 'lassoMixed', base: 'glmm', formula, family, link: fit.link, frame, weights, path: [point], selected: 0, criterion: 'given', varCorr: fit.varCorr, ngrps: fit.ngrps, messages: [...frame.messages, ...fit.messages] };
}
