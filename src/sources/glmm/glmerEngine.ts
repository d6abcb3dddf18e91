/**
 * The Laplace fit of a GLMM with one scalar term, every pass over the rows in
 * the engine (enginePirls.ts), following glmm/glmer.ts's exact-Laplace path:
 *
 * - start: the joint PIRLS at theta = 1 from the GLM's starting eta,
 *   loosely converged (tolerance 1e-4);
 * - Newton's method on (theta, beta) (glmm/laplace/newton.ts, unchanged) with
 *   the analytic gradient of the Laplace criterion (laplaceGradient.ts's
 *   formulas from the pass sums), each evaluation's modes warm-started from
 *   their first-order prediction, the start's beta block of the Hessian
 *   2 L_X L_X';
 * - vcov = 2 H^-1 restricted to beta, H the Newton's final difference Hessian
 *   (L_X of the final PIRLS when H is not positive definite).
 *
 * newtonMinimize asks for values synchronously and each one takes queries: it
 * is run to the first point it needs that is not known yet, that point is
 * evaluated, and it is run again from the start with every known value
 * answered from a cache. It is deterministic, so every rerun retraces the same
 * points; the reruns cost only arithmetic on a few numbers.
 *
 * The Laplace-versus-quadrature check of the in-memory fit is not made here
 * (it needs the deviance at 15 points per group: fit with --pushdown off on a
 * subset to check).
 */
import { diagnose, diagnostics } from '../../diagnostics.js';
import { MixedModelsError } from '../../errors.js';
import { pnormTwoSided } from '../../distributions/normal.js';
import { newtonMinimize } from '../../glmm/laplace/newton.js';
import { SINGULAR_TOL } from '../../glmm/checks.js';
import type { GlmmFit } from '../../glmm/types.js';
import { potrfUnblocked } from '../../linalg/potrf.js';
import { trsmLeftLower } from '../../linalg/trsm.js';
import { allocateLambda, lambdaMap, setLambda } from '../../lmm/lambda.js';
import type { FactorBlock } from '../../lmm/index.js';
import { ranefTable } from '../../lmm/finish.js';
import { varCorr } from '../../lmm/varCorr.js';
import { fixedFactor, runJoint, runModes, type EngineState } from './enginePirls.js';
import type { EngineModel } from './engineModel.js';

const START_TOL = 1e-4;
const NEWTON_TOL = 1e-9;

interface Evaluation {
  f: number;
  g: Float64Array;
  state: EngineState | null;
}

/** The Laplace criterion and its gradient at a PIRLS state (laplace.ts, laplaceGradient.ts). */
function laplaceAt(st: EngineState, th: number, C: number, p: number): { f: number; g: Float64Array; dudTheta: Float64Array; dudBeta: Float64Array } {
  const s = st.sums, G = st.u.length, th2 = th * th;
  const g = new Float64Array(1 + p), dudTheta = new Float64Array(G), dudBeta = new Float64Array(G * p);
  for (let j = 0; j < p; j++) g[1 + j] = -2 * s.wrx[j];
  let gTheta = 0;
  for (let k = 0; k < G; k++) {
    const S = s.zzW[k], r = s.zwr[k], T = s.zzzW1[k], D = 1 + th2 * S, u = st.u[k];
    const dth = (r - th * u * S) / D;
    dudTheta[k] = dth;
    gTheta += -2 * u * r + (2 * th * S + th2 * T * (u + th * dth)) / D;
    for (let j = 0; j < p; j++) {
      const db = (-th * s.zWx[k * p + j]) / D;
      dudBeta[k * p + j] = db;
      g[1 + j] += (th2 / D) * (s.zzW1x[k * p + j] + th * T * db);
    }
  }
  g[0] = gTheta;
  return { f: st.dev + C + st.ussq + st.ldL2, g, dudTheta, dudBeta };
}

/** (L L')^-1 from a lower Cholesky factor. */
function inverseFromFactor(p: number, L: Float64Array): Float64Array {
  const inv = new Float64Array(p * p);
  for (let c = 0; c < p; c++) inv[c * (p + 1)] = 1;
  trsmLeftLower(p, p, L, 0, p, inv, 0, p);
  const v = new Float64Array(p * p);
  for (let s = 0; s < p; s++) for (let r = 0; r < p; r++) {
    let acc = 0;
    for (let x = Math.max(r, s); x < p; x++) acc += inv[x + r * p] * inv[x + s * p];
    v[r + s * p] = acc;
  }
  return v;
}

/** 2 H^-1 restricted to beta (H row-major over (theta, beta)), or null when H is not positive definite. */
function hessianVcov(H: Float64Array, p: number): Float64Array | null {
  const m = p + 1, h = new Float64Array(m * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) h[r + c * m] = 0.5 * (H[r * m + c] + H[c * m + r]);
  if (potrfUnblocked(m, h, 0, m) !== 0) return null;
  const inv = inverseFromFactor(m, h), v = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) v[a + b * p] = 2 * inv[1 + a + (1 + b) * m];
  return v;
}

