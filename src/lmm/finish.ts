import { diagnose, diagnostics, type Diagnostic } from '../diagnostics.js';
import { MixedModelsError, expectArgument } from '../errors.js';
import { trsmLeftLower } from '../linalg/trsm.js';
import { condVar } from './condVar.js';
import { solveEffects, type Effects } from './effects.js';
import { icc } from './icc.js';
import { precisionMessages } from './conditioning/precisionLoss.js';
import { termPrecisionMessages } from './conditioning/termPrecision.js';
import { devianceParts, profiledDeviance } from './objective.js';
import { hasRows, type LmmProblem } from './problem.js';
import type { FactorBlock } from './factorBlocks.js';
import type { LmmFit, LmmOptSummary, RanefGroup } from './types.js';
import { varCorr } from './varCorr.js';
import type { LFactor } from './updateL.js';

/**
 * lme4's isSingular tolerance, applied (like every tolerance on theta) to the
 * scale-free phi = s theta of thetaScale.ts: a variance parameter below it in
 * phi makes the fit singular. For terms on columns with root mean square 1 (an
 * intercept without weights) phi = theta and the rule is lme4's.
 */
export const SINGULAR_TOL = 1e-4;

/** Whether theta element e is a variance parameter (lower bound 0) that is singular in phi. */
function singularAt(prob: LmmProblem, theta: ArrayLike<number>, e: number): boolean {
  return prob.lower[e] === 0 && theta[e] * prob.thetaScale[e] < SINGULAR_TOL;
}

/** vcov = sigma^2 (L_X L_X')^{-1} = sigma^2 L_X^{-T} L_X^{-1}. */
function vcovBeta(L: LFactor, p: number, sigma: number): Float64Array {
  const P = L.P, inv = new Float64Array(p * p);
  for (let c = 0; c < p; c++) inv[c * (p + 1)] = 1;
  trsmLeftLower(p, p, L.xx, 0, P, inv, 0, p);
  const v = new Float64Array(p * p);
  for (let s = 0; s < p; s++) {
    for (let r = 0; r < p; r++) {
      let acc = 0;
      for (let x = Math.max(r, s); x < p; x++) acc += inv[x + r * p] * inv[x + s * p];
      v[r + s * p] = sigma * sigma * acc;
    }
  }
  return v;
}

function fittedValues(prob: LmmProblem, eff: Effects): Float64Array {
  const { frame, factors } = prob, n = frame.nobs, p = frame.p;
  const mu = new Float64Array(n);
  for (let t = 0; t < p; t++) {
    const bt = eff.beta[t];
    for (let i = 0; i < n; i++) mu[i] += frame.X[i + t * n] * bt;
  }
  factors.forEach((f, j) => {
    const b = eff.b[j], k = f.k;
    for (let i = 0; i < n; i++) {
      const o = f.refs[i] * k;
      for (let c = 0; c < k; c++) mu[i] += f.z[i * k + c] * b[o + c];
    }
  });
  if (frame.offset) for (let i = 0; i < n; i++) mu[i] += frame.offset[i];
  return mu;
}

/** y - fitted (none for a frame without rows). */
function residualValues(frame: LmmProblem['frame'], fitted: Float64Array): Float64Array {
  const out = new Float64Array(fitted.length);
  for (let i = 0; i < out.length; i++) out[i] = frame.y[i] - fitted[i];
  return out;
}

/** u or b re-stacked from factor blocks to lme4's term order (term-major, then level-major); shared with the GLMM. */
export function termOrder(factors: readonly FactorBlock[], perBlock: readonly Float64Array[]): Float64Array {
  const slots = factors.flatMap((f, j) => f.terms.map((t) => ({ t, f, j }))).sort((a, b) => a.t.term - b.t.term);
  const out = new Float64Array(slots.reduce((s, { t, f }) => s + t.k * f.nl, 0));
  let pos = 0;
  for (const { t, f, j } of slots) {
    for (let lev = 0; lev < f.nl; lev++) for (let c = 0; c < t.k; c++) out[pos++] = perBlock[j][lev * f.k + t.offset + c];
  }
  return out;
}

