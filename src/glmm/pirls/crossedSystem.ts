/**
 * The PIRLS system of BlockedPirls when every random-effects term is scalar
 * and has its own grouping factor (e.g. crossed (1 | id) + (1 | item)), held
 * as crossedGradient.ts holds M: the diagonal block D1 of the factor with most
 * levels, the dense block M12 between it and the rest, and the dense rest M22.
 * The rest is the random effects of the other factors followed, in joint runs,
 * by the p fixed-effect columns (no unit penalty there):
 *
 *   M = [ D1    M12 ]    D1 = diag(1 + sum_i W_i a_1i^2),  A = [Z Lambda | X]
 *       [ M12'  M22 ]
 *
 * S = M22 - M12'D1^-1 M12 is factored densely; solves and log det(L_Z)^2
 * (sum log D1 + log det of S's random-effects part, the leading q2 columns of
 * its Cholesky factor) follow at O(q1 r^2 + r^3), r = q2 (+ p). Forming it is
 * one pass over the rows, in place of the general blocked re-formation and
 * factorisation.
 */
import { potrfUnblocked } from '../../linalg/potrf.js';
import { potriLower } from '../../linalg/potri.js';
import { schurLower, type RowPattern } from './schur.js';
import type { FactorBlock } from '../../lmm/factorBlocks.js';

/** Largest number of random effects outside the largest factor (dense work). */
export const MAX_CROSSED_REST = 400;
/**
 * Order of S (the rest's random effects) from which its inverse C22 is formed by potri.ts (the
 * WebAssembly module's from order 65) rather than column by column with its factor in plain loops
 * (q2^3 multiply-adds): inverseDiagonal here, CrossedGradient.fromFactor. Below it the plain loops
 * stay: with potri.ts at every order (its blocked JavaScript below 65) VerbAgg's warm fit (q2 = 24)
 * took 83-84 against 71-77 ms.
 */
export const POTRI_MIN = 65;

/** True when the layout applies: two or more scalar factor blocks, the rest small. */
export function crossedLayout(factors: readonly FactorBlock[]): boolean {
  if (factors.length < 2 || !factors.every((b) => b.k === 1)) return false;
  const q = factors.reduce((s, b) => s + b.nl, 0);
  return q - Math.max(...factors.map((b) => b.nl)) <= MAX_CROSSED_REST;
}

/**
 * Where each factor's random effects sit in the diagonal-plus-dense layout:
 * `big` is the factor with the most levels (its q1 effects form the diagonal
 * block), the other factors' q2 effects form "the rest"; `uOff` is each
 * factor's offset in u, `restOff` its offset in the rest (-1 for the big one).
 */
export interface CrossedOffsets {
  big: number;
  q1: number;
  q2: number;
  uOff: Int32Array;
  restOff: Int32Array;
}

export function crossedOffsets(factors: readonly FactorBlock[]): CrossedOffsets {
  const big = factors.reduce((b, f, j) => (f.nl > factors[b].nl ? j : b), 0);
  const uOff = new Int32Array(factors.length);
  const restOff = new Int32Array(factors.length).fill(-1);
  let o = 0, r = 0;
  factors.forEach((f, j) => {
    uOff[j] = o;
    o += f.nl;
    if (j !== big) {
      restOff[j] = r;
      r += f.nl;
    }
  });
  return { big, q1: factors[big].nl, q2: r, uOff, restOff };
}

