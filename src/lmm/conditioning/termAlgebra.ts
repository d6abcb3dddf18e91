/**
 * The algebra of a centred term (termCentring.ts): z~ = z A, A = I except A[i0, c] = -m_c;
 * b = A b~, Sigma = A Sigma~ A', and T (the term's lower factor) from A T~ = T Q by Givens
 * rotations; per factor block, the term's columns at its offset.
 */
import type { ModelFrame } from '../../frame/types.js';
import type { FactorBlock } from '../factorBlocks.js';
import type { LambdaMap } from '../lambda.js';
import type { VarCorr } from '../varCorr.js';
import type { TermCentring, TermShift } from './termCentring.js';

/** A's entry (row r, column c) of a shift. */
export function shiftEntry(s: TermShift, r: number, c: number): number {
  return r === c ? 1 : r === s.i0 ? -s.means[c] : 0;
}

/** y = A x for x at `at` in `v` (k values), written back in place. */
export function applyA(s: TermShift, k: number, v: Float64Array, at: number): void {
  let head = v[at + s.i0];
  for (let c = 0; c < k; c++) if (c !== s.i0) head -= s.means[c] * v[at + c];
  v[at + s.i0] = head;
}

/**
 * T (lower, positive diagonal) and Q with A T~ = T Q, by Givens rotations of the
 * columns of M = A T~ (k x k column-major); returns T and G = Q' (M G = T).
 * `inverse`: of M = A^{-1} T instead (the centred terms' T~ from the user's T).
 */
export function lowerOf(s: TermShift, k: number, Tc: Float64Array, inverse = false): { T: Float64Array; G: Float64Array } {
  const M = new Float64Array(k * k), G = new Float64Array(k * k);
  // A^{-1} = I except A^{-1}[i0, c] = +m_c.
  const entry = (r: number, e: number): number => (inverse && r !== e ? -shiftEntry(s, r, e) : shiftEntry(s, r, e));
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
export function slotOf(factors: readonly FactorBlock[], term: number): { j: number; o: number; K: number } {
  for (let j = 0; j < factors.length; j++) {
    const t = factors[j].terms.find((x) => x.term === term);
    if (t !== undefined) return { j, o: t.offset, K: factors[j].k };
  }
  throw new Error(`termCentring: no block for term ${term}`);
}

/**
 * B (K x K, column-major): the identity with each shift's A at its offset (the columns of a
 * factor block; one term: K = k, offset 0).
 */
export function blockMatrix(K: number, placed: readonly { s: TermShift; o: number; k: number }[]): Float64Array {
  const B = new Float64Array(K * K);
  for (let c = 0; c < K; c++) B[c * (K + 1)] = 1;
  for (const { s, o, k } of placed) for (let c = 0; c < k; c++) if (c !== s.i0) B[o + s.i0 + (o + c) * K] = -s.means[c];
  return B;
}

/** M' (n x n, column-major). */
export function transposed(M: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let c = 0; c < n; c++) for (let r = 0; r < n; r++) out[c + r * n] = M[r + c * n];
  return out;
}

/** B C B' for a K x K block C at `at` in `cv`, B = I with A at rows/columns o..o+k. */
export function congruentBlock(s: TermShift, k: number, o: number, K: number, cv: Float64Array, at: number): void {
  const Bt = transposed(blockMatrix(K, [{ s, o, k }]), K);
  sandwichInPlace(cv, at, Bt, K, Bt, K);
}

/** The k x k covariance A S A' (column-major). */
function congruentTerm(s: TermShift, k: number, S: Float64Array): Float64Array {
  const out = Float64Array.from(S);
  congruentBlock(s, k, 0, k, out, 0);
  return out;
}

/** A term's T (k x k lower, column-major) from theta and the layout; `put` writes one back. */
export function termTriangle(theta: ArrayLike<number>, index: Int32Array, o: number, K: number, k: number): Float64Array {
  const T = new Float64Array(k * k);
  for (let c = 0; c < k; c++) for (let r = c; r < k; r++) {
    const e = index[o + r + (o + c) * K];
    T[r + c * k] = e >= 0 ? theta[e] : 0;
  }
  return T;
}

export function putTriangle(T: Float64Array, index: Int32Array, o: number, K: number, k: number, theta: Float64Array): void {
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

/** V <- L' V R for the m x n block V at `at` (column-major), L m x m, R n x n. */
export function sandwichInPlace(v: Float64Array, at: number, L: Float64Array, m: number, R: Float64Array, n: number): void {
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
