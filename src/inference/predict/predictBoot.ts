/**
 * Prediction intervals by parametric bootstrap for linear and generalized
 * linear mixed models (lme4 has none; its help suggests
 * bootMer(m, function(f) predict(f, newdata))).
 * Replicate r draws from createRandom(streamSeed(seed, r)), as bootstrap.ts:
 *
 *   1. y* = X beta + offset + Z b* + e* (simulate.ts, new random effects b*
 *      for every level, bootMer's use.u = FALSE); for a GLMM y* is drawn from
 *      the family at g^-1(X beta + offset + Z b*);
 *   2. refit to y* (bootRefit.ts lmmEffectsRefitter, glmmRefit.ts): beta*^, b*^;
 *   3. per row i, the replicate's prediction error on the link scale,
 *        d*_i = x_i' (beta*^ - beta) + sum_j z_ij' (b*^_j[l_ij] - b*_j[l_ij]),
 *      where a level the fit has not seen is predicted with 0 and has a true
 *      effect b*_j ~ N(0, Sigma_j) drawn for the row (sigma T_j u, u ~ N(0, I_k)),
 *      so its term is -z_ij' b*_j; population predictions (re.form = NA) have
 *      d*_i = x_i' (beta*^ - beta);
 *   4. the replicate eta_i + d*_i, plus sigma e, e ~ N(0, 1), for prediction intervals.
 *
 * For population predictions the replicate is x_i' beta*^ (+ noise), bootMer's
 * percentile interval of predict(f, newdata, re.form = NA). For levels the fit
 * has seen, step 3 measures how far the conditional modes fall from the
 * effects they estimate, so the interval reflects the conditional variance of
 * b (the analytic method's condVar) and the covariance of beta^ and b^, which
 * the analytic method ignores; refitting to data simulated with the fitted b
 * (use.u = TRUE) and taking the replicates' predictions would understate it.
 * New levels get the unconditional Sigma_j, as in the analytic intervals.
 *
 * Draw order after the simulation: per row, per factor block where the row
 * has a new level, its k normals; then the row's residual normal (prediction
 * intervals). Rows get independent draws (the intervals are per row).
 *
 * Row i's interval is the percentile interval (bootstrap.ts
 * percentileInterval, boot's "perc") of its replicates, and se their standard
 * deviation, all on the link scale (predict.ts maps the bounds by g^-1 for
 * the response scale; g^-1 is monotone, so they stay percentiles). GLMMs have
 * no residual and so no prediction intervals. Replicates whose refit fails
 * are left out and counted in a message; refits with convergence warnings are
 * kept and counted, as bootMer's.
 */
import type { MixedModel } from '../../api/fit.js';
import { MixedModelsError } from '../../errors.js';
import { factorBlocks } from '../../lmm/index.js';
import { percentileInterval, replicateMessages } from '../bootstrap/bootstrap.js';
import { lmmEffectsRefitter, type RefitEffects } from '../bootstrap/bootRefit.js';
import { glmmRefitter } from '../bootstrap/glmmRefit.js';
import type { PredictDesign } from './predict.js';
import { createRandom, streamSeed, type Random } from '../bootstrap/random.js';
import { glmmEffectSimulator, lmmEffectSimulator, scaledLambda, type Simulator } from '../bootstrap/simulate.js';
import { checkIntervalReplicates, checkMemory, checkTime } from '../bootstrap/limits.js';

export interface BootPredictSettings {
  interval: 'confidence' | 'prediction';
  level: number;
  nsim: number;
  seed: number;
}

export interface BootPredictIntervals {
  lower: Float64Array;
  upper: Float64Array;
  se: Float64Array;
  /** Failed and warned refits, in words. */
  messages: string[];
}

/** Percentile intervals around eta (the fitted linear predictor of the design's rows); see the module comment. */
export function bootPredictIntervals(model: MixedModel, design: PredictDesign, eta: Float64Array, s: BootPredictSettings): BootPredictIntervals {
  if (model.kind !== 'lmm' && model.kind !== 'glmm') throw new MixedModelsError(`bootstrap prediction intervals need a mixed model, not a '${(model as { kind: string }).kind}' model`);
  if (model.kind === 'glmm' && s.interval === 'prediction') throw new MixedModelsError('prediction intervals need a residual variance; this model has none (use interval confidence)');
  const what = 'bootstrap prediction intervals';
  checkIntervalReplicates(what, s.nsim, s.level);
  checkMemory(what, s.nsim, design.n);
  checkTime(what, s.nsim, model.fit.optsummary?.seconds ?? 0);
  const { reps, failed, warned } = bootReplicates(model, design, eta, s);
  const n = design.n, lower = new Float64Array(n), upper = new Float64Array(n), se = new Float64Array(n);
  const column = new Float64Array(s.nsim);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < s.nsim; r++) column[r] = reps[r * n + i];
    [lower[i], upper[i]] = percentileInterval(column, s.level);
    se[i] = finiteSd(column);
  }
  return { lower, upper, se, messages: replicateMessages(s.nsim, failed, warned) };
}

