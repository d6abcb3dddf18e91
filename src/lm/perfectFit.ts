/**
 * The messages of a linear fit that leaves (almost) nothing unexplained.
 *
 * R's summary.lm warns "essentially perfect fit: summary may be unreliable"
 * when the residual variance s^2 = RSS / (m - r) is finite and
 *
 *   s^2 < 1e-30 (mean(f)^2 + var(f)),
 *
 * f the fitted values of every row (offset included, unweighted, var with
 * denominator n - 1), for a model with at least one coefficient. RSS is then
 * rounding error, and so are the standard errors, t values, F test and
 * p-values built on it: a constant response gives t values and p-values that
 * depend on the order of the floating-point operations (R's and ours differ).
 * With RSS exactly 0 they are Inf or NaN, in R as here.
 *
 * A constant response (the same value in every row with positive weight, no
 * offset) gets a note of its own: the mixed-model functions refuse it
 * (api/checks.ts), lm fits it as R does and says so. A response of 0
 * throughout gives f = 0, where R's test cannot fire; the note still does.
 */
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { ModelFrame } from '../frame/types.js';

/** s^2 below this times mean(f)^2 + var(f) is an essentially perfect fit (R's summary.lm). */
const PERFECT_FIT_TOL = 1e-30;

const PERFECT_FIT = 'essentially perfect fit: summary may be unreliable (the residual variance is below 1e-30 of the fitted values\' mean square, ' +
  'so its standard errors, t values, F test and p-values are rounding error, Inf or NaN, and carry no information)';

/** The notes of a fit with fitted values f, residual variance s^2 = sigma2 and rank r (module comment). */
export function perfectFitDiagnostics(frame: ModelFrame, fitted: Float64Array, sigma2: number, rank: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const value = frame.offset === null ? constantValue(frame.y, frame.weights) : null;
  if (value !== null) out.push(diagnostic('note', `the response '${frame.responseName}' is constant (every value is ${value}): there is no variation for the predictors to explain`));
  if (rank > 0 && essentiallyPerfect(fitted, sigma2)) out.push(diagnostic('note', PERFECT_FIT));
  return out;
}

/** R's test: s^2 finite and below 1e-30 (mean(f)^2 + var(f)). */
function essentiallyPerfect(f: Float64Array, sigma2: number): boolean {
  const n = f.length;
  if (!Number.isFinite(sigma2) || n < 2) return false;
  let mean = 0;
  for (const v of f) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of f) ss += (v - mean) * (v - mean);
  return sigma2 < (mean * mean + ss / (n - 1)) * PERFECT_FIT_TOL;
}

/** The value of y shared by its two or more rows with positive weight (w null: every row), or null. */
function constantValue(y: Float64Array, w: Float64Array | null): number | null {
  let value: number | null = null;
  let count = 0;
  for (let i = 0; i < y.length; i++) {
    if (w !== null && !(w[i] > 0)) continue;
    if (value !== null && y[i] !== value) return null;
    value = y[i];
    count++;
  }
  return count >= 2 ? value : null;
}
