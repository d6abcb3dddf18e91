/**
 * Weighted least squares for a design with a block of indicator columns (the
 * treatment-coded columns of a many-level factor, `~ display + id` with 1000
 * users), in O(n f^2 + k f^2) instead of the dense QR's O(n p^2).
 *
 * Columns X = [D F]: D's k columns are 0/1 with disjoint supports (row i is in
 * level lev(i) of D, or in none: the reference level), F the f others. With
 * weights w, A = D'WD = diag(a_l), a_l = sum of w over level l, and the F
 * means per level m_l = sum_{i in l} w_i F_i / a_l, eliminating D leaves the
 * within-level problem (the Frisch-Waugh-Lovell theorem):
 *
 *   F~_i = F_i - m_lev(i)  (F_i for rows in no level),  S = F~'W F~,
 *   b_F = S^-1 F~'W z~,     b_l = zbar_l - m_l' b_F,
 *
 * S from a Householder QR of W^1/2 F~ (the centring is done per level, so a
 * column that is nearly a sum of indicators loses no digits). The inverse of
 * X'WX, in the original column order, is
 *
 *   cov_FF = S^-1,  cov_lF = -m_l' S^-1,  cov_lm = delta_lm / a_l + m_l' S^-1 m_m.
 *
 * Rank: R's pivoted QR (dqrdc2) drops column j when the part of it orthogonal
 * to the columns before it is shorter than tol |x_j|. That part is at least as
 * long as the part orthogonal to all other columns, 1 / sqrt((X'WX)^-1_jj), so
 * |x_j|^2 (X'WX)^-1_jj <= 1 / (MARGIN tol)^2 for every j proves that R drops
 * nothing, and then the answer is R's. When that cannot be shown the caller
 * falls back to the dense QR.
 */
import { qrCoef, qrDecompose, qrUnscaledCov } from './qr.js';

export interface OneHotBlock {
  /** The indicator columns (indices into X) and, per row, its level among them (-1: none). */
  cols: Int32Array;
  level: Int32Array;
  /** The other columns. */
  rest: Int32Array;
}

export interface OneHotSolution {
  /** Coefficients in X's column order. */
  coef: Float64Array;
  /** (X'WX)^-1, p x p column-major in X's column order (formed on request). */
  unscaledCov(): Float64Array;
}

/** Fewer indicator columns than this are left to the dense QR. */
const MIN_BLOCK = 16;
/** Safety factor of the no-aliasing proof. */
const MARGIN = 4;

/**
 * The largest block found greedily: 0/1 columns, sparsest first, each joining
 * when its rows are free. Null when it has fewer than MIN_BLOCK columns.
 */
export function findOneHotBlock(X: Float64Array, n: number, p: number): OneHotBlock | null {
  const candidates: { j: number; count: number }[] = [];
  for (let j = 0; j < p; j++) {
    let count = 0, binary = true;
    for (let i = 0, o = j * n; i < n && binary; i++) {
      const v = X[o + i];
      if (v === 1) count++;
      else if (v !== 0) binary = false;
    }
    if (binary && count > 0) candidates.push({ j, count });
  }
  if (candidates.length < MIN_BLOCK) return null;
  candidates.sort((a, b) => a.count - b.count || a.j - b.j);
  const level = new Int32Array(n).fill(-1);
  const chosen: number[] = [];
  for (const { j } of candidates) {
    const o = j * n;
    let free = true;
    for (let i = 0; i < n && free; i++) if (X[o + i] === 1 && level[i] !== -1) free = false;
    if (!free) continue;
    for (let i = 0; i < n; i++) if (X[o + i] === 1) level[i] = -2 - chosen.length;
    chosen.push(j);
  }
  if (chosen.length < MIN_BLOCK) return null;
  const order = Int32Array.from(chosen).sort();
  const position = new Map<number, number>();
  order.forEach((j, l) => position.set(j, l));
  for (let i = 0; i < n; i++) if (level[i] <= -2) level[i] = position.get(chosen[-2 - level[i]])!;
  const inBlock = new Uint8Array(p);
  order.forEach((j) => (inBlock[j] = 1));
  const rest = Int32Array.from({ length: p }, (_, j) => j).filter((j) => !inBlock[j]);
  return { cols: order, level, rest };
}

/**
 * The weighted least-squares solution of z on X (w null: unit weights; rows
 * with w = 0 take no part), or null when the block method cannot prove that
 * R's QR at tolerance `tol` would keep every column.
 */
