/**
 * The gaussian elastic net by covariance updates (glmnet's type.gaussian =
 * "covariance", its default below 500 columns): with standardised y~ and
 * columns x~ (weights w summing to 1), the gradient g_j = x~_j' W (y~ - X~ beta)
 * is kept for every column, and a move d of beta_k updates it as
 *
 *   g_j <- g_j - d G_jk,   G = X~' W X~,
 *
 * so one coordinate costs O(p) instead of O(n); column k of G is formed when k
 * first moves. With the columns centred the intercept of the standardised
 * problem stays 0. Coordinate descent finds the active set and signs; then
 * the stationarity conditions on the active set A,
 *
 *   (G_AA + lambda (1 - alpha) V_A) beta_A = c_A - lambda alpha V_A s_A,
 *
 * (c = X~' W y~, V the penalty factors, s the signs) are solved by Cholesky,
 * and kept when the signs agree: the exact minimiser, not an approximation to
 * the threshold. The fraction of deviance explained is 1 - |r|_W^2 = 2 beta'c - beta'G beta.
 */
import { potrfUnblocked } from '../linalg/potrf.js';
import { trsvLower, trsvLowerTrans } from '../linalg/trsv.js';
import { MaxPassesError, type ElnetProblem, type PointSolver } from './elnetSolver.js';

/** Most columns for which the covariance solver is used (glmnet's threshold). */
export const COVARIANCE_MAX_COLUMNS = 500;

export class CovarianceSolver implements PointSolver {
  readonly n: number;
  readonly p: number;
  readonly beta: Float64Array;
  readonly absGrad: Float64Array;
  loss = NaN;
  nullLoss = NaN;
  readonly saturated = 0;
  passes = 0;
  readonly tooSmall = false;
  private readonly c: Float64Array;
  private readonly g: Float64Array;
  /** Column k of G, once k has moved. */
  private readonly gram: (Float64Array | null)[];
  private readonly diag: Float64Array;
  private readonly mean: Float64Array;
  private readonly strong: Uint8Array;
  private readonly strongList: Int32Array;
  private nStrong = 0;
  private readonly isActive: Uint8Array;
  private readonly activeList: Int32Array;
  private nActive = 0;
  private readonly scatter: Float64Array;
  private readonly total: number;
  private rsq = 0;
  private thr = NaN;

  constructor(readonly prob: ElnetProblem) {
    const { n, p } = prob.std.x;
    this.n = n;
    this.p = p;
    this.beta = new Float64Array(p);
    this.absGrad = new Float64Array(p);
    this.c = new Float64Array(p);
    this.g = new Float64Array(p);
    this.gram = new Array<Float64Array | null>(p).fill(null);
    this.diag = new Float64Array(p);
    this.mean = new Float64Array(p);
    this.strong = new Uint8Array(p);
    this.strongList = new Int32Array(p);
    this.isActive = new Uint8Array(p);
    this.activeList = new Int32Array(p);
    this.scatter = new Float64Array(n);
    const { w, y } = prob;
    let t = 0;
    for (let i = 0; i < n; i++) t += w[i] * y[i] * y[i];
    this.total = t;
    this.initialGradient();
    for (let j = 0; j < p; j++) if (prob.std.usable[j] && prob.vp[j] === 0) this.addStrong(j);
  }

  /** The intercept in the parametrisation of elnetSolver.ts: a0 = -sum_j beta_j c_j / s_j. */
  get a0(): number {
    const { centre, scale } = this.prob.std;
    let a = 0;
    for (let t = 0; t < this.nActive; t++) {
      const j = this.activeList[t];
      a -= (this.beta[j] * centre[j]) / scale[j];
    }
    return a;
  }

  /** c_j = x~_j' W y~, the column means under W, and G_jj. */
  private initialGradient(): void {
    const { colPtr, rowIdx, values } = this.prob.std.x;
    const { centre, scale, usable } = this.prob.std;
    const { w, y } = this.prob;
    let ys = 0;
    for (let i = 0; i < this.n; i++) ys += w[i] * y[i];
    for (let j = 0; j < this.p; j++) {
      if (!usable[j]) continue;
      let sy = 0, sx = 0, sxx = 0;
      for (let k = colPtr[j]; k < colPtr[j + 1]; k++) {
        const i = rowIdx[k], x = values[k];
        sy += w[i] * y[i] * x;
        sx += w[i] * x;
        sxx += w[i] * x * x;
      }
      const s = scale[j], cj = centre[j];
      this.mean[j] = sx;
      this.c[j] = (sy - cj * ys) / s;
      this.g[j] = this.c[j];
      this.absGrad[j] = Math.abs(this.c[j]);
      this.diag[j] = (sxx - 2 * cj * sx + cj * cj) / (s * s);
    }
  }

