/**
 * Random-effects terms with a slope column far from 0 relative to its spread
 * (termPrecision.ts), fitted with that column centred: the same model.
 *
 * For a term with an intercept and an unstructured covariance, replacing its
 * column z_c by z_c - m_c (m_c its weighted mean; the intercept column is 1)
 * is z~ = z A with A = I except A[i0, c] = -m_c (i0 the intercept's column),
 * so z b = z~ b~ for b = A b~: the same marginal covariance, criterion,
 * fixed effects and fitted values, with
 *
 *   Sigma = A Sigma~ A',   b = A b~,   condVar = A condVar~ A',
 *   Lambda Lambda' = A Lambda~ Lambda~' A'  (Lambda = T, lower, from A T~ = T Q
 *   by Givens rotations, Q orthogonal),   u = Lambda^{-1} b = Q u~.
 *
 * On the user's columns the optimiser stalls (sleepstudy with Days + 1e4 in
 * (Days | Subject): logLik -872.08 for -871.81; lme4 1.1-31 -893.28, singular);
 * on the centred ones the fit is exact and the estimates are mapped back. The
 * ICC (mean of z Sigma z') and the singularity of Sigma are the same in both.
 *
 * Satterthwaite's and Kenward-Roger's df (invariant to this reparameterisation
 * of the covariance) are computed on the centred terms too (`centredTermsOf`),
 * and so are bootstrap refits (inference/bootstrap/bootRefit.ts, glmmRefit.ts:
 * their variance components mapped back) and likelihood profiles
 * (inference/profile/centredTerms.ts: the slopes' sds are the same parameters, the
 * intercept's sd is a norm of a row of A T; its correlations with the shifted
 * slopes, +-1 to the digits the data determine, are not traced). glmer fits such
 * terms the same way (glmm/glmer.ts fitGlmm).
 */
import { diagnose, diagnostic, type Diagnosed } from '../../diagnostics.js';
import type { ModelFrame, ReTerm } from '../../frame/types.js';
import type { FactorBlock } from '../factorBlocks.js';
import { ranefTable } from '../finish.js';
import type { LmmBlocks } from '../blocks.js';
import { registerBlocks, registeredBlocks } from '../problem.js';
import type { LambdaMap } from '../lambda.js';
import type { LmmFit, RanefGroup } from '../types.js';
import type { VarCorr } from '../varCorr.js';
import { farSlopes, termText } from './termPrecision.js';

/** One centred term: its index in frame.reTerms and A (k x k, column-major). */
export interface TermShift {
  term: number;
  i0: number;
  /** Per column: the mean taken off (0 for the intercept and columns left alone). */
  means: Float64Array;
}

export interface TermCentring {
  /** The frame with the centred columns. */
  frame: ModelFrame;
  shifts: TermShift[];
}

/** Frames made by termCentring (not centred again). */
const made = new WeakSet<ModelFrame>();

/** The centring of the frame's far slope columns, or null when there are none (or the frame was made here). */
export function termCentring(frame: ModelFrame): TermCentring | null {
  if (made.has(frame)) return null;
  const hit = known.get(frame);
  if (hit !== undefined) return hit;
  const out = centringOf(frame);
  known.set(frame, out);
  return out;
}

/** termCentring per frame (the fit, its df and its bootstrap use the same centred frame). */
const known = new WeakMap<ModelFrame, TermCentring | null>();

function centringOf(frame: ModelFrame): TermCentring | null {
  const sums = frame.reTerms.some((t) => t.refs.length === 0);
  const shifts: TermShift[] = [];
  frame.reTerms.forEach((t, term) => {
    const far = farSlopes(frame, t);
    if (far === null) return;
    const means = new Float64Array(t.k);
    for (const s of far.slopes) means[s.column] = s.mean;
    shifts.push({ term, i0: far.i0, means });
  });
  if (shifts.length === 0) return null;
  if (sums) return sumsCentring(frame, shifts);
  const reTerms = frame.reTerms.map((t, i): ReTerm => {
    const s = shifts.find((x) => x.term === i);
    if (s === undefined) return t;
    const { k } = t, z = t.z.slice(), n = t.refs.length;
    for (let r = 0; r < n; r++) {
      const one = t.z[r * k + s.i0];
      for (let c = 0; c < k; c++) if (s.means[c] !== 0) z[r * k + c] -= s.means[c] * one;
    }
    return { ...t, z };
  });
  const out: ModelFrame = { ...frame, reTerms };
  made.add(out);
  return { frame: out, shifts };
}