export class CrossedSystem {
  readonly big: number;
  readonly q1: number;
  readonly q2: number;
  readonly p: number;
  /** Offset of each factor block in u, and of each non-big block in the rest (-1 for the big one). */
  readonly uOff: Int32Array;
  readonly restOff: Int32Array;
  private readonly d1: Float64Array;
  private readonly m12: Float64Array;
  private readonly s: Float64Array;
  private readonly g1: Float64Array;
  private readonly g2: Float64Array;
  private readonly a: Float64Array;
  private readonly cols: Int32Array;
  private readonly x2: Float64Array;
  /** Dense width of the last form(). */
  private r = 0;
  private nx = 0;
  /** True while the last form() was factored successfully (S holds its Cholesky factor). */
  private factored = false;
  /** Lambda of the last form(). */
  private readonly lamUsed: Float64Array;
  private readonly restRefs: Int32Array[];
  private readonly restZ: Float64Array[];
  private readonly restIdx: Int32Array;
  /** The columns of the rest that each row of M12 can have nonzero (rowPattern), or null when every row has all of them. */
  private readonly pattern: RowPattern | null;

  constructor(readonly factors: readonly FactorBlock[], p: number) {
    const fs = factors;
    this.p = p;
    ({ big: this.big, q1: this.q1, q2: this.q2, uOff: this.uOff, restOff: this.restOff } = crossedOffsets(fs));
    const r = this.q2;
    const rmax = r + p;
    this.d1 = new Float64Array(this.q1);
    this.m12 = new Float64Array(this.q1 * rmax);
    this.s = new Float64Array(rmax * rmax);
    this.g1 = new Float64Array(this.q1);
    this.g2 = new Float64Array(rmax);
    this.a = new Float64Array(rmax);
    this.cols = new Int32Array(rmax);
    this.x2 = new Float64Array(rmax);
    this.lamUsed = new Float64Array(fs.length);
    const rest = fs.map((_, j) => j).filter((j) => j !== this.big);
    this.restIdx = Int32Array.from(rest);
    this.restRefs = rest.map((j) => fs[j].refs as Int32Array);
    this.restZ = rest.map((j) => fs[j].z as Float64Array);
    this.pattern = rowPattern(fs[this.big].refs, this.restRefs, rest.map((j) => this.restOff[j]), this.q1, this.q2);
  }

  /**
   * The factored M of the last form() when it was formed without X at
   * Lambda = lam and factored successfully, else null: D1, M12 (q1 x q2,
   * row-major) and the Cholesky factor of S (column-major lower, q2 x q2).
   */
  factorAt(lam: ArrayLike<number>): { d1: Float64Array; m12: Float64Array; L: Float64Array } | null {
    if (!this.factored || this.nx !== 0) return null;
    for (let j = 0; j < this.lamUsed.length; j++) if (this.lamUsed[j] !== lam[j]) return null;
    return { d1: this.d1, m12: this.m12, L: this.s };
  }

  /**
   * Forms M (with the X columns when X is given) at weights W, and the
   * right-hand side g = A'(W res) - [uBase; 0] (u order; wres = W res).
   * lam: the scalar Lambda of each factor block.
   */
  form(W: Float64Array, wres: Float64Array, lam: ArrayLike<number>, uBase: Float64Array | null, X: Float64Array | null, n: number): void {
    const { factors: fs, big, q1, q2, d1, m12, g1, g2, a, cols, restOff } = this;
    const nx = X === null ? 0 : this.p;
    const r = q2 + nx;
    this.r = r;
    this.nx = nx;
    const S = this.s;
    d1.fill(1);
    m12.fill(0, 0, q1 * r);
    S.fill(0, 0, r * r);
    g1.fill(0);
    g2.fill(0, 0, r);
    const m = fs.length, bf = fs[big], bRefs = bf.refs, bz = bf.z, lb = lam[big];
    this.factored = false;
    for (let j = 0; j < m; j++) this.lamUsed[j] = lam[j];
    const { restRefs, restZ, restIdx } = this;
    const nr = restIdx.length;
    const rlam = new Float64Array(nr), rOff = new Int32Array(nr);
    for (let t = 0; t < nr; t++) {
      rlam[t] = lam[restIdx[t]];
      rOff[t] = restOff[restIdx[t]];
    }
    for (let t = 0; t < nx; t++) cols[nr + t] = q2 + t;
    formRows({ W, wres, n, bRefs, bz, lb, nr, nx, rlam, rOff, restRefs, restZ, X, d1, g1, g2, m12, S, r, a, cols });
    for (let c = 0; c < q2; c++) S[c * r + c] += 1;
    if (uBase !== null) {
      const o1 = this.uOff[big];
      for (let l = 0; l < q1; l++) g1[l] -= uBase[o1 + l];
      for (let j = 0; j < m; j++) {
        if (j === big) continue;
        const oj = this.uOff[j], rj = restOff[j];
        for (let l = 0; l < fs[j].nl; l++) g2[rj + l] -= uBase[oj + l];
      }
    }
  }

