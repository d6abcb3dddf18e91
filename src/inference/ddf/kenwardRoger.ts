/**
 * Kenward & Roger's (1997) small-sample F test, as pbkrtest computes it
 * (Halekoh & Højsgaard 2014).
 *
 * Covariance: V = sum_s sigma_s G_s, one component per distinct entry (r >= c)
 * of each term's covariance matrix Sigma_j = sigma^2 T_j T_j' (G_s = Z_j (I ⊗
 * (e_r e_c' + e_c e_r')) Z_j', or e_r e_r' on the diagonal) and the residual
 * variance (G = I). With Phi = (X'V^-1 X)^-1:
 *
 *   P_s  = -X'V^-1 G_s V^-1 X
 *   Q_st = X'V^-1 G_s V^-1 G_t V^-1 X
 *   W    = 2 T^-1,  T_st = tr(V^-1 G_s V^-1 G_t) - 2 tr(Phi Q_st) + tr(Phi P_s Phi P_t)
 *          (the inverse expected REML information)
 *   Phi_A = Phi + 2 Phi [sum_st W_st (Q_st - P_s Phi P_t)] Phi   (R_st = 0: V is linear in sigma)
 *
 * For L (l x p, full row rank) and Theta = L'(L Phi L')^-1 L:
 *
 *   A1 = sum_st W_st tr(Theta Phi P_s Phi) tr(Theta Phi P_t Phi)
 *   A2 = sum_st W_st tr(Theta Phi P_s Phi Theta Phi P_t Phi)
 *   B = (A1 + 6 A2) / 2l,  g = ((l + 1) A1 - (l + 4) A2) / ((l + 2) A2)
 *   c1 = g / (3l + 2(1 - g)),  c2 = (l - g) / (3l + 2(1 - g)),  c3 = (l + 2 - g) / (3l + 2(1 - g))
 *   E* = 1 / (1 - A2 / l),  V* = (2 / l) (1 + c1 B) / ((1 - c2 B)^2 (1 - c3 B))
 *   rho = V* / (2 E*^2),  m = 4 + (l + 2) / (l rho - 1),  lambda = m / (E* (m - 2))
 *
 * and lambda F ~ F(l, m), F = (L beta)'(L Phi_A L')^-1 (L beta) / l. The
 * reported F is the scaled lambda F, as pbkrtest's and lmerTest's.
 *
 * As pbkrtest (vcovAdj, KRmodcomp):
 * - an ML fit is first refitted by REML (pbkrtest's update(object, REML = TRUE)),
 *   and everything, beta included, is taken from that refit (`beta`, `refitREML`);
 *   lmerTest refuses ML fits instead;
 * - with prior weights w, Phi is the model's vcov, sigma^2 (X'V_w^-1 X)^-1 with
 *   V_w = Z Sigma Z' + sigma^2 W^-1, while V, the G_s and the residual
 *   component's G = I in P, Q and T are pbkrtest's SigmaG, which has no
 *   weights (pbkrtest 0.5.2 .get_SigmaG); this is what pbkrtest and
 *   lmerTest's ddf = "Kenward-Roger" compute for weighted fits.
 *
 * V^-1 is applied by Woodbury, V^-1 B = sigma^-2 (B - Z Lambda M^-1 Lambda'Z' B),
 * M = Lambda'Z'Z Lambda + I, with Z dense (n x q): memory O(n q + q^2), time
 * O(n q^2 + q^3). Larger models are refused (MAX_NQ, MAX_Q).
 */
import { MixedModelsError } from '../../errors.js';
import type { LinearMixedModel } from '../../api/fit.js';
import { fitLmm } from '../../lmm/index.js';
import type { LmmFit } from '../../lmm/types.js';
import { centredBeta, centredCovariance, centring, congruent, knownCentring } from '../../lmm/conditioning/centring.js';
import { centredTermsOf } from '../../lmm/conditioning/termCentring.js';
import { lmmProblem } from '../../lmm/problem.js';
import type { ModelFrame } from '../../frame/types.js';
import { cholSolve, cholesky, crossprod, matmul, spdInverse, symmetrize, traceProduct } from './ddfDense.js';
import { diagonaliseContrast, type Contrast } from './ddfContrasts.js';
import { symmetricEigen } from './ddfEigen.js';
import { fPValue, type FTest } from './satterthwaite.js';

