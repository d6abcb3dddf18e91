/**
 * Negative binomial GLMMs with theta estimated (lme4's glmer.nb, R/nbinom.R):
 *
 * 1. the Poisson GLMM with the same formula and link (lme4's g0);
 * 2. theta0 = theta.ml(y, fitted(g0), w) with limit 20 and eps 1e-4 (MASS's
 *    ML theta at the conditional means, glm/thetaMl.ts); where the Poisson
 *    GLMM or that estimate fails, glm.nb's theta of the fixed part instead;
 * 3. log theta by Brent's method (R's optimize, optim/brent.ts) on
 *    [log theta0 - 3, log theta0 + 3] to tolerance 5e-5, each evaluation a
 *    GLMM fit with negative.binomial(theta) and its -2 logLik (lme4's
 *    optTheta with refit);
 * 4. the fit at the optimum, with theta counted as a parameter (lme4's npar:
 *    df = ntheta + p + 1), so AIC and BIC gain 2 and log n.
 *
 * Diagnostics: an optimum at the edge of the interval ('convergence': the
 * likelihood's maximum may lie beyond it; at the upper edge typically none
 * exists, the data showing no overdispersion), a theta so large that the
 * model is a Poisson one (a note, glm/negativeBinomial.ts), and theta.ml's
 * warnings about the start (notes).
 */
import { diagnostic, diagnose, diagnostics, type Diagnostic } from '../diagnostics.js';
import { MixedModelsError } from '../errors.js';
import type { ModelFrame } from '../frame/types.js';
import { makeFamily, type Family } from '../glm/family.js';
import { glmFit } from '../glm/glm.js';
import type { LinkName } from '../glm/link.js';
import { overdispersionNote } from '../glm/negativeBinomial.js';
import { thetaMl } from '../glm/thetaMl.js';
import { brentMinimize } from '../optim/brent.js';
import type { GlmmFit } from './types.js';

/** lme4's glmer.nb: interval log(theta0) +- 3, tol 5e-5, est_theta's limit 20 and eps 2 tol. */
export const NB_INTERVAL = 3;
export const NB_TOL = 5e-5;
const START_LIMIT = 20;
const START_EPS = 1e-4;
/** An optimum closer than this to an end of the interval (in log theta) is on its edge. */
const EDGE = 1e-3;

/** Fits the GLMM with `family`; `checkLaplace` as GlmmOptions' (off while searching theta). */
export type FitWithFamily = (family: Family, checkLaplace: boolean) => GlmmFit;

/** Prior weights per row (ones without weights). */
function priorWeights(frame: ModelFrame): Float64Array {
  return frame.weights === null ? new Float64Array(frame.nobs).fill(1) : frame.weights;
}

/** theta0 from the Poisson GLMM's conditional means, or glm.nb's of the fixed part; the notes on the way. */
function startingTheta(frame: ModelFrame, link: LinkName, fitWith: FitWithFamily): { theta: number; notes: string[] } {
  const notes: string[] = [];
  try {
    const poisson = fitWith(makeFamily('poisson', link), false);
    const ml = thetaMl(frame.y, poisson.fitted, priorWeights(frame), START_LIMIT, START_EPS);
    if (ml.theta > 0 && Number.isFinite(ml.theta)) {
      notes.push(...ml.warnings.map((w) => `the starting negative binomial theta (theta.ml at the Poisson GLMM's means): ${w}`));
      return { theta: ml.theta, notes };
    }
    notes.push(`the Poisson GLMM's means give no starting theta (${ml.warnings.join('; ') || ml.theta}): started from glm.nb's theta of the fixed effects`);
  } catch (err) {
    if (!(err instanceof MixedModelsError)) throw err;
    notes.push(`the Poisson GLMM that starts theta failed (${err.message}): started from glm.nb's theta of the fixed effects`);
  }
  const fixed = glmFit({ ...frame, reTerms: [] }, { family: 'negative.binomial', link });
  return { theta: fixed.nbTheta!, notes };
}

/** lme4's glmer.nb around `fitWith` (module comment). */
export function glmerNb(frame: ModelFrame, link: LinkName, checkLaplace: boolean, fitWith: FitWithFamily): GlmmFit {
  const started = performance.now();
  const start = startingTheta(frame, link, fitWith);
  const lo = Math.log(start.theta) - NB_INTERVAL, hi = Math.log(start.theta) + NB_INTERVAL;
  const fits = new Map<number, GlmmFit>();
  let lastError: MixedModelsError | null = null;
  const objective = (t: number) => {
    try {
      const fit = fitWith(makeFamily('negative.binomial', link, Math.exp(t)), false);
      fits.set(t, fit);
      return -2 * fit.logLik;
    } catch (err) {
      if (!(err instanceof MixedModelsError)) throw err;
      lastError = err;
      return Infinity;
    }
  };
  const opt = brentMinimize(objective, lo, hi, NB_TOL);
  const best = fits.get(opt.x);
  if (best === undefined) throw lastError ?? new MixedModelsError('the negative binomial GLMM could not be fitted at any theta');
  const theta = Math.exp(opt.x);
  const fit = checkLaplace ? fitWith(makeFamily('negative.binomial', link, theta), true) : best;
  const edge = opt.x - lo < EDGE ? 'lower' : hi - opt.x < EDGE ? 'upper' : null;
  const found: Diagnostic[] = [
    ...diagnostics('note', start.notes),
    ...(edge === null ? [] : [diagnostic('convergence',
      `the negative binomial theta's optimisation stopped at the ${edge} end of its interval (theta from ${Math.exp(lo).toPrecision(4)} to ` +
        `${Math.exp(hi).toPrecision(4)}, the start ${start.theta.toPrecision(4)} times e^-3 to e^3): the maximum-likelihood theta lies beyond it` +
        (edge === 'upper' ? ', or does not exist when the data show no overdispersion (then fit the poisson family)' : ''))]),
    ...diagnostics('note', overdispersionNote(theta, fit.fitted, priorWeights(frame))),
  ];
  const stage = {
    optimizer: 'brent',
    initial: [start.theta],
    final: [theta],
    fmin: opt.fx,
    evaluations: opt.evaluations,
    seconds: (performance.now() - started) / 1000,
    converged: edge === null,
    messages: edge === null ? [] : ['optimum at the end of the interval'],
    parameters: 'log theta of the negative binomial (the GLMM refitted at each)',
    criterion: '-2 logLik',
  };
  const npar = fit.npar + 1;
  return {
    ...fit,
    nbTheta: theta,
    npar,
    AIC: fit.AIC + 2,
    BIC: fit.BIC + Math.log(fit.nobs),
    optsummary: { ...fit.optsummary, stages: [...fit.optsummary.stages, stage], seconds: (performance.now() - started) / 1000 },
    ...diagnose([...fit.diagnostics, ...found]),
  };
}
