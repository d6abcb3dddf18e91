/**
 * Prediction intervals by parametric bootstrap for linear mixed models (lme4
 * has none; its help suggests bootMer(m, function(f) predict(f, newdata))).
 * Replicate r draws from createRandom(streamSeed(seed, r)), as bootstrap.ts:
 *
 *   1. y* = X beta + offset + Z b* + e* (simulate.ts, new random effects b*
 *      for every level, bootMer's use.u = FALSE);
 *   2. refit to y* (bootRefit.ts lmmEffectsRefitter): beta*^, b*^;
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
 * deviation. Replicates whose refit fails are left out. GLMMs are refused:
 * there is no GLMM refit kernel yet.
 */
import type { LinearMixedModel, MixedModel } from '../../api/fit.js';
import { MixedModelsError } from '../../errors.js';
import { factorBlocks } from '../../lmm/index.js';
import { percentileInterval } from '../bootstrap/bootstrap.js';
import { lmmEffectsRefitter, type RefitEffects } from '../bootstrap/bootRefit.js';
import type { PredictDesign } from './predict.js';
import { createRandom, streamSeed, type Random } from '../bootstrap/random.js';
import { lmmEffectSimulator, scaledLambda } from '../bootstrap/simulate.js';
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
}

/** Percentile intervals around eta (the fitted linear predictor of the design's rows); see the module comment. */
export function bootPredictIntervals(model: MixedModel, design: PredictDesign, eta: Float64Array, s: BootPredictSettings): BootPredictIntervals {
  if (model.kind !== 'lmm') throw new MixedModelsError(`bootstrap prediction intervals need a linear mixed model, not a '${model.kind}' model (use method 'analytic')`);
  const what = 'bootstrap prediction intervals';
  checkIntervalReplicates(what, s.nsim, s.level);
  checkMemory(what, s.nsim, design.n);
  checkTime(what, s.nsim, model.fit.optsummary?.seconds ?? 0);
  const reps = bootReplicates(model, design, eta, s);
  const n = design.n, lower = new Float64Array(n), upper = new Float64Array(n), se = new Float64Array(n);
  const column = new Float64Array(s.nsim);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < s.nsim; r++) column[r] = reps[r * n + i];
    [lower[i], upper[i]] = percentileInterval(column, s.level);
    se[i] = finiteSd(column);
  }
  return { lower, upper, se };
}

/** Row-major nsim x n replicates eta_i + d*_i (+ noise); NaN rows for failed refits, NaN for missing rows. */
export function bootReplicates(model: LinearMixedModel, design: PredictDesign, eta: Float64Array, s: BootPredictSettings): Float64Array {
  const { simulate, b } = lmmEffectSimulator(model);
  const refit = lmmEffectsRefitter(model);
  const { frame, fit } = model;
  const T = scaledLambda(factorBlocks(frame.reTerms, frame.nobs), frame.reTerms.length, fit.theta, fit.sigma);
  const truth: Truth = { beta: fit.beta, b, T };
  const sigma = s.interval === 'prediction' ? fit.sigma : 0;
  const y = new Float64Array(frame.nobs), n = design.n;
  const out = new Float64Array(s.nsim * n);
  for (let r = 0; r < s.nsim; r++) {
    const rng = createRandom(streamSeed(s.seed, r));
    const est = refit(simulate(rng, y));
    const row = out.subarray(r * n, (r + 1) * n);
    if (est === null) row.fill(NaN);
    else replicate(design, eta, truth, est, sigma, rng, row);
  }
  return out;
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
