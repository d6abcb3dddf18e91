/**
 * The covariance parameters on lme4's profile scale ("sdcor") and back.
 *
 * Each random-effects term t owns k_t(k_t + 1)/2 elements of theta, the lower
 * triangle of its k x k factor T (by columns: for k = 2, theta = [T11, T21, T22]),
 * and Sigma_t = sigma^2 T T'. The sdcor vector has the same layout: a diagonal
 * position (r, r) holds sd_r = sigma |T_r.| (|T_r.| the norm of row r) and an
 * off-diagonal position (r, c) the correlation (T T')_rc / (|T_r.| |T_c.|).
 * The "relative" sdcor vector is the same with sigma = 1 (relative sds, which
 * are theta's own scale, and correlations).
 *
 * Back: T = diag(relative sds) chol(R), R the correlation matrix; it fails
 * (returns false) when R is not positive semi-definite.
 */

/** Where one term's elements sit in theta. */
export interface TermLayout {
  /** First theta index. */
  start: number;
  /** Columns of the term. */
  k: number;
}

/** Per lme4 term (frame.reTerms order): its theta layout, from the terms and the LambdaMap's termStart. */
export function termLayouts(reTerms: readonly { k: number }[], termStart: Int32Array): TermLayout[] {
  return reTerms.map((t, term) => ({ start: termStart[term], k: t.k }));
}

/** Number of theta elements of a k-column term. */
export function triangleSize(k: number): number {
  return (k * (k + 1)) / 2;
}

/** Row and column of each position of a k-column triangle, in theta's order. */
export function trianglePositions(k: number): { row: number; col: number }[] {
  const out: { row: number; col: number }[] = [];
  for (let c = 0; c < k; c++) for (let r = c; r < k; r++) out.push({ row: r, col: c });
  return out;
}

/** The lower triangle of T at theta[start..] as a dense k x k column-major matrix. */
function unpack(k: number, theta: ArrayLike<number>, start: number): Float64Array {
  const T = new Float64Array(k * k);
  let e = start;
  for (let c = 0; c < k; c++) for (let r = c; r < k; r++) T[r + c * k] = theta[e++];
  return T;
}

/**
 * The relative sdcor elements of one term from theta (written at out[start..]).
 * A correlation with a zero sd is NaN.
 */
export function relativeSdcor(term: TermLayout, theta: ArrayLike<number>, out: Float64Array): void {
  const { k, start } = term;
  const T = unpack(k, theta, start);
  const dot = (a: number, b: number): number => {
    let s = 0;
    for (let c = 0; c < k; c++) s += T[a + c * k] * T[b + c * k];
    return s;
  };
  const norm = Float64Array.from({ length: k }, (_, r) => Math.sqrt(dot(r, r)));
  let e = start;
  for (let c = 0; c < k; c++) {
    for (let r = c; r < k; r++) out[e++] = r === c ? norm[r] : norm[r] > 0 && norm[c] > 0 ? dot(r, c) / (norm[r] * norm[c]) : NaN;
  }
}

/** The sdcor vector (all terms) from theta and sigma. */
export function sdcorFromTheta(terms: readonly TermLayout[], theta: ArrayLike<number>, sigma: number): Float64Array {
  const out = new Float64Array(theta.length);
  for (const t of terms) {
    relativeSdcor(t, theta, out);
    let e = t.start;
    for (let c = 0; c < t.k; c++) for (let r = c; r < t.k; r++, e++) if (r === c) out[e] *= sigma;
  }
  return out;
}

/** Pivots below this (relative to 1, the correlations' diagonal) count as 0: a semi-definite R. */
const PIVOT_TOL = 1e-12;

/**
 * theta[start..] of one term from its relative sdcor elements w[start..]
 * (relative sds, correlations). False when the correlation matrix is not
 * positive semi-definite; theta is then left unspecified.
 */
export function thetaFromRelative(term: TermLayout, w: ArrayLike<number>, theta: Float64Array): boolean {
  const { k, start } = term;
  const C = new Float64Array(k * k);
  let e = start;
  for (let c = 0; c < k; c++) for (let r = c; r < k; r++, e++) C[r + c * k] = r === c ? 1 : w[e];
  for (let c = 0; c < k; c++) {
    let d = C[c + c * k];
    for (let x = 0; x < c; x++) d -= C[c + x * k] * C[c + x * k];
    if (d < -PIVOT_TOL) return false;
    const piv = d > PIVOT_TOL ? Math.sqrt(d) : 0;
    C[c + c * k] = piv;
    for (let r = c + 1; r < k; r++) {
      let s = C[r + c * k];
      for (let x = 0; x < c; x++) s -= C[r + x * k] * C[c + x * k];
      if (piv === 0 && Math.abs(s) > 1e-6) return false;
      C[r + c * k] = piv === 0 ? 0 : s / piv;
    }
  }
  const sd = new Float64Array(k);
  e = start;
  for (let c = 0; c < k; c++) for (let r = c; r < k; r++, e++) if (r === c) sd[r] = w[e];
  e = start;
  for (let c = 0; c < k; c++) for (let r = c; r < k; r++) theta[e++] = sd[r] * C[r + c * k];
  return true;
}

/** Norm of row `row` of the term's T: the relative sd of that column. */
export function rowNorm(term: TermLayout, theta: ArrayLike<number>, row: number): number {
  let s = 0;
  let e = term.start;
  for (let c = 0; c < term.k; c++) {
    for (let r = c; r < term.k; r++, e++) if (r === row) s += theta[e] * theta[e];
  }
  return Math.sqrt(s);
}

/** Theta indices of row `row` of the term's T (the elements T[row, c], c <= row). */
export function rowIndices(term: TermLayout, row: number): number[] {
  const out: number[] = [];
  let e = term.start;
  for (let c = 0; c < term.k; c++) for (let r = c; r < term.k; r++, e++) if (r === row) out.push(e);
  return out;
}