/**
 * A frame of sums (no rows, src/sources: the blocks of [Z X y]'W[Z X y] registered by
 * lmmProblemFromBlocks, the terms' moments sum z z'): the centred terms' blocks from the
 * user's, Z~ = Z B per level (B = A on each centred term's columns, I elsewhere):
 * A~_jj = B_j' A_jj B_j per level, A~_ij = B_i' A_ij B_j per level pair, A~_Tj = A_Tj B_j per
 * level, A_TT as it is; the moments A' (sum z z') A. Null without registered blocks.
 */
function sumsCentring(frame: ModelFrame, shifts: TermShift[]): TermCentring | null {
  const given = registeredBlocks(frame), moments = frame.moments;
  if (given === undefined || moments === undefined) return null;
  const { factors, A } = given;
  // B_j per factor block (K x K, column-major).
  const B = factors.map((f) => {
    const K = f.k, out = new Float64Array(K * K);
    for (let c = 0; c < K; c++) out[c * (K + 1)] = 1;
    for (const t of f.terms) {
      const s = shifts.find((x) => x.term === t.term);
      if (s !== undefined) for (let c = 0; c < t.k; c++) if (c !== s.i0) out[t.offset + s.i0 + (t.offset + c) * K] = -s.means[c];
    }
    return out;
  });
  const diag = A.diag.map((d, j) => {
    const values = Float64Array.from(d.values), K = d.k;
    for (let l = 0; l < d.nl; l++) sandwichInPlace(values, l * K * K, B[j], K, B[j], K);
    return { ...d, values };
  });
  const off = A.off.map((row, i) => row.map((S, j) => {
    const values = Float64Array.from(S.values), size = S.kRow * S.kCol;
    for (let e = 0; e < S.rowidx.length; e++) sandwichInPlace(values, e * size, B[i], S.kRow, B[j], S.kCol);
    return { ...S, values };
  }));
  const P = A.p + 1;
  const xz = A.xz.map((M, j) => {
    const out = new Float64Array(M.length), K = factors[j].k, col = new Float64Array(K);
    for (let l = 0; l < factors[j].nl; l++) {
      for (let r = 0; r < P; r++) {
        for (let c = 0; c < K; c++) col[c] = M[r + (l * K + c) * P];
        for (let c = 0; c < K; c++) {
          let acc = 0;
          for (let e = 0; e < K; e++) acc += col[e] * B[j][e + c * K];
          out[r + (l * K + c) * P] = acc;
        }
      }
    }
    return out;
  });
  const blocks: LmmBlocks = { ...A, diag, off, xz, xx: Float64Array.from(A.xx), yShift: A.yShift === null ? null : Float64Array.from(A.yShift) };
  const ztz = moments.ztz.map((m, term) => {
    const s = shifts.find((x) => x.term === term);
    if (s === undefined) return m;
    const k = frame.reTerms[term].k, Am = new Float64Array(k * k);
    for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) Am[r + c * k] = a(s, r, c);
    const out = Float64Array.from(m);
    sandwichInPlace(out, 0, Am, k, Am, k);
    return out;
  });
  const out: ModelFrame = { ...frame, moments: { ...moments, ztz } };
  registerBlocks(out, factors, blocks);
  made.add(out);
  return { frame: out, shifts };
}