function ranefGroups(prob: LmmProblem, eff: Effects, cv: Float64Array[]): RanefGroup[] {
  return prob.factors.map((f, j) => ({
    group: f.group,
    cnames: f.terms.flatMap((t) => t.cnames),
    levels: f.levels,
    k: f.k,
    values: eff.b[j],
    condVar: cv[j],
  }));
}

/** o[key] = value as an own property, also for a level named `__proto__` (which assignment would take as the prototype). */
function setOwn(o: Record<string, number>, key: string, value: number): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/**
 * Conditional modes keyed group -> column -> level (lme4's ranef as JSON); shared with the GLMM.
 * Each column's object is filled by assignment: building it from [level, value] pairs
 * (Object.fromEntries) made two short-lived arrays per level (for 50,000 levels, alone in
 * Node 20: a heap of 30.6 MB against 18.6 MB, and twice the time).
 */
export function ranefTable(groups: readonly RanefGroup[]): LmmFit['ranefTable'] {
  const out: LmmFit['ranefTable'] = {};
  for (const g of groups) {
    const byCol = (out[g.group] ??= {});
    g.cnames.forEach((cn, c) => {
      const column: Record<string, number> = {};
      for (let l = 0; l < g.levels.length; l++) setOwn(column, g.levels[l], g.values[l * g.k + c]);
      byCol[cn] = column;
    });
  }
  return out;
}

/** One message per term with a (near-)zero variance component (phi with lower bound 0 below SINGULAR_TOL). */
export function singularMessages(prob: LmmProblem, theta: ArrayLike<number>): string[] {
  const out: string[] = [];
  for (const f of prob.factors) {
    for (const t of [...f.terms].sort((a, b) => a.term - b.term)) {
      const start = prob.map.termStart[t.term];
      const count = (t.k * (t.k + 1)) / 2;
      let singular = false;
      for (let e = start; e < start + count; e++) if (singularAt(prob, theta, e)) singular = true;
      if (!singular) continue;
      out.push(
        t.k === 1
          ? `boundary (singular) fit: the variance of ${t.name} is estimated as 0; the model without this term fits the same`
          : `boundary (singular) fit: the covariance matrix of ${t.name} is singular (a variance is 0 or a correlation is +-1); a simpler random-effects structure fits the same`,
      );
    }
  }
  return out;
}

/**
 * Below this ratio of r^2 (the penalised weighted residual sum of squares) to
 * the weighted sum of squares of the response about its mean, the fit is
 * exact: the fixed and random effects reproduce the response, the residual
 * variance goes to 0 and the criterion has no minimum (it falls without bound
 * as theta grows), so wherever the optimiser stopped is arbitrary.
 */
export const EXACT_FIT = 1e-12;

/** The message for an exact fit (EXACT_FIT), or null. */
export function exactFitMessage(frame: LmmProblem['frame'], pwrss: number, sigma: number): string | null {
  const { y, weights, offset, nobs: n } = frame;
  if (y.length !== n) {
    // A frame of sums (src/sources): the spread of y from its weighted sums.
    const r = frame.moments?.response;
    return r === undefined ? null : exactFit(pwrss, r.swyy - (r.swy * r.swy) / r.sw, r.sw, sigma);
  }
  let sw = 0, swy = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1, v = offset ? y[i] - offset[i] : y[i];
    sw += w;
    swy += w * v;
  }
  const mean = swy / sw;
  let tss = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1, v = (offset ? y[i] - offset[i] : y[i]) - mean;
    tss += w * v * v;
  }
  return exactFit(pwrss, tss, sw, sigma);
}

function exactFit(pwrss: number, tss: number, sw: number, sigma: number): string | null {
  if (!(tss > 0) || pwrss > EXACT_FIT * tss) return null;
  return `Model failed to converge: the fixed and random effects reproduce the response exactly (residual sd ${sigma.toPrecision(3)}, ` +
    `against ${Math.sqrt(tss / sw).toPrecision(3)} for the response), so the likelihood has no maximum and these estimates are arbitrary; fit fewer effects`;
}