  /** S = M22 - M12'D1^-1 M12 and its Cholesky factor; false when not positive definite. */
  factor(): boolean {
    const { d1, m12, q1, r } = this;
    const S = this.s;
    schurLower(S, m12, d1, q1, r, this.pattern);
    this.factored = potrfUnblocked(r, S, 0, r) === 0;
    return this.factored;
  }

  /** The fixed-effects block of the factor (p x p, column-major lower) after form() with X and factor(). */
  fixedBlock(): Float64Array {
    const { q2, r, p } = this, out = new Float64Array(p * p);
    for (let c = 0; c < p; c++) for (let e = c; e < p; e++) out[e + c * p] = this.s[(q2 + c) * r + q2 + e];
    return out;
  }

  /** log det(L_Z)^2 of the factored system. */
  ldL2(): number {
    let s = 0;
    for (let l = 0; l < this.q1; l++) s += Math.log(this.d1[l]);
    for (let c = 0; c < this.q2; c++) s += 2 * Math.log(this.s[c * this.r + c]);
    return s;
  }

  /**
   * delta = M^-1 g into du (u order) and dbeta (joint runs); returns g'delta
   * (the Newton decrement).
   */
  solve(du: Float64Array, dbeta: Float64Array | null): number {
    const { d1, m12, q1, q2, r, g1, g2, factors: fs, big, uOff, restOff } = this;
    const L = this.s;
    const x2 = this.x2;
    const pat = this.pattern;
    for (let c = 0; c < r; c++) x2[c] = g2[c];
    for (let l = 0; l < q1; l++) {
      const v = g1[l] / d1[l], o = l * r;
      if (v === 0) continue;
      if (pat === null) {
        for (let c = 0; c < r; c++) x2[c] -= m12[o + c] * v;
        continue;
      }
      // The row's possible nonzeros, then the X columns: the entries skipped are zeros.
      for (let k = pat.start[l], end = pat.start[l + 1]; k < end; k++) x2[pat.cols[k]] -= m12[o + pat.cols[k]] * v;
      for (let c = q2; c < r; c++) x2[c] -= m12[o + c] * v;
    }
    // L L' x2 = x2 (L lower, column-major).
    for (let c = 0; c < r; c++) {
      const xc = (x2[c] /= L[c * r + c]);
      for (let e = c + 1; e < r; e++) x2[e] -= L[c * r + e] * xc;
    }
    for (let c = r - 1; c >= 0; c--) {
      let s = x2[c];
      for (let e = c + 1; e < r; e++) s -= L[c * r + e] * x2[e];
      x2[c] = s / L[c * r + c];
    }
    let dec = 0;
    for (let c = 0; c < r; c++) dec += g2[c] * x2[c];
    const o1 = uOff[big];
    for (let l = 0; l < q1; l++) {
      let s = g1[l];
      const o = l * r;
      if (pat === null) {
        for (let c = 0; c < r; c++) s -= m12[o + c] * x2[c];
      } else {
        // In ascending columns, as the dense loop: the same sum without its zero terms.
        for (let k = pat.start[l], end = pat.start[l + 1]; k < end; k++) s -= m12[o + pat.cols[k]] * x2[pat.cols[k]];
        for (let c = q2; c < r; c++) s -= m12[o + c] * x2[c];
      }
      const x = s / d1[l];
      du[o1 + l] = x;
      dec += g1[l] * x;
    }
    for (let j = 0; j < fs.length; j++) {
      if (j === big) continue;
      const oj = uOff[j], rj = restOff[j];
      for (let l = 0; l < fs[j].nl; l++) du[oj + l] = x2[rj + l];
    }
    if (dbeta !== null) for (let t = 0; t < this.nx; t++) dbeta[t] = x2[q2 + t];
    return dec;
  }

