/**
 * Generalized linear models (R's glm, summary.glm, logLik.glm).
 *
 * Response forms (already numeric in the frame): 0/1 or a two-level factor
 * (y in {0, 1}), a proportion with prior weights, and cbind(s, f) (y = s / (s + f),
 * trials = s + f; prior weights = trials x user weights). Fitted by IRLS (irls.ts)
 * from R's mustart; when its first step leaves the valid region (where R's glm
 * stops), halved back towards the intercept-only start instead.
 *
 * With r = rank, m = rows with positive prior weight, W the working weights:
 *   dispersion phi = 1 (binomial, poisson) or sum W (y - mu)^2 / g'(eta)^2 / (m - r),
 *   vcov(b) = phi (X'WX)^-1, tests z (phi fixed) or t on m - r df (phi estimated),
 *   AIC = family aic + 2 r, logLik = k - AIC / 2 with k = r (+1 when phi is estimated),
 *   BIC = -2 logLik + k log n (n every fitted row, weight 0 too: R's logLik.glm nobs), null deviance
 *   from the intercept-only fit (or mu = g^-1(offset)).
 *
 * Negative binomial: with options.nbTheta, the GLM of negative.binomial(theta)
 * (theta known, not counted); without, MASS's glm.nb (glmNb.ts): theta by
 * maximum likelihood alternating with IRLS, logLik = sum w log P(y) at theta
 * with k = r + 1, z tests with dispersion 1.
 */
import { diagnose, diagnostic, diagnostics, type Diagnosed, type Diagnostic } from '../diagnostics.js';
import { MixedModelsError, expectArgument } from '../errors.js';
import type { ModelFrame } from '../frame/types.js';
import { pnormTwoSided } from '../distributions/normal.js';
import { ptTwoSided } from '../distributions/t.js';
import type { Coefficient } from '../lm/coefficient.js';
import { makeFamily, resolveFamilyLink, type Family, type FamilyName } from './family.js';
import { glmNbTheta } from './glmNb.js';
import { constantStart, deviance, irls, type IrlsProblem, type IrlsResult } from './irls.js';
import { overdispersionNote } from './negativeBinomial.js';
import type { LinkName } from './link.js';
import { detectSeparation, separationMessage } from './separation.js';

export interface GlmOptions {
  /** `gaussian`, `binomial`, `poisson`, `Gamma` (or `gamma`), `inverse.gaussian`. */
  family: string;
  /** Default: the family's canonical link. */
  link?: string;
  /** Default 25 (R's glm.control). */
  maxIter?: number;
  /** Default 1e-8 (R's glm.control). */
  epsilon?: number;
  /** Negative binomial only: theta, held fixed; absent: estimated (MASS's glm.nb). */
  nbTheta?: number;
}

/**
 * A fitted GLM: plain, immutable data. `converged` is false when IRLS did not
 * converge, stopped on a boundary value, or the data are separated (then the
 * maximum-likelihood estimates do not exist: R's glm says converged).
 */
export interface GlmFit extends Diagnosed {
  readonly family: FamilyName;
  readonly link: LinkName;
  /** Estimable coefficients in column order; t tests (df = dfResidual) or z tests (df null). */
  readonly coefficients: readonly Coefficient[];
  /** Columns without an estimate: the frame's aliased columns, then those the QR found. */
  readonly aliased: readonly string[];
  readonly rank: number;
  /** Rows with positive prior weight. */
  readonly nobs: number;
  readonly dispersion: number;
  readonly estimatedDispersion: boolean;
  readonly deviance: number;
  readonly nullDeviance: number;
  readonly dfResidual: number;
  readonly dfNull: number;
  readonly AIC: number;
  readonly logLik: number;
  /** Number of parameters in logLik. */
  readonly df: number;
  readonly BIC: number;
  readonly iterations: number;
  /** Fitted means mu. */
  readonly fitted: Float64Array;
  readonly linearPredictor: Float64Array;
  /** Deviance residuals sign(y - mu) sqrt(d_i). */
  readonly residuals: Float64Array;
  /** Prior weights used (binomial cbind: trials times user weights). */
  readonly priorWeights: Float64Array;
  /** dispersion (X'WX)^-1, rank x rank column-major, in the order of `coefficients`. */
  readonly vcov: Float64Array;
  /** Negative binomial: theta (given, or estimated as glm.nb). */
  readonly nbTheta?: number;
  /** Negative binomial with theta estimated: its standard error (MASS's SE.theta). */
  readonly nbThetaSE?: number;
}

