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
 * terms the same way (glmm/glmer.ts fitGlmm). The algebra of A is termAlgebra.ts, the
 * mapping of a fit userTermsFit.ts.
 */
import type { ModelFrame, ReTerm } from '../../frame/types.js';
import type { LmmBlocks } from '../blocks.js';
import { registerBlocks, registeredBlocks } from '../problem.js';
import type { LmmFit } from '../types.js';
import { farSlopes } from './termPrecision.js';
import { blockMatrix, sandwichInPlace } from './termAlgebra.js';

/** One centred term: its index in frame.reTerms, its intercept's column and the means taken off (A of the module comment). */
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
 * registerBlocks, the terms' moments sum z z'): the centred terms' blocks from the
 * user's, Z~ = Z B per level (B = A on each centred term's columns, I elsewhere):
 * A~_jj = B_j' A_jj B_j per level, A~_ij = B_i' A_ij B_j per level pair, A~_Tj = A_Tj B_j per
 * level, A_TT as it is; the moments A' (sum z z') A. Null without registered blocks.
 */
function sumsCentring(frame: ModelFrame, shifts: TermShift[]): TermCentring | null {
  const given = registeredBlocks(frame), moments = frame.moments;
  if (given === undefined || moments === undefined) return null;
  const { factors, A } = given;
  // B_j per factor block (K x K, column-major).
  const B = factors.map((f) => blockMatrix(f.k, f.terms.flatMap((t) => {
    const s = shifts.find((x) => x.term === t.term);
    return s === undefined ? [] : [{ s, o: t.offset, k: t.k }];
  })));
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
    const k = frame.reTerms[term].k, Am = blockMatrix(k, [{ s, o: 0, k }]);
    const out = Float64Array.from(m);
    sandwichInPlace(out, 0, Am, k, Am, k);
    return out;
  });
  const out: ModelFrame = { ...frame, moments: { ...moments, ztz } };
  registerBlocks(out, factors, blocks);
  made.add(out);
  return { frame: out, shifts };
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