/**
 * The fitted model at theta (lme4's mkMerMod): re-evaluates the problem at
 * theta, then beta, u, b, sigma, vcov, conditional variances, fitted values,
 * variance components and the likelihood summaries. For a REML fit, pass the
 * minimum of the ML criterion as `mlDeviance` (lme4's deviance(m) refits by
 * ML); without it `deviance` is the ML criterion at the REML estimates.
 * `reuse`: skip the re-evaluation when the problem's last evaluation was at
 * theta (A unchanged since).
 */
export function finishLmm(prob: LmmProblem, theta: ArrayLike<number>, extra: { optsummary?: LmmOptSummary | null; diagnostics?: Diagnostic[]; mlDeviance?: number; reuse?: boolean } = {}): LmmFit {
  expectArgument('finishLmm', 'prob', prob, { object: 'an LMM problem (from lmmProblem)', keys: ['evaluate', 'theta0'] });
  expectArgument('finishLmm', 'theta', theta, 'array');
  const objective = (extra.reuse ? prob.lastValue?.(theta) : null) ?? prob.evaluate(theta);
  if (!Number.isFinite(objective)) throw new MixedModelsError('the model cannot be fitted at these parameters: the Cholesky factorisation failed (are the fixed effects collinear?)');
  const { frame, L, A, lambda, REML } = prob;
  const n = frame.nobs, p = frame.p;
  const parts = devianceParts(L);
  const sigma = Math.sqrt(parts.pwrss / (REML ? n - p : n));
  const eff = solveEffects(L, A, lambda);
  const vcov = vcovBeta(L, p, sigma);
  const groups = ranefGroups(prob, eff, condVar(L, A, lambda, sigma, prob.workspace?.()));
  const fitted = hasRows(frame) ? fittedValues(prob, eff) : new Float64Array(0);
  const vc = varCorr(prob.factors, lambda, sigma);
  const thetaArr = Float64Array.from(theta);
  const npar = thetaArr.length + p + 1;
  const logLik = -objective / 2;
  const isSingular = thetaArr.some((_, e) => singularAt(prob, thetaArr, e));
  const exact = exactFitMessage(frame, parts.pwrss, sigma);
  const optsummary = extra.optsummary && exact ? { ...extra.optsummary, converged: false } : extra.optsummary ?? null;
  return {
    kind: 'lmm',
    REML,
    nobs: n,
    p,
    q: L.q.reduce((a, b) => a + b, 0),
    coefnames: frame.colnames,
    beta: eff.beta,
    se: Float64Array.from({ length: p }, (_, t) => Math.sqrt(vcov[t * (p + 1)])),
    vcov,
    theta: thetaArr,
    lower: prob.lower.slice(),
    sigma,
    u: termOrder(prob.factors, eff.u),
    b: termOrder(prob.factors, eff.b),
    ranef: groups,
    ranefTable: ranefTable(groups),
    varCorr: vc,
    fitted,
    residuals: residualValues(frame, fitted),
    objective,
    logLik,
    npar,
    AIC: objective + 2 * npar,
    BIC: objective + npar * Math.log(n),
    deviance: !REML ? objective : extra.mlDeviance ?? profiledDeviance(parts, n, p, A.ldW, false),
    devianceRefit: REML && extra.mlDeviance !== undefined,
    pwrss: parts.pwrss,
    ngrps: Object.fromEntries(prob.factors.map((f) => [f.group, f.nl])),
    isSingular,
    icc: icc(prob.factors, vc, n, frame.moments),
    optsummary,
    ...diagnose([
      ...(extra.diagnostics ?? []),
      ...diagnostics('convergence', exact ? [exact] : []),
      ...diagnostics('singular', singularMessages(prob, thetaArr)),
      ...diagnostics('approximation', [...precisionMessages(A.xx, p, frame.colnames), ...termPrecisionMessages(frame)]),
    ]),
    blocks: prob.describe(),
  };
}