/** V <- L' V R for the m x n block V at `at` (column-major), L m x m, R n x n. */
function sandwichInPlace(v: Float64Array, at: number, L: Float64Array, m: number, R: Float64Array, n: number): void {
  const VR = new Float64Array(m * n);
  for (let c = 0; c < n; c++) for (let r = 0; r < m; r++) {
    let acc = 0;
    for (let e = 0; e < n; e++) acc += v[at + r + e * m] * R[e + c * n];
    VR[r + c * m] = acc;
  }
  for (let c = 0; c < n; c++) for (let r = 0; r < m; r++) {
    let acc = 0;
    for (let e = 0; e < m; e++) acc += L[e + r * m] * VR[e + c * m];
    v[at + r + c * m] = acc;
  }
}

/** A's entry (row r, column c) of a shift. */
function a(s: TermShift, r: number, c: number): number {
  return r === c ? 1 : r === s.i0 ? -s.means[c] : 0;
}

/** y = A x for x at `at` in `v` (k values), written back in place. */
function applyA(s: TermShift, k: number, v: Float64Array, at: number): void {
  let head = v[at + s.i0];
  for (let c = 0; c < k; c++) if (c !== s.i0) head -= s.means[c] * v[at + c];
  v[at + s.i0] = head;
}

/**
 * T (lower, positive diagonal) and Q with A T~ = T Q, by Givens rotations of the
 * columns of M = A T~ (k x k column-major); returns T and G = Q' (M G = T).
 * `inverse`: of M = A^{-1} T instead (the centred terms' T~ from the user's T).
 */
function lowerOf(s: TermShift, k: number, Tc: Float64Array, inverse = false): { T: Float64Array; G: Float64Array } {
  const M = new Float64Array(k * k), G = new Float64Array(k * k);
  // A^{-1} = I except A^{-1}[i0, c] = +m_c.
  const entry = (r: number, e: number): number => (inverse && r !== e ? -a(s, r, e) : a(s, r, e));
  for (let c = 0; c < k; c++) {
    G[c * (k + 1)] = 1;
    for (let r = 0; r < k; r++) {
      let acc = 0;
      for (let e = 0; e < k; e++) acc += entry(r, e) * Tc[e + c * k];
      M[r + c * k] = acc;
    }
  }
  const rotate = (X: Float64Array, i: number, j: number, cs: number, sn: number): void => {
    for (let r = 0; r < k; r++) {
      const x = X[r + i * k], y = X[r + j * k];
      X[r + i * k] = cs * x + sn * y;
      X[r + j * k] = -sn * x + cs * y;
    }
  };
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const x = M[i + i * k], y = M[i + j * k];
      if (y === 0) continue;
      const h = Math.hypot(x, y);
      rotate(M, i, j, x / h, y / h);
      rotate(G, i, j, x / h, y / h);
    }
    if (M[i + i * k] < 0) {
      for (let r = 0; r < k; r++) {
        M[r + i * k] = -M[r + i * k];
        G[r + i * k] = -G[r + i * k];
      }
    }
    for (let j = i + 1; j < k; j++) M[i + j * k] = 0;
  }
  return { T: M, G };
}

/** The factor block and offset of reTerms[term]. */
function slotOf(factors: readonly FactorBlock[], term: number): { j: number; o: number; K: number } {
  for (let j = 0; j < factors.length; j++) {
    const t = factors[j].terms.find((x) => x.term === term);
    if (t !== undefined) return { j, o: t.offset, K: factors[j].k };
  }
  throw new Error(`termCentring: no block for term ${term}`);
}

/** B C B' for a K x K block C at `at` in `cv`, B = I with A at rows/columns o..o+k. */
function congruentBlock(s: TermShift, k: number, o: number, K: number, cv: Float64Array, at: number): void {
  const C = cv.subarray(at, at + K * K), BC = new Float64Array(K * K);
  const b = (r: number, c: number): number => (r >= o && r < o + k && c >= o && c < o + k ? a(s, r - o, c - o) : r === c ? 1 : 0);
  for (let c = 0; c < K; c++) for (let r = 0; r < K; r++) {
    let acc = 0;
    for (let e = 0; e < K; e++) acc += b(r, e) * C[e + c * K];
    BC[r + c * K] = acc;
  }
  for (let c = 0; c < K; c++) for (let r = 0; r < K; r++) {
    let acc = 0;
    for (let e = 0; e < K; e++) acc += BC[r + e * K] * b(c, e);
    C[r + c * K] = acc;
  }
}