/** Fits the GLM of a model frame. */
export function glmFit(frame: ModelFrame, options: GlmOptions): GlmFit {
  expectArgument('glmFit', 'frame', frame, { object: 'a model frame (from modelFrame or buildFrame)', keys: ['X', 'y', 'reTerms'] });
  expectArgument('glmFit', 'options', options, { object: "an object of options with the family's name", keys: ['family'] });
  const resolved = resolveFamilyLink(options.family, options.link);
  const maxIter = options.maxIter ?? 25;
  const epsilon = options.epsilon ?? 1e-8;
  if (!(Number.isInteger(maxIter) && maxIter >= 1)) throw new MixedModelsError('maxIter must be a positive integer');
  if (!(epsilon > 0)) throw new MixedModelsError('epsilon must be positive');
  if (resolved.family === 'negative.binomial' && options.nbTheta === undefined) return glmNbFit(frame, resolved.link, maxIter, epsilon);
  const family = makeFamily(options.family, options.link, options.nbTheta);
  const { prob, binomialSize, trials, warnings } = setUp(frame, family, maxIter, epsilon);
  const mustart = prob.y.map((y, i) => family.initMu(y, binomialSize[i]));
  const intercept = frame.formula.fixed.intercept;
  const res = irls(prob, mustart, intercept ? constantStart(prob, 0) : null);
  return summarise(frame, family, prob, res, trials, nullDeviance(prob, res, intercept, frame.offset !== null), intercept, warnings);
}

/** MASS's glm.nb: the Poisson GLM, then theta and the coefficients in turn (glmNb.ts). */
function glmNbFit(frame: ModelFrame, link: LinkName, maxIter: number, epsilon: number): GlmFit {
  const { prob, trials, warnings } = setUp(frame, makeFamily('poisson', link), maxIter, epsilon);
  const intercept = frame.formula.fixed.intercept;
  const poisson = irls(prob, prob.y.map((y) => prob.family.initMu(y, 1)), intercept ? constantStart(prob, 0) : null);
  const nb = glmNbTheta(prob, poisson, link);
  if (!(nb.theta > 0 && Number.isFinite(nb.theta))) {
    throw new MixedModelsError(
      `the negative binomial theta cannot be estimated from the Poisson fit (theta.ml gives ${nb.theta}${nb.warnings.length ? `: ${nb.warnings.join('; ')}` : ''}): ` +
        'the data show no overdispersion; fit the poisson family, or give theta (nbTheta, --nb-theta)',
    );
  }
  const nbProb = { ...prob, family: nb.family };
  // MASS: the null deviance of the last fit's family, or with an offset the intercept-only fit at the final theta.
  const nullDev = nullDeviance(frame.offset !== null ? { ...prob, family: makeFamily('negative.binomial', link, nb.theta) } : nbProb, nb.res, intercept, frame.offset !== null);
  const fit = summarise(frame, nb.family, nbProb, nb.res, trials, nullDev, intercept, warnings);
  const df = fit.rank + 1;
  const thetaDiagnostics = [
    ...diagnostics('convergence', nb.warnings.map((w) => `estimating the negative binomial theta: ${w}`)),
    ...diagnostics('note', overdispersionNote(nb.theta, nb.res.mu, prob.weights)),
  ];
  return {
    ...fit,
    AIC: -2 * nb.logLik + 2 * df,
    logLik: nb.logLik,
    df,
    BIC: -2 * nb.logLik + Math.log(prob.y.length) * df,
    nbTheta: nb.theta,
    nbThetaSE: nb.se,
    ...diagnose([...fit.diagnostics, ...thetaDiagnostics]),
  };
}

/**
 * The IRLS problem of a fitted GLM, its family at the fit's theta for the negative binomial
 * (held there, as MASS's profile of a glm.nb does), and glm's usual starting means: for
 * refits such as a profile's.
 */
export function refitProblem(frame: ModelFrame, fit: GlmFit, maxIter = 100, epsilon = 1e-10): { prob: IrlsProblem; mustart: Float64Array } {
  const { prob, binomialSize } = setUp(frame, makeFamily(fit.family, fit.link, fit.nbTheta), maxIter, epsilon);
  return { prob, mustart: prob.y.map((y, i) => prob.family.initMu(y, binomialSize[i])) };
}

/** Validates the frame and forms the IRLS problem (prior weights, offset, binomial sizes). */
function setUp(frame: ModelFrame, family: Family, maxIter: number, epsilon: number) {
  const { nobs: n, p, X, weights: userW, offset, trials } = frame;
  if (n === 0) throw new MixedModelsError('no observations to fit (0 rows after removing missing values)');
  if (X.length !== n * p || frame.y.length !== n) throw new MixedModelsError(`model frame sizes disagree: X has ${X.length} values for ${n} x ${p}`);
  if (trials !== null && family.name !== 'binomial') {
    throw new MixedModelsError(`a cbind(successes, failures) response needs the binomial family, not ${family.name}`);
  }
  if (userW !== null && !userW.every((v) => v >= 0 && Number.isFinite(v))) throw new MixedModelsError('weights must be finite and non-negative');
  if (offset !== null && !offset.every(Number.isFinite)) throw new MixedModelsError('the offset has non-finite values');
  const weights = Float64Array.from({ length: n }, (_, i) => (userW === null ? 1 : userW[i]) * (trials === null ? 1 : trials[i]));
  const isBinomial = family.name === 'binomial';
  const y = frame.y.map((v, i) => (isBinomial && (weights[i] === 0 || (trials !== null && trials[i] === 0)) ? 0 : v));
  if (!y.every((v, i) => weights[i] === 0 || Number.isFinite(v))) {
    throw new MixedModelsError(`the response ${frame.responseName} has non-finite values (NaN or Inf)`);
  }
  const binomialSize = trials ?? weights;
  const warnings = family.checkResponse(y, isBinomial ? binomialSize : weights);
  const prob: IrlsProblem = { X, n, p, y, weights, offset: offset ?? new Float64Array(n), family, maxIter, epsilon };
  return { prob, binomialSize, trials: trials ?? new Float64Array(n).fill(1), warnings };
}