const NEEDED = Symbol('value needed');

export interface EngineFitInput {
  model: EngineModel;
  factors: readonly FactorBlock[];
  coefnames: readonly string[];
  /** -2 log p(y | mu = y) summed over the rows (glmm/response.ts aicConstant). */
  constant: number;
  nobs: number;
  maxEval: number;
}

export async function engineLaplaceFit(input: EngineFitInput): Promise<GlmmFit> {
  const started = performance.now();
  const { model: m, factors, constant: C } = input;
  const p = m.p, G = m.levels;
  const start = await runJoint(m, 1, START_TOL);
  if (start === null) throw new MixedModelsError('PIRLS failed at the start (the linear predictor overflowed)');
  const startSeconds = (performance.now() - started) / 1000;
  let modes: Float64Array = start.u.slice();
  let base: { x: Float64Array; u: Float64Array; dudTheta: Float64Array; dudBeta: Float64Array } | null = null;
  const cache = new Map<string, Evaluation>();
  const keyOf = (x: ArrayLike<number>) => Array.from(x).join(',');
  const evaluate = async (x: Float64Array): Promise<Evaluation> => {
    const th = x[0], beta = x.slice(1);
    let u = modes;
    if (base !== null) {
      u = new Float64Array(G);
      const dth = th - base.x[0];
      for (let k = 0; k < G; k++) {
        let v = base.u[k] + base.dudTheta[k] * dth;
        for (let j = 0; j < p; j++) v += base.dudBeta[k * p + j] * (beta[j] - base.x[1 + j]);
        u[k] = v;
      }
    }
    const st = await runModes(m, th, beta, u);
    if (st === null) return { f: Infinity, g: new Float64Array(p + 1).fill(NaN), state: null };
    const lap = laplaceAt(st, th, C, p);
    modes = st.u;
    base = { x: x.slice(), u: st.u, dudTheta: lap.dudTheta, dudBeta: lap.dudBeta };
    return { f: Number.isFinite(lap.f) ? lap.f : Infinity, g: lap.g, state: st };
  };
  const x0 = new Float64Array(p + 1);
  x0[0] = 1;
  x0.set(start.beta, 1);
  let last = '';
  const fg = (x: Float64Array, g: Float64Array | null): number => {
    const hit = cache.get(keyOf(x));
    if (hit === undefined) {
      last = keyOf(x);
      throw NEEDED;
    }
    last = keyOf(x);
    if (g !== null) g.set(hit.g);
    return hit.f;
  };
  const startBlock = {
    from: 1,
    hessian(): Float64Array | null {
      const st = cache.get(last)?.state;
      const L = st ? fixedFactor(st, Number(last.split(',')[0])) : null;
      if (L === null) return null;
      const B = new Float64Array(p * p);
      for (let r = 0; r < p; r++) for (let c = 0; c <= r; c++) {
        let v = 0;
        for (let k = 0; k <= c; k++) v += L[r + k * p] * L[c + k * p];
        B[r * p + c] = B[c * p + r] = 2 * v;
      }
      return B;
    },
  };
  let res: ReturnType<typeof newtonMinimize>;
  for (;;) {
    try {
      res = newtonMinimize(fg, x0, { maxEval: input.maxEval, tol: NEWTON_TOL, maxMove: Array.from(x0, (v) => Math.max(1, Math.abs(v))), startBlock });
      break;
    } catch (err) {
      if (err !== NEEDED) throw err;
      const x = Float64Array.from(last.split(','), Number);
      cache.set(last, await evaluate(x));
    }
  }
  const final = cache.get(keyOf(res.x))?.state;
  if (!final) throw new MixedModelsError('the in-engine fit ended where PIRLS failed');
  const sign = res.x[0] < 0 ? -1 : 1;
  for (let r = 0; r <= p; r++) {
    const sr = r === 0 ? sign : 1;
    res.gradient[r] *= sr;
    for (let c = 0; c <= p; c++) res.hessian[r * (p + 1) + c] *= sr * (c === 0 ? sign : 1);
  }
  const theta = Float64Array.of(Math.abs(res.x[0])), beta = res.x.slice(1);
  const messages: string[] = [];
  if (!res.converged) messages.push(`the optimiser did not converge: ${res.message}`);
  let vcov = hessianVcov(res.hessian, p);
  let vcovSource: 'hessian' | 'pirls' = 'hessian';
  if (vcov === null) {
    const L = fixedFactor(final, res.x[0]);
    vcov = L ? inverseFromFactor(p, L) : new Float64Array(p * p).fill(NaN);
    vcovSource = 'pirls';
    messages.push('the Hessian of the criterion is not positive definite: standard errors come from the final PIRLS step instead');
  }
  return finish(input, { theta, beta, vcov, vcovSource, final, res, startSeconds, started, messages, evaluations: cache.size });
}