/** The k x k covariance A S A' (column-major). */
function congruentTerm(s: TermShift, k: number, S: Float64Array): Float64Array {
  const out = Float64Array.from(S);
  congruentBlock(s, k, 0, k, out, 0);
  return out;
}

/** The fields a fit of the centred terms has mapped (LmmFit's, GlmmFit's). */
type TermsFit = Diagnosed & Pick<LmmFit, 'theta' | 'u' | 'b' | 'ranef' | 'ranefTable' | 'varCorr'>;

/** What the note says of the inference that follows an LMM (lmer) fit. */
const LMM_AFTER = 'its df, likelihood profiles and bootstrap refits are computed on the centred term too';
/** And of a GLMM's (glmer). */
export const GLMM_AFTER = 'its likelihood profiles and bootstrap refits are made on the centred term too';

/**
 * The fit of the centred frame as a fit of the user's terms (module comment): theta, u, b,
 * the conditional modes and variances and the variance components mapped back, a note added.
 * `map` and `factors`: the centred problem's (the same layout as the user's).
 */
export function userTermsFit<F extends TermsFit>(fit: F, tc: TermCentring, user: ModelFrame, map: LambdaMap, factors: readonly FactorBlock[], after = LMM_AFTER): F {
  const theta = Float64Array.from(fit.theta), u = Float64Array.from(fit.u), b = Float64Array.from(fit.b);
  const ranef: RanefGroup[] = fit.ranef.map((g) => ({ ...g, values: Float64Array.from(g.values), condVar: Float64Array.from(g.condVar) }));
  // Where each term's u and b start (term-major, then level-major).
  const starts: number[] = [];
  user.reTerms.reduce((at, t) => (starts.push(at), at + t.levels.length * t.k), 0);
  for (const s of tc.shifts) {
    const t = user.reTerms[s.term], k = t.k, { j, o, K } = slotOf(factors, s.term), index = map.index[j];
    const { T, G } = lowerOf(s, k, termTriangle(fit.theta, index, o, K, k));
    putTriangle(T, index, o, K, k, theta);
    const nl = t.levels.length, uu = new Float64Array(k);
    for (let l = 0; l < nl; l++) {
      const at = starts[s.term] + l * k;
      applyA(s, k, b, at);
      for (let c = 0; c < k; c++) {
        let acc = 0;
        for (let r = 0; r < k; r++) acc += G[r + c * k] * fit.u[at + r];
        uu[c] = acc;
      }
      u.set(uu, at);
      applyA(s, k, ranef[j].values, l * K + o);
      congruentBlock(s, k, o, K, ranef[j].condVar, l * K * K);
    }
  }
  const varCorr = userVarCorr(fit.varCorr, tc.shifts);
  const notes = tc.shifts.flatMap((s) => {
    const t = user.reTerms[s.term];
    return Array.from(s.means, (m, c) => ({ m, c })).filter(({ c }) => c !== s.i0 && s.means[c] !== 0).map(({ m, c }) =>
      diagnostic(
        'note',
        `${t.cnames[c]} in the random-effects term (${termText(t)}) is far from 0 relative to its spread: the model was fitted with it centred (${t.cnames[c]} - ${m.toPrecision(6)}), ` +
          `the same model, and theta, the variance components and the conditional modes mapped back (the optimiser's summary is in the centred terms' theta); ` +
          after,
      ),
    );
  });
  return { ...fit, theta, u, b, ranef, ranefTable: ranefTable(ranef), varCorr, ...diagnose([...fit.diagnostics, ...notes]) };
}

/** A term's T (k x k lower, column-major) from theta and the layout; `put` writes one back. */
function termTriangle(theta: ArrayLike<number>, index: Int32Array, o: number, K: number, k: number): Float64Array {
  const T = new Float64Array(k * k);
  for (let c = 0; c < k; c++) for (let r = c; r < k; r++) {
    const e = index[o + r + (o + c) * K];
    T[r + c * k] = e >= 0 ? theta[e] : 0;
  }
  return T;
}