/**
 * R's null deviance: with an intercept and an offset, the deviance of the
 * intercept-only fit (started at the full fit's mu); with an intercept only,
 * at the weighted mean of y; without an intercept, at mu = g^-1(offset).
 */
function nullDeviance(prob: IrlsProblem, res: IrlsResult, intercept: boolean, hasOffset: boolean): number {
  const { n, y, weights, offset, family } = prob;
  if (intercept && hasOffset) {
    return irls({ ...prob, X: new Float64Array(n).fill(1), p: 1 }, res.mu).deviance;
  }
  if (intercept) {
    let swy = 0;
    let sw = 0;
    for (let i = 0; i < n; i++) {
      swy += weights[i] * y[i];
      sw += weights[i];
    }
    return deviance(prob, new Float64Array(n).fill(swy / sw));
  }
  return deviance(prob, offset.map(family.link.linkinv));
}

function summarise(
  frame: ModelFrame,
  family: Family,
  prob: IrlsProblem,
  res: IrlsResult,
  trials: Float64Array,
  nullDev: number,
  intercept: boolean,
  warnings: string[],
): GlmFit {
  const { y, weights } = prob;
  const { wls } = res;
  const rank = wls.rank;
  const nobs = weights.reduce((s, w) => s + (w !== 0 ? 1 : 0), 0);
  const dfResidual = nobs - rank;
  const dispersion = family.estimatedDispersion ? pearsonDispersion(prob, res, dfResidual) : 1;
  const vcov = wls.unscaledCov().map((v) => v * dispersion);
  const kept = wls.pivot.slice(0, rank);
  const coefficients = Array.from(kept, (j, k): Coefficient => {
    const estimate = res.coef[j];
    const stdError = Math.sqrt(vcov[k * rank + k]);
    const statistic = estimate / stdError;
    return family.estimatedDispersion
      ? { term: frame.colnames[j], estimate, stdError, statistic, df: dfResidual, pValue: ptTwoSided(statistic, dfResidual) }
      : { term: frame.colnames[j], estimate, stdError, statistic, df: null, pValue: pnormTwoSided(statistic) };
  });
  const AIC = family.aic(y, trials, res.mu, weights, res.deviance) + 2 * rank;
  const df = rank + (family.estimatedDispersion ? 1 : 0);
  const logLik = df - AIC / 2;
  return {
    family: family.name,
    link: family.link.name,
    ...(family.theta === undefined ? {} : { nbTheta: family.theta }),
    coefficients,
    aliased: [...frame.aliased, ...wls.aliased().map((j) => frame.colnames[j])],
    rank,
    nobs,
    dispersion,
    estimatedDispersion: family.estimatedDispersion,
    deviance: res.deviance,
    nullDeviance: nullDev,
    dfResidual,
    dfNull: nobs - (intercept ? 1 : 0),
    AIC,
    logLik,
    df,
    // R's BIC(): log of logLik.glm's nobs, the rows with a residual (those of weight 0 too), not nobs(m).
    BIC: -2 * logLik + Math.log(y.length) * df,
    iterations: res.iterations,
    fitted: res.mu,
    linearPredictor: res.eta,
    residuals: y.map((v, i) => Math.sign(v - res.mu[i]) * Math.sqrt(Math.max(family.devResid(v, res.mu[i], weights[i]), 0))),
    priorWeights: weights,
    vcov,
    ...diagnose([...diagnostics('note', [...warnings, ...res.messages]), ...fitDiagnostics(frame, prob, res)]),
  };
}

/** sum W r^2 / df over rows with W > 0, r the working residual (y - mu) / g'(eta); NaN when df = 0. */
function pearsonDispersion(prob: IrlsProblem, res: IrlsResult, dfResidual: number): number {
  if (dfResidual <= 0) return NaN;
  const { y, family } = prob;
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const W = res.workingWeights[i];
    if (W > 0) {
      const r = (y[i] - res.mu[i]) / family.link.muEta(res.eta[i]);
      s += W * r * r;
    }
  }
  return s / dfResidual;
}

/** R's glm.fit warnings: non-convergence, a boundary value, separation (separation.ts). */
function fitDiagnostics(frame: ModelFrame, prob: IrlsProblem, res: IrlsResult): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!res.converged) out.push(diagnostic('convergence', `IRLS did not converge in ${res.iterations} iterations`));
  if (res.boundary) out.push(diagnostic('convergence', 'IRLS stopped at a boundary value (the last step was halved)'));
  const sep = detectSeparation(prob, res);
  if (sep !== null) out.push(diagnostic('separation', separationMessage(prob.family, sep, frame.colnames)));
  return out;
}