interface FinishParts {
  theta: Float64Array;
  beta: Float64Array;
  vcov: Float64Array;
  vcovSource: 'hessian' | 'pirls';
  final: EngineState;
  res: ReturnType<typeof newtonMinimize>;
  startSeconds: number;
  started: number;
  messages: string[];
  evaluations: number;
}

function extremeGroups(input: EngineFitInput, final: EngineState): string[] {
  const s = final.sums, fam = input.model.family, f = input.factors[0];
  let zeros = 0, ones = 0;
  for (let k = 0; k < s.G; k++) {
    if (s.ymax[k] <= 0) zeros++;
    else if (fam === 'binomial' && s.ymin[k] >= 1) ones++;
  }
  if (zeros + ones === 0) return [];
  const what = fam === 'binomial' ? `all failures (${zeros}) or all successes (${ones})` : 'all counts 0';
  return [`${zeros + ones} of ${f.nl} levels of ${f.group} have ${what}: their conditional modes rest on the random-effects distribution alone (complete separation within those groups)`];
}

function finish(input: EngineFitInput, parts: FinishParts): GlmmFit {
  const { model: m, factors, coefnames, nobs } = input;
  const { theta, beta, vcov, final, res } = parts;
  const p = m.p, th = theta[0];
  const map = lambdaMap(factors, 1);
  const lambda = allocateLambda(factors);
  setLambda(map, theta, lambda);
  const se = Float64Array.from({ length: p }, (_, j) => Math.sqrt(vcov[j * (p + 1)]));
  const u = final.u.map((v) => (res.x[0] < 0 ? -v : v));
  const b = u.map((v) => th * v);
  const condVar = Float64Array.from(final.sums.zzW, (S) => (th * th) / (1 + th * th * S));
  const f = factors[0];
  const groups = [{ group: f.group, cnames: f.terms[0].cnames, levels: f.levels, k: 1, values: b, condVar }];
  const minus2 = final.dev + input.constant + final.ussq + final.ldL2;
  const npar = 1 + p;
  const edge = final.sums.edge;
  const boundary = edge === 0 ? [] : m.family === 'binomial'
    ? [`fitted probabilities numerically 0 or 1 occurred in ${edge} rows (complete or quasi-complete separation)`]
    : [`fitted rates numerically 0 occurred in ${edge} rows`];
  const singular = th < SINGULAR_TOL ? [`boundary (singular) fit: the variance of ${f.terms[0].name} is estimated as 0; the model without this term fits the same`] : [];
  return {
    kind: 'glmm',
    family: m.family,
    link: m.family === 'binomial' ? 'logit' : 'log',
    nAGQ: 1,
    nobs,
    p,
    q: m.levels,
    coefnames,
    beta,
    se,
    vcov,
    coefficients: coefnames.map((term, j) => ({ term, estimate: beta[j], stdError: se[j], statistic: beta[j] / se[j], df: null, pValue: pnormTwoSided(beta[j] / se[j]) })),
    theta,
    lower: map.lower.slice(),
    sigma: 1,
    u,
    b,
    ranef: groups,
    ranefTable: ranefTable(groups),
    varCorr: varCorr(factors, lambda, 1),
    fitted: new Float64Array(0),
    linearPredictor: new Float64Array(0),
    residuals: new Float64Array(0),
    objective: minus2,
    logLik: -minus2 / 2,
    npar,
    AIC: minus2 + 2 * npar,
    BIC: minus2 + npar * Math.log(nobs),
    deviance: final.dev,
    ngrps: { [f.group]: f.nl },
    isSingular: th < SINGULAR_TOL,
    nrowsFitted: nobs,
    optsummary: {
      stages: [
        { optimizer: 'pirls', initial: [1], final: [1], fmin: NaN, evaluations: 1, seconds: parts.startSeconds, converged: true, messages: ['joint PIRLS at the starting theta, in the engine'], parameters: 'theta (beta in PIRLS)', criterion: 'nAGQ = 0' },
        { optimizer: 'newton', initial: [], final: Array.from(res.x), fmin: res.fx, evaluations: parts.evaluations, seconds: (performance.now() - parts.started) / 1000 - parts.startSeconds, converged: res.converged, messages: [res.message], parameters: 'theta, beta', criterion: 'Laplace' },
      ],
      pirlsRuns: parts.evaluations + 1,
      derivatives: { gradient: res.gradient, hessian: res.hessian },
      vcovSource: parts.vcovSource,
      seconds: (performance.now() - parts.started) / 1000,
    },
    ...diagnose([
      ...diagnostics('convergence', parts.messages),
      ...diagnostics('note', extremeGroups(input, final)),
      ...diagnostics('convergence', final.converged ? [] : [`PIRLS did not converge at the estimates (${final.iterations} iterations)`]),
      ...diagnostics('separation', boundary),
      ...diagnostics('singular', singular),
    ]),
  };
}