function putTriangle(T: Float64Array, index: Int32Array, o: number, K: number, k: number, theta: Float64Array): void {
  for (let c = 0; c < k; c++) for (let r = c; r < k; r++) {
    const e = index[o + r + (o + c) * K];
    if (e >= 0) theta[e] = T[r + c * k];
  }
}

/**
 * theta of the centred terms from the user's (T~ from A^{-1} T): for refits started from a fit
 * whose centred theta is not at hand (a copy in a worker thread); the columns as given lose
 * digits in A^{-1} T, which a start can spare. `map`, `factors`: the centred problem's.
 */
export function centredTheta(theta: ArrayLike<number>, tc: TermCentring, map: LambdaMap, factors: readonly FactorBlock[]): Float64Array {
  const out = Float64Array.from(theta);
  for (const s of tc.shifts) {
    const k = tc.frame.reTerms[s.term].k, { j, o, K } = slotOf(factors, s.term);
    putTriangle(lowerOf(s, k, termTriangle(theta, map.index[j], o, K, k), true).T, map.index[j], o, K, k, out);
  }
  return out;
}

/** theta of the user's terms from the centred terms' (T from A T~), as userTermsFit maps the fit's. */
export function userTheta(theta: ArrayLike<number>, tc: TermCentring, map: LambdaMap, factors: readonly FactorBlock[]): Float64Array {
  const out = Float64Array.from(theta);
  for (const s of tc.shifts) {
    const k = tc.frame.reTerms[s.term].k, { j, o, K } = slotOf(factors, s.term);
    putTriangle(lowerOf(s, k, termTriangle(theta, map.index[j], o, K, k)).T, map.index[j], o, K, k, out);
  }
  return out;
}

/** The variance components of the user's terms from the centred terms': Sigma = A Sigma~ A' (lme4's term order is reTerms'). */
export function userVarCorr(vc: VarCorr, shifts: readonly TermShift[]): VarCorr {
  const terms = [...vc.terms];
  for (const s of shifts) {
    const vt = terms[s.term], k = vt.cnames.length, cov = congruentTerm(s, k, vt.cov);
    const sd = Float64Array.from({ length: k }, (_, r) => Math.sqrt(cov[r * (k + 1)]));
    const corr = new Float64Array(k * k);
    for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) corr[r + c * k] = r === c ? 1 : cov[r + c * k] / (sd[r] * sd[c]);
    terms[s.term] = { ...vt, cov, sd, corr };
  }
  return { ...vc, terms };
}

/** Conditional modes per factor block (level-major, lmm/effects.ts) of the user's terms from the centred terms': b = A b~ (new arrays). */
export function userBlockEffects(b: readonly Float64Array[], shifts: readonly TermShift[], factors: readonly FactorBlock[], user: ModelFrame): Float64Array[] {
  const out = b.map((x) => Float64Array.from(x));
  for (const s of shifts) {
    const { j, o, K } = slotOf(factors, s.term), k = user.reTerms[s.term].k;
    for (let l = 0; l < factors[j].nl; l++) applyA(s, k, out[j], l * K + o);
  }
  return out;
}

/** Fits made on centred terms: the centred frame and theta, for the inference that is invariant to the reparameterisation. */
export interface CentredTerms {
  /** The centred frame (termCentring's). */
  frame: ModelFrame;
  /** theta of the centred terms. */
  theta: Float64Array;
  /** The user's frame. */
  user: ModelFrame;
  shifts: readonly TermShift[];
}

const centredFits = new WeakMap<LmmFit, CentredTerms>();

export function rememberCentredTerms(fit: LmmFit, terms: CentredTerms): void {
  centredFits.set(fit, terms);
}

/** The centred frame and theta of a fit made on centred terms (undefined otherwise). */
export function centredTermsOf(fit: LmmFit): CentredTerms | undefined {
  return centredFits.get(fit);
}