/**
 * Row-major nsim x n replicates eta_i + d*_i (+ noise); NaN rows for failed
 * refits, NaN for missing rows; with the counts of failed and warned refits.
 */
export function bootReplicates(model: MixedModel, design: PredictDesign, eta: Float64Array, s: BootPredictSettings): { reps: Float64Array; failed: number; warned: number } {
  const { simulate, b, refit } = effectsWorld(model);
  const { frame, fit } = model;
  const T = scaledLambda(factorBlocks(frame.reTerms, frame.nobs), frame.reTerms.length, fit.theta, fit.sigma);
  const truth: Truth = { beta: fit.beta, b, T };
  const sigma = s.interval === 'prediction' ? fit.sigma : 0;
  const y = new Float64Array(frame.nobs), n = design.n;
  const out = new Float64Array(s.nsim * n);
  let failed = 0, warned = 0;
  for (let r = 0; r < s.nsim; r++) {
    const rng = createRandom(streamSeed(s.seed, r));
    const est = refit(simulate(rng, y));
    const row = out.subarray(r * n, (r + 1) * n);
    if (est === null) {
      failed++;
      row.fill(NaN);
      continue;
    }
    if (est.warning) warned++;
    replicate(design, eta, truth, est, sigma, rng, row);
  }
  return { reps: out, failed, warned };
}

/** The simulator (exposing b*) and the refit giving beta*^, b*^ per factor block (null when it fails). */
function effectsWorld(model: MixedModel): { simulate: Simulator; b: Float64Array[]; refit: (y: Float64Array) => (RefitEffects & { warning: boolean }) | null } {
  if (model.kind === 'lmm') {
    const refit = lmmEffectsRefitter(model);
    return { ...lmmEffectSimulator(model), refit: (y) => { const r = refit(y); return r && { ...r, warning: false }; } };
  }
  const refit = glmmRefitter(model);
  return {
    ...glmmEffectSimulator(model),
    refit: (y) => {
      const r = refit(y);
      return r && { beta: r.fit.beta, b: r.fit.ranef.map((g) => g.values), warning: r.warning };
    },
  };
}

/** The bootstrap world's truth: beta, the simulated b* per factor block, and sigma T_j (design.blocks order) for new levels. */
interface Truth {
  beta: Float64Array;
  b: Float64Array[];
  T: Float64Array[];
}

/** eta_i + d*_i + sigma e of one replicate into out (steps 3 and 4 of the module comment). */
function replicate(d: PredictDesign, eta: Float64Array, truth: Truth, est: RefitEffects, sigma: number, rng: Random, out: Float64Array): void {
  const { n, X } = d, p = est.beta.length;
  const u = new Float64Array(Math.max(1, ...d.blocks.map((b) => b.k)));
  for (let i = 0; i < n; i++) {
    if (d.missing?.[i]) {
      out[i] = NaN;
      continue;
    }
    let err = 0;
    for (let t = 0; t < p; t++) err += X[i + t * n] * (est.beta[t] - truth.beta[t]);
    d.blocks.forEach((b, j) => {
      const lev = b.refs[i], k = b.k, z = b.z.subarray(i * k, (i + 1) * k);
      if (lev >= 0) err += diffDot(z, est.b[j], truth.b[j], lev * k);
      else err -= newLevelEffect(truth.T[j], z, rng, u);
    });
    out[i] = eta[i] + err + (sigma > 0 ? sigma * rng.normal() : 0);
  }
}

/** z' (a - b) over the k entries of a and b from `off`. */
function diffDot(z: Float64Array, a: Float64Array, b: Float64Array, off: number): number {
  let s = 0;
  for (let c = 0; c < z.length; c++) s += z[c] * (a[off + c] - b[off + c]);
  return s;
}

/** z' T u with u ~ N(0, I_k) drawn into `u` (T lower triangular, column-major). */
function newLevelEffect(T: Float64Array, z: Float64Array, rng: Random, u: Float64Array): number {
  const k = z.length;
  for (let c = 0; c < k; c++) u[c] = rng.normal();
  let s = 0;
  for (let r = 0; r < k; r++) for (let c = 0; c <= r; c++) s += z[r] * T[r + c * k] * u[c];
  return s;
}

/** Standard deviation (n - 1) of the finite values; NaN for fewer than two. */
function finiteSd(values: Float64Array): number {
  let m = 0, m2 = 0, count = 0;
  for (const x of values) {
    if (!Number.isFinite(x)) continue;
    count++;
    const d = x - m;
    m += d / count;
    m2 += d * (x - m);
  }
  return count > 1 ? Math.sqrt(m2 / (count - 1)) : NaN;
}