  /**
   * diag(M^-1) per factor block (level order), of the system last formed
   * without X and factored: C22 = S^-1, C11_ll = 1/d1 + |L^-1 m12_l|^2 / d1^2.
   */
  inverseDiagonal(): Float64Array[] {
    const { d1, m12, q1, q2, r, factors: fs, big, restOff } = this;
    const L = this.s, z = this.x2;
    const out = fs.map((f) => new Float64Array(f.nl));
    if (q2 >= POTRI_MIN) return this.inverseDiagonalByC22(out);
    for (let l = 0; l < q1; l++) {
      const o = l * r;
      let ss = 0;
      for (let c = 0; c < q2; c++) z[c] = m12[o + c];
      for (let c = 0; c < q2; c++) {
        const zc = (z[c] /= L[c * r + c]);
        ss += zc * zc;
        for (let e = c + 1; e < q2; e++) z[e] -= L[c * r + e] * zc;
      }
      out[big][l] = 1 / d1[l] + ss / (d1[l] * d1[l]);
    }
    // diag (L L')^-1: column c of L^-1 solved from e_c, summed squares by row.
    const diag = new Float64Array(q2);
    for (let c = 0; c < q2; c++) {
      z.fill(0, 0, q2);
      z[c] = 1;
      for (let k = c; k < q2; k++) {
        const zk = (z[k] /= L[k * r + k]);
        diag[c] += zk * zk;
        for (let e = k + 1; e < q2; e++) z[e] -= L[k * r + e] * zk;
      }
    }
    for (let j = 0; j < fs.length; j++) {
      if (j === big) continue;
      for (let l = 0; l < fs[j].nl; l++) out[j][l] = diag[restOff[j] + l];
    }
    return out;
  }
  /**
   * inverseDiagonal from C22 = S^-1 (potri.ts, the WebAssembly module's from order 65):
   * C11_ll = 1/d1 + m C22 m' / d1^2 over row l's possible columns (rowPattern) only, and diag C22,
   * in place of a solve with L of order q2 for every level of the largest factor.
   */
  private inverseDiagonalByC22(out: Float64Array[]): Float64Array[] {
    const { d1, m12, q1, q2, r, factors: fs, big, restOff } = this;
    const C = new Float64Array(q2 * q2);
    potriLower(q2, this.s, 0, r, C, new Float64Array(q2 * q2));
    const pat = this.pattern, nz = new Int32Array(q2);
    for (let l = 0; l < q1; l++) {
      const o = l * r;
      let count = 0;
      if (pat === null) for (let c = 0; c < q2; c++) nz[count++] = c;
      else for (let k = pat.start[l]; k < pat.start[l + 1]; k++) nz[count++] = pat.cols[k];
      // m C22 m' from C22's lower triangle (C[i + j q2], i >= j; nz ascending).
      let quad = 0;
      for (let x = 0; x < count; x++) {
        const a = nz[x], ma = m12[o + a];
        if (ma === 0) continue;
        let t = 0.5 * ma * C[a + a * q2];
        for (let y = x + 1; y < count; y++) t += m12[o + nz[y]] * C[nz[y] + a * q2];
        quad += 2 * ma * t;
      }
      out[big][l] = 1 / d1[l] + quad / (d1[l] * d1[l]);
    }
    for (let j = 0; j < fs.length; j++) {
      if (j === big) continue;
      for (let l = 0; l < fs[j].nl; l++) out[j][l] = C[(restOff[j] + l) * (q2 + 1)];
    }
    return out;
  }

}