/** Largest n * q (dense Z and V^-1 Z) and q (q x q matrices) accepted. */
export const MAX_NQ = 2e7;
export const MAX_Q = 4000;

export interface KenwardRoger {
  p: number;
  /** The fixed effects the tests are of: the model's, or its REML refit's when it was fitted by ML. */
  beta: Float64Array;
  /** sigma of that fit. */
  sigma: number;
  /** Whether an ML fit was refitted by REML (pbkrtest's KRmodcomp does so). */
  refitREML: boolean;
  /** Phi = (X'V^-1 X)^-1, p x p. */
  phi: Float64Array;
  /** Phi_A, p x p. */
  phiAdjusted: Float64Array;
  /** Phi P_s Phi per variance component. */
  phiPphi: Float64Array[];
  /** W, s x s for s components. */
  W: Float64Array;
}

/** One variance component's G_s = Z D_s Z': the (row, column) pairs of D_s, each with value 1. */
type Pairs = [number, number][];

interface Dense {
  n: number;
  q: number;
  Z: Float64Array;
  ZL: Float64Array;
  /** Cholesky factor of M. */
  Lm: Float64Array;
  sigma2: number;
  components: Pairs[];
}

function checkSize(model: LinearMixedModel): void {
  const { fit } = model;
  if (fit.nobs * fit.q > MAX_NQ || fit.q > MAX_Q) {
    throw new MixedModelsError(`the Kenward-Roger method needs dense ${fit.nobs} x ${fit.q} matrices, too large here; use Satterthwaite (the default)`);
  }
}

/** Z, Z Lambda, the Cholesky factor of M and the components' patterns. */
function denseModel(frame: ModelFrame, theta: Float64Array, sigma: number): Dense {
  const n = frame.nobs, terms = frame.reTerms;
  const q = terms.reduce((s, t) => s + t.levels.length * t.k, 0);
  const Z = new Float64Array(n * q), ZL = new Float64Array(n * q);
  const components: Pairs[] = [];
  let col = 0, th = 0;
  for (const t of terms) {
    const k = t.k, T = new Float64Array(k * k);
    for (let c = 0; c < k; c++) for (let r = c; r < k; r++) T[r + c * k] = theta[th++];
    for (let i = 0; i < n; i++) {
      const base = col + t.refs[i] * k;
      for (let c = 0; c < k; c++) {
        Z[i + (base + c) * n] = t.z[i * k + c];
        let s = 0;
        for (let r = c; r < k; r++) s += t.z[i * k + r] * T[r + c * k];
        ZL[i + (base + c) * n] = s;
      }
    }
    for (let c = 0; c < k; c++) {
      for (let r = c; r < k; r++) {
        const pairs: Pairs = [];
        for (let l = 0; l < t.levels.length; l++) {
          const a = col + l * k + r, b = col + l * k + c;
          pairs.push([a, b]);
          if (r !== c) pairs.push([b, a]);
        }
        components.push(pairs);
      }
    }
    col += t.levels.length * k;
  }
  const M = crossprod(n, q, q, ZL, ZL);
  for (let a = 0; a < q; a++) M[a * (q + 1)] += 1;
  const Lm = cholesky(q, M);
  if (Lm === null) throw new MixedModelsError('Kenward-Roger: Lambda\'Z\'Z Lambda + I is not positive definite');
  return { n, q, Z, ZL, Lm, sigma2: sigma * sigma, components };
}

/** V^-1 B for B (n x m), by Woodbury. */
function applyVinv(d: Dense, B: Float64Array, m: number): Float64Array {
  const { n, q } = d;
  const inner = cholSolve(q, d.Lm, crossprod(n, q, m, d.ZL, B), m);
  const ZLinner = matmul(n, q, m, d.ZL, inner);
  return B.map((b, e) => (b - ZLinner[e]) / d.sigma2);
}

/** D B for D given by its pairs and B (q x m). */
function applyD(pairs: Pairs, q: number, B: Float64Array, m: number): Float64Array {
  const out = new Float64Array(q * m);
  for (const [a, b] of pairs) for (let j = 0; j < m; j++) out[a + j * q] += B[b + j * q];
  return out;
}