  /** Column k of G = X~' W X~. */
  private column(k: number): Float64Array {
    const cached = this.gram[k];
    if (cached !== null) return cached;
    const { colPtr, rowIdx, values } = this.prob.std.x;
    const { centre, scale, usable } = this.prob.std;
    const w = this.prob.w, sc = this.scatter;
    for (let t = colPtr[k]; t < colPtr[k + 1]; t++) sc[rowIdx[t]] = w[rowIdx[t]] * values[t];
    const out = new Float64Array(this.p);
    const ck = centre[k], sk = scale[k], mk = this.mean[k];
    for (let j = 0; j < this.p; j++) {
      if (!usable[j]) continue;
      let sxx = 0;
      for (let t = colPtr[j]; t < colPtr[j + 1]; t++) sxx += sc[rowIdx[t]] * values[t];
      const cj = centre[j];
      out[j] = (sxx - cj * mk - ck * this.mean[j] + cj * ck) / (scale[j] * sk);
    }
    for (let t = colPtr[k]; t < colPtr[k + 1]; t++) sc[rowIdx[t]] = 0;
    this.gram[k] = out;
    return out;
  }

  private addStrong(j: number): void {
    this.strong[j] = 1;
    this.strongList[this.nStrong++] = j;
  }

  solve(lambda: number, prevLambda: number): void {
    const { alpha, vp, std } = this.prob;
    if (Number.isNaN(this.thr)) this.thr = this.prob.thresh * Math.max(this.total, 1e-300);
    const tlam = alpha * (2 * lambda - prevLambda);
    for (let j = 0; j < this.p; j++) if (std.usable[j] && !this.strong[j] && this.absGrad[j] > tlam * vp[j]) this.addStrong(j);
    const l1 = lambda * alpha, l2 = lambda * (1 - alpha);
    for (;;) {
      this.descend(l1, l2);
      if (!this.kkt(l1)) break;
    }
    this.loss = (this.total - this.rsq) / 2;
  }

  markNull(loss: number): void {
    this.nullLoss = loss;
  }

  /** Passes over the strong set and the active set, with an exact solve on the active set once it settles. */
  private descend(l1: number, l2: number): void {
    for (;;) {
      if (this.pass(this.strongList, this.nStrong, l1, l2, true) < this.thr) return;
      while (this.pass(this.activeList, this.nActive, l1, l2, false) >= this.thr) {
        if (this.polish(l1, l2)) break;
      }
    }
  }

  private pass(list: Int32Array, m: number, l1: number, l2: number, strongPass: boolean): number {
    const { vp } = this.prob;
    const beta = this.beta, g = this.g, diag = this.diag;
    let dlx = 0;
    for (let t = 0; t < m; t++) {
      const k = list[t];
      const h = diag[k], bk = beta[k];
      const u = g[k] + h * bk;
      const excess = Math.abs(u) - l1 * vp[k];
      const den = h + l2 * vp[k];
      const nb = excess > 0 && den > 0 ? (Math.sign(u) * excess) / den : 0;
      const d = nb - bk;
      if (d === 0) continue;
      if (strongPass && !this.isActive[k]) {
        this.isActive[k] = 1;
        this.activeList[this.nActive++] = k;
      }
      this.rsq += d * (2 * g[k] - d * h);
      beta[k] = nb;
      const col = this.column(k);
      for (let j = 0; j < this.p; j++) g[j] -= d * col[j];
      dlx = Math.max(dlx, h * d * d);
    }
    if (++this.passes > this.prob.maxit) throw new MaxPassesError(this.prob.maxit);
    return dlx;
  }

  /**
   * The stationarity conditions on the nonzero coefficients, solved by
   * Cholesky; kept when every sign agrees (then true: the active set is exact).
   */
  private polish(l1: number, l2: number): boolean {
    const { vp } = this.prob;
    const A = Array.from(this.activeList.subarray(0, this.nActive)).filter((j) => this.beta[j] !== 0);
    const m = A.length;
    if (m === 0) return false;
    const L = new Float64Array(m * m), b = new Float64Array(m);
    A.forEach((k, q) => {
      const col = this.column(k);
      for (let r = q; r < m; r++) L[r + q * m] = col[A[r]];
      L[q + q * m] += l2 * vp[k];
      b[q] = this.c[k] - l1 * vp[k] * Math.sign(this.beta[k]);
    });
    if (potrfUnblocked(m, L, 0, m) !== 0) return false;
    trsvLower(m, L, 0, m, b, 0);
    trsvLowerTrans(m, L, 0, m, b, 0);
    for (let q = 0; q < m; q++) if (Math.sign(b[q]) !== Math.sign(this.beta[A[q]]) || !Number.isFinite(b[q])) return false;
    A.forEach((k, q) => (this.beta[k] = b[q]));
    this.g.set(this.c);
    let quad = 0, lin = 0;
    A.forEach((k, q) => {
      const col = this.column(k);
      for (let j = 0; j < this.p; j++) this.g[j] -= b[q] * col[j];
      lin += b[q] * this.c[k];
    });
    A.forEach((k, q) => (quad += b[q] * (this.c[k] - this.g[k])));
    this.rsq = 2 * lin - quad;
    return true;
  }

  /** |g_j| for every usable column; outside the strong set, violators of |g_j| <= lambda alpha vp_j join it. */
  private kkt(l1: number): boolean {
    const { usable } = this.prob.std;
    const vp = this.prob.vp;
    let violated = false;
    for (let j = 0; j < this.p; j++) {
      if (!usable[j]) continue;
      this.absGrad[j] = Math.abs(this.g[j]);
      if (!this.strong[j] && this.absGrad[j] > l1 * vp[j]) {
        this.addStrong(j);
        violated = true;
      }
    }
    return violated;
  }
}