/**
 * The columns of the rest (ascending) that row l of M12 can have nonzero: the levels of the other
 * factors on the rows at level l of the largest one (rows start[l] .. start[l + 1] of cols). Null
 * when every row has every column (fully crossed, as VerbAgg), where the dense loops are as fast.
 */
function rowPattern(bRefs: Int32Array, restRefs: Int32Array[], restOff: number[], q1: number, q2: number): RowPattern | null {
  const n = bRefs.length;
  // The rows by level of the largest factor (a counting sort).
  const first = new Int32Array(q1 + 1);
  for (let i = 0; i < n; i++) first[bRefs[i] + 1]++;
  for (let l = 0; l < q1; l++) first[l + 1] += first[l];
  const next = first.slice(0, q1), order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[next[bRefs[i]]++] = i;
  const seen = new Int32Array(q2).fill(-1), start = new Int32Array(q1 + 1);
  let cols = new Int32Array(Math.min(n * restRefs.length, q1 * q2)), count = 0;
  for (let l = 0; l < q1; l++) {
    for (let k = first[l]; k < first[l + 1]; k++) {
      const i = order[k];
      for (let t = 0; t < restRefs.length; t++) {
        const c = restOff[t] + restRefs[t][i];
        if (seen[c] === l) continue;
        seen[c] = l;
        cols[count++] = c;
      }
    }
    cols.subarray(start[l], count).sort();
    start[l + 1] = count;
  }
  if (count === q1 * q2) return null;
  cols = cols.slice(0, count);
  return { start, cols, width: q2 };
}

/** The arrays and constants of CrossedSystem.form's pass over the rows. */
interface FormPass {
  W: Float64Array;
  wres: Float64Array;
  n: number;
  bRefs: Int32Array;
  bz: Float64Array;
  lb: number;
  nr: number;
  nx: number;
  rlam: Float64Array;
  rOff: Int32Array;
  restRefs: Int32Array[];
  restZ: Float64Array[];
  X: Float64Array | null;
  d1: Float64Array;
  g1: Float64Array;
  g2: Float64Array;
  m12: Float64Array;
  S: Float64Array;
  r: number;
  a: Float64Array;
  cols: Int32Array;
}

/**
 * D1, M12, the lower triangle of S (M22 before the unit diagonal) and g, one pass over the
 * rows (CrossedSystem.form). A function of its own so that V8 optimises the loop with its
 * type feedback complete: inside form() the code after the loop had none when the loop
 * was compiled on the stack, and every call deoptimised there (VerbAgg: 160 times a fit).
 */
function formRows(f: FormPass): void {
  const { W, wres, n, bRefs, bz, lb, nr, nx, rlam, rOff, restRefs, restZ, X, d1, g1, g2, m12, S, r, a, cols } = f;
  const k = nr + nx;
  for (let i = 0; i < n; i++) {
    const w = W[i];
    const wr = wres[i];
    if (w === 0 && wr === 0) continue;
    const l1 = bRefs[i], a1 = lb * bz[i];
    d1[l1] += a1 * a1 * w;
    g1[l1] += a1 * wr;
    // Columns ascend: rest factors in block order (disjoint ranges), then X.
    for (let t = 0; t < nr; t++) {
      cols[t] = rOff[t] + restRefs[t][i];
      a[t] = rlam[t] * restZ[t][i];
    }
    for (let t = 0; t < nx; t++) a[nr + t] = X![t * n + i];
    const o = l1 * r;
    for (let c = 0; c < k; c++) {
      const ac = a[c], cc = cols[c], wac = w * ac;
      m12[o + cc] += a1 * wac;
      g2[cc] += ac * wr;
      // Lower triangle of S (column-major: row >= column).
      const oc = cc * r;
      for (let e = c; e < k; e++) S[oc + cols[e]] += wac * a[e];
    }
  }
}