/** tr(V^-2) = sigma^-4 (n - q + ||M^-1||_F^2), since V^-1 = sigma^-2 (I - Z Lambda M^-1 Lambda'Z') and M^-1 K = I - M^-1. */
function traceVinv2(d: Dense): number {
  const I = new Float64Array(d.q * d.q);
  for (let a = 0; a < d.q; a++) I[a * (d.q + 1)] = 1;
  const frob = cholSolve(d.q, d.Lm, I, d.q).reduce((s, v) => s + v * v, 0);
  return (d.n - d.q + frob) / (d.sigma2 * d.sigma2);
}

/** 2 T^+ (pseudo-inverse over positive eigenvalues, for a variance estimated at 0). */
function twiceInverse(s: number, T: Float64Array): Float64Array {
  const { values, vectors } = symmetricEigen(s, T);
  const W = new Float64Array(s * s);
  values.forEach((lambda, e) => {
    if (!(lambda > 1e-10 * values[0])) return;
    for (let j = 0; j < s; j++) for (let i = 0; i < s; i++) W[i + j * s] += (2 * vectors[i + e * s] * vectors[j + e * s]) / lambda;
  });
  return W;
}

/** Phi, P_s, Q_st, W and Phi_A of the module comment, for a REML fit. */
function compute(frame: ModelFrame, fit: LmmFit): Omit<KenwardRoger, 'refitREML'> {
  const d = denseModel(frame, fit.theta, fit.sigma);
  const { n, q } = d, p = frame.p, X = frame.X;
  const VX = applyVinv(d, X, p);
  const phi = frame.weights === null ? spdInverse(p, crossprod(n, p, p, X, VX)) : Float64Array.from(fit.vcov);
  if (phi === null) throw new MixedModelsError('Kenward-Roger: X\'V^-1 X is not positive definite');
  const VZ = applyVinv(d, d.Z, q);
  const U = crossprod(n, q, p, d.Z, VX);
  const S = crossprod(n, q, q, d.Z, VZ);
  const Y = crossprod(n, q, p, VZ, VX);
  const DU = d.components.map((pairs) => applyD(pairs, q, U, p));
  const SDU = DU.map((du) => matmul(q, q, p, S, du));
  const sRand = d.components.length, s = sRand + 1;
  const P = [...DU.map((du) => crossprod(q, p, p, U, du).map((v) => -v)), crossprod(n, p, p, VX, VX).map((v) => -v)];
  const Qee = crossprod(n, p, p, VX, applyVinv(d, VX, p));
  const Q = (a: number, b: number): Float64Array => {
    if (a < sRand && b < sRand) return crossprod(q, p, p, DU[a], SDU[b]);
    if (a < sRand) return crossprod(q, p, p, DU[a], Y);
    if (b < sRand) return crossprod(q, p, p, Y, DU[b]);
    return Qee;
  };
  const traceVV = (a: number, b: number): number => {
    if (a < sRand && b < sRand) {
      let t = 0;
      for (const [x, y] of d.components[a]) for (const [u, v] of d.components[b]) t += S[y + u * q] * S[v + x * q];
      return t;
    }
    if (a === sRand && b === sRand) return traceVinv2(d);
    let t = 0;
    for (const [x, y] of d.components[Math.min(a, b)]) {
      for (let i = 0; i < n; i++) t += VZ[i + y * n] * VZ[i + x * n];
    }
    return t;
  };
  const phiP = P.map((Ps) => matmul(p, p, p, phi, Ps));
  const T = new Float64Array(s * s);
  const Qs: Float64Array[][] = [];
  for (let a = 0; a < s; a++) {
    Qs.push([]);
    for (let b = 0; b < s; b++) {
      const Qab = Q(a, b);
      Qs[a].push(Qab);
      T[a + b * s] = traceVV(a, b) - 2 * traceProduct(p, phi, Qab) + traceProduct(p, phiP[a], phiP[b]);
    }
  }
  const W = twiceInverse(s, symmetrize(s, T));
  const inner = new Float64Array(p * p);
  for (let a = 0; a < s; a++) {
    for (let b = 0; b < s; b++) {
      const w = W[a + b * s];
      if (w === 0) continue;
      const PphiP = matmul(p, p, p, P[a], phiP[b]);
      for (let e = 0; e < p * p; e++) inner[e] += w * (Qs[a][b][e] - PphiP[e]);
    }
  }
  const adj = matmul(p, p, p, matmul(p, p, p, phi, inner), phi);
  const phiAdjusted = symmetrize(p, phi.map((v, e) => v + 2 * adj[e]));
  return { p, beta: Float64Array.from(fit.beta), sigma: fit.sigma, phi, phiAdjusted, phiPphi: phiP.map((m) => matmul(p, p, p, m, phi)), W };
}