export function oneHotLeastSquares(X: Float64Array, n: number, p: number, block: OneHotBlock, z: Float64Array, w: Float64Array | null, tol: number): OneHotSolution | null {
  const { cols, level, rest } = block;
  const k = cols.length, f = rest.length;
  const wt = (i: number) => (w === null ? 1 : w[i]);
  const a = new Float64Array(k), m = new Float64Array(k * f), zbar = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const l = level[i], wi = wt(i);
    if (l < 0 || wi === 0) continue;
    a[l] += wi;
    zbar[l] += wi * z[i];
    for (let c = 0; c < f; c++) m[l + c * k] += wi * X[i + rest[c] * n];
  }
  for (let l = 0; l < k; l++) {
    if (!(a[l] > 0)) return null;
    zbar[l] /= a[l];
    for (let c = 0; c < f; c++) m[l + c * k] /= a[l];
  }
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (wt(i) > 0) rows.push(i);
  const nu = rows.length;
  const Ft = new Float64Array(nu * f), zt = new Float64Array(nu);
  rows.forEach((i, r) => {
    const l = level[i], s = Math.sqrt(wt(i));
    zt[r] = s * (z[i] - (l >= 0 ? zbar[l] : 0));
    for (let c = 0; c < f; c++) Ft[r + c * nu] = s * (X[i + rest[c] * n] - (l >= 0 ? m[l + c * k] : 0));
  });
  let bF: Float64Array = new Float64Array(0), Sinv: Float64Array = new Float64Array(0);
  if (f > 0) {
    const qr = qrDecompose(Ft, nu, f, tol);
    if (qr.rank < f) return null;
    bF = qrCoef(qr, zt);
    Sinv = qrUnscaledCov(qr);
  }
  const coef = new Float64Array(p);
  rest.forEach((j, c) => (coef[j] = bF[c]));
  for (let l = 0; l < k; l++) {
    let v = zbar[l];
    for (let c = 0; c < f; c++) v -= m[l + c * k] * bF[c];
    coef[cols[l]] = v;
  }
  if (!provenFullRank(X, n, block, w, a, m, Sinv, tol)) return null;
  return { coef, unscaledCov: () => inverse(p, block, a, m, Sinv) };
}

/** (X'WX)^-1 from the block pieces (see the module comment). */
function inverse(p: number, block: OneHotBlock, a: Float64Array, m: Float64Array, Sinv: Float64Array): Float64Array {
  const { cols, rest } = block;
  const k = cols.length, f = rest.length;
  const cov = new Float64Array(p * p);
  const mS = new Float64Array(k * f);
  for (let l = 0; l < k; l++) {
    for (let c = 0; c < f; c++) {
      let s = 0;
      for (let e = 0; e < f; e++) s += m[l + e * k] * Sinv[e + c * f];
      mS[l + c * k] = s;
    }
  }
  for (let c = 0; c < f; c++) for (let e = 0; e < f; e++) cov[rest[c] + rest[e] * p] = Sinv[c + e * f];
  for (let l = 0; l < k; l++) {
    for (let c = 0; c < f; c++) cov[cols[l] + rest[c] * p] = cov[rest[c] + cols[l] * p] = -mS[l + c * k];
    for (let q = 0; q <= l; q++) {
      let s = l === q ? 1 / a[l] : 0;
      for (let c = 0; c < f; c++) s += mS[l + c * k] * m[q + c * k];
      cov[cols[l] + cols[q] * p] = cov[cols[q] + cols[l] * p] = s;
    }
  }
  return cov;
}

/** |x_j|^2 (X'WX)^-1_jj <= 1 / (MARGIN tol)^2 for every column (see the module comment). */
function provenFullRank(X: Float64Array, n: number, block: OneHotBlock, w: Float64Array | null, a: Float64Array, m: Float64Array, Sinv: Float64Array, tol: number): boolean {
  const { cols, rest } = block;
  const k = cols.length, f = rest.length;
  const bound = 1 / (MARGIN * tol) ** 2;
  const ok = (v: number) => v > 0 && v <= bound;
  for (let c = 0; c < f; c++) {
    let s = 0;
    for (let i = 0, o = rest[c] * n; i < n; i++) s += (w === null ? 1 : w[i]) * X[o + i] * X[o + i];
    if (!ok(s * Sinv[c * (f + 1)])) return false;
  }
  for (let l = 0; l < k; l++) {
    let q = 1 / a[l];
    for (let c = 0; c < f; c++) {
      let t = 0;
      for (let e = 0; e < f; e++) t += Sinv[c + e * f] * m[l + e * k];
      q += m[l + c * k] * t;
    }
    if (!ok(a[l] * q)) return false;
  }
  return true;
}