const cache = new WeakMap<object, KenwardRoger>();

/** The Kenward-Roger quantities of an LMM (of its REML refit when fitted by ML), computed once per fit. */
/**
 * What a reader of Kenward-Roger tests of `model` must know (module comment):
 * an ML fit is tested through its REML refit, and with prior weights the
 * adjustment is pbkrtest's, whose covariance of the data has no weights.
 */
export function kenwardRogerNotes(model: Pick<LinearMixedModel, 'fit' | 'frame'>): string[] {
  const notes: string[] = [];
  if (!model.fit.REML) notes.push('Kenward-Roger tests are of the REML refit of this ML fit (its estimates), as pbkrtest computes them');
  if (model.frame.weights !== null) {
    notes.push('with prior weights the Kenward-Roger adjustment is pbkrtest\'s (and lmerTest\'s), whose covariance of the data leaves the weights out, ' +
      'so its df can even exceed the number of observations; Satterthwaite\'s df account for the weights');
  }
  return notes;
}

export function kenwardRoger(model: LinearMixedModel): KenwardRoger {
  const hit = cache.get(model.fit);
  if (hit !== undefined) return hit;
  checkSize(model);
  const refitREML = !model.fit.REML;
  const fit = refitREML ? fitLmm(model.frame, { REML: true }) : model.fit;
  const out = { ...onCentredColumns(model.frame, fit), refitREML };
  cache.set(model.fit, out);
  return out;
}

/**
 * compute() on the replaced columns when the fit was made on them (lmm/conditioning/centring.ts), its
 * covariances (Phi, Phi_A, Phi P_s Phi) mapped back to the user's columns by U(.)U';
 * W is the same in both. The user's frame otherwise.
 */
function onCentredColumns(user: ModelFrame, fit: LmmFit): Omit<KenwardRoger, 'refitREML'> {
  // A fit made with random slopes centred (lmm/conditioning/termCentring.ts): V is linear in Sigma's entries, so the same.
  const terms = centredTermsOf(fit);
  const frame = terms?.frame ?? user;
  if (terms !== undefined) fit = { ...fit, theta: terms.theta };
  let c = knownCentring(frame);
  if (c === undefined) c = centring(frame, lmmProblem(frame, { REML: true }).A.xx);
  if (c === null) return compute(frame, fit);
  const p = frame.p;
  const kr = compute(c.frame, { ...fit, beta: centredBeta(fit.beta, c), vcov: centredCovariance(c, fit.vcov, p) });
  return {
    ...kr,
    beta: Float64Array.from(fit.beta),
    phi: congruent(c, kr.phi, p),
    phiAdjusted: congruent(c, kr.phiAdjusted, p),
    phiPphi: kr.phiPphi.map((m) => congruent(c, m, p)),
  };
}

/** m and lambda of the module comment for Theta (p x p) with l rows. */
function krScaling(kr: KenwardRoger, Theta: Float64Array, l: number): { m: number; lambda: number } {
  const { p, W } = kr, s = kr.phiPphi.length;
  const K = kr.phiPphi.map((m) => matmul(p, p, p, Theta, m));
  const tr = K.map((k) => { let t = 0; for (let i = 0; i < p; i++) t += k[i * (p + 1)]; return t; });
  let A1 = 0, A2 = 0;
  for (let a = 0; a < s; a++) {
    for (let b = 0; b < s; b++) {
      const w = W[a + b * s];
      A1 += w * tr[a] * tr[b];
      A2 += w * traceProduct(p, K[a], K[b]);
    }
  }
  if (!(A2 > 0)) return { m: Infinity, lambda: 1 };
  const B = (A1 + 6 * A2) / (2 * l);
  const g = ((l + 1) * A1 - (l + 4) * A2) / ((l + 2) * A2);
  const den = 3 * l + 2 * (1 - g);
  const c1 = g / den, c2 = (l - g) / den, c3 = (l + 2 - g) / den;
  const Estar = 1 / (1 - A2 / l);
  const Vstar = (2 / l) * ((1 + c1 * B) / ((1 - c2 * B) ** 2 * (1 - c3 * B)));
  const rho = Vstar / (2 * Estar * Estar);
  const m = 4 + (l + 2) / (l * rho - 1);
  return { m, lambda: m / (Estar * (m - 2)) };
}

/**
 * What emmeans computes for an ML fit (pbkrtest's vcovAdj refits it by REML): the REML refit's
 * adjusted covariance and its P_s and W, beside the ML fit's own covariance V0 as the unadjusted
 * one in Lb_ddf (emmeans passes unadjV = vcov(object)). P_s enters through V0 P_s V0 =
 * M (Phi P_s Phi) M' with M = V0 Phi^-1, Phi the refit's unadjusted covariance.
 */
export function withUnadjusted(kr: KenwardRoger, V0: Float64Array): KenwardRoger {
  const { p } = kr;
  const phiInv = spdInverse(p, kr.phi);
  if (phiInv === null) throw new MixedModelsError('Kenward-Roger: the REML refit\'s covariance of the fixed effects is singular');
  const M = matmul(p, p, p, V0, phiInv);
  const Mt = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < p; i++) Mt[i + j * p] = M[j + i * p];
  return { ...kr, phi: Float64Array.from(V0), phiPphi: kr.phiPphi.map((x) => symmetrize(p, matmul(p, p, p, matmul(p, p, p, M, x), Mt))) };
}

/**
 * Kenward-Roger's t test of l'beta (pbkrtest's Lb_ddf, as emmeans uses it):
 * the adjusted variance l' Phi_A l and the df m for Theta = l l' / (l' Phi l).
 */
export function kenwardRogerT(kr: KenwardRoger, l: ArrayLike<number>): { variance: number; df: number } {
  const { p } = kr;
  let v0 = 0, v = 0;
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < p; i++) {
      v0 += l[i] * kr.phi[i + j * p] * l[j];
      v += l[i] * kr.phiAdjusted[i + j * p] * l[j];
    }
  }
  if (!(v0 > 0)) return { variance: v, df: NaN };
  const Theta = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < p; i++) Theta[i + j * p] = (l[i] * l[j]) / v0;
  return { variance: v, df: krScaling(kr, Theta, 1).m };
}

/** The Kenward-Roger F test of L beta = 0: scaled F, numerator df l = rank(L), denominator df m. */
export function kenwardRogerF(kr: KenwardRoger, beta: ArrayLike<number>, L: Contrast): FTest & { scaling: number } {
  const { p } = kr;
  const { rows, variances } = diagonaliseContrast(L, kr.phi);
  const l = rows.length;
  const Theta = new Float64Array(p * p);
  rows.forEach((row, r) => {
    for (let j = 0; j < p; j++) for (let i = 0; i < p; i++) Theta[i + j * p] += (row[i] * row[j]) / variances[r];
  });
  const { m, lambda } = krScaling(kr, Theta, l);
  const Lb = rows.map((row) => row.reduce((s, v, j) => s + v * beta[j], 0));
  const LPL = new Float64Array(l * l);
  for (let a = 0; a < l; a++) {
    for (let b = 0; b < l; b++) {
      let s = 0;
      for (let j = 0; j < p; j++) for (let i = 0; i < p; i++) s += rows[a][i] * kr.phiAdjusted[i + j * p] * rows[b][j];
      LPL[a + b * l] = s;
    }
  }
  const inv = spdInverse(l, LPL);
  if (inv === null) throw new MixedModelsError('Kenward-Roger: the adjusted covariance of the hypothesis is not positive definite');
  let wald = 0;
  for (let a = 0; a < l; a++) for (let b = 0; b < l; b++) wald += Lb[a] * inv[a + b * l] * Lb[b];
  const F = (lambda * wald) / l;
  return { F, numDf: l, denDf: m, pValue: fPValue(F, l, m), scaling: lambda };
}
