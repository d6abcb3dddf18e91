/**
 * The analytic gradient of the exact Laplace criterion over (theta, beta)
 * when every random-effects term is scalar and has its own grouping factor
 * (e.g. crossed (1 | id) + (1 | item)), for a canonical link, at the
 * converged modes of BlockedPirls.run(theta, beta). Generalises
 * laplaceGradient.ts (one term) to
 *
 *   F = P(u~) + log det M,  P = sum_i dev_i + |u|^2,  M = A'WA + I,  A = Z Lambda,
 *
 * a_i the i-th row of A (one entry theta_t z_ti per term t). With C = M^-1,
 * leverages h_i = a_i'C a_i, nu = C A'(W' h) and k_i = W'_i h_i - W_i (A nu)_i
 * (implicit differentiation of the modes, as in laplaceGradient.ts):
 *
 *   dF/dbeta    = X'(-2 wr + k),
 *   dF/dtheta_t = sum_i v_ti (-2 wr_i + k_i) + (2 / theta_t)(q_t - sum_{c in t} C_cc)
 *                 + sum_{c in t} nu_c (Z'wr)_c,     v_ti = z_ti u_{t, l_t(i)},
 *
 * and 0 at theta_t = 0 (F is even in each theta_t). M is held as the
 * diagonal block of the factor with most levels (D1), the dense block M12
 * between it and the rest, and the dense rest M22: then
 * S = M22 - M12'D1^-1 M12, C22 = S^-1, C12 = -D1^-1 M12 C22 and
 * diag C11 = (1 - sum_l C12[., l] M12[., l]) / D1 cost O(q1 q2^2 + q2^3) with
 * q2 the levels outside the largest factor, which must stay small (MAX_REST).
 */
import { potrfUnblocked } from '../../linalg/potrf.js';
import { potriLower } from '../../linalg/potri.js';
import type { BlockedPirls } from '../pirls/pirlsBlocked.js';
import { crossedOffsets, POTRI_MIN } from '../pirls/crossedSystem.js';
import { c12Entry, rowsTimesSymmetric, schurLower } from '../pirls/schur.js';

/** Largest number of random effects outside the largest factor (dense q2 x q2 work). */
export const MAX_REST = 400;

/** True when the gradient applies: all factor blocks scalar, two or more, canonical link, small rest. */
export function hasCrossedGradient(engine: BlockedPirls): boolean {
  const f = engine.resp.family;
  const canonical = (f.name === 'binomial' && f.link.name === 'logit') || (f.name === 'poisson' && f.link.name === 'log');
  const fs = engine.factors;
  if (!canonical || fs.length < 2 || !fs.every((b) => b.k === 1)) return false;
  const big = Math.max(...fs.map((b) => b.nl));
  return engine.q - big <= MAX_REST;
}

export class CrossedGradient {
  private readonly logit: boolean;
  /** Factor block with most levels, and the column of every other block's first level in the rest. */
  private readonly big: number;
  private readonly restOff: Int32Array;
  /** Offset of each factor block in u. */
  private readonly uOff: Int32Array;
  private readonly q1: number;
  private readonly q2: number;
  private readonly d1: Float64Array;
  private readonly m12: Float64Array;
  /** D1 and M12 in use: this gradient's own, or the PIRLS system's. */
  private D1: Float64Array;
  private M12: Float64Array;
  private readonly m22: Float64Array;
  private readonly c12: Float64Array;
  private readonly c11: Float64Array;
  private readonly zwr: Float64Array;
  private readonly wt: Float64Array;
  private readonly h: Float64Array;
  private readonly th: Float64Array;
  /** The engine's run count at the last gradient (its state is that point's while it has not run since), or -1. */
  private baseRun = -1;
  /** The prediction's right-hand side and step, in [big | rest] order. */
  private readonly rhs: Float64Array;
  /** potriLower's scratch (q2 x q2) where the WebAssembly module does not take the order; made on first use. */
  private scratch: Float64Array | null = null;

  constructor(readonly engine: BlockedPirls) {
    if (!hasCrossedGradient(engine)) throw new Error('CrossedGradient needs scalar terms on distinct factors and a canonical link');
    const fs = engine.factors;
    this.logit = engine.resp.family.name === 'binomial';
    ({ big: this.big, q1: this.q1, q2: this.q2, uOff: this.uOff, restOff: this.restOff } = crossedOffsets(fs));
    const r = this.q2;
    this.d1 = new Float64Array(this.q1);
    this.c11 = new Float64Array(this.q1);
    this.m12 = new Float64Array(this.q1 * r);
    this.D1 = this.d1;
    this.M12 = this.m12;
    this.c12 = new Float64Array(this.q1 * r);
    this.m22 = new Float64Array(r * r);
    this.zwr = new Float64Array(engine.q);
    this.wt = new Float64Array(engine.q);
    this.h = new Float64Array(engine.n);
    this.th = new Float64Array(fs.length);
    this.rhs = new Float64Array(engine.q);
  }

  /** Column of row i's level of block j in the [big | rest] ordering. */
  private col(j: number, lev: number): number {
    return j === this.big ? lev : this.q1 + this.restOff[j] + lev;
  }

  /** M's blocks at the engine's rows. */
  private formM(): void {
    const { engine, d1, m12, m22, q2, th, big, restOff } = this;
    const fs = engine.factors, m = fs.length, { n } = engine;
    const { pw } = engine.resp;
    const mu = engine.rows.mu;
    d1.fill(1);
    m12.fill(0);
    m22.fill(0);
    for (let c = 0; c < q2; c++) m22[c * q2 + c] = 1;
    const bf = fs[big];
    for (let i = 0; i < n; i++) {
      const w = pw[i];
      if (w === 0) continue;
      const mi = mu[i];
      const W = this.logit ? w * mi * (1 - mi) : w * mi;
      const l1 = bf.refs[i], a1 = th[big] * bf.z[i];
      d1[l1] += a1 * a1 * W;
      for (let j = 0; j < m; j++) {
        if (j === big) continue;
        const fj = fs[j], cj = restOff[j] + fj.refs[i], aj = th[j] * fj.z[i];
        m12[l1 * q2 + cj] += a1 * aj * W;
        for (let k = 0; k < m; k++) {
          if (k === big) continue;
          const ck = restOff[k] + fs[k].refs[i];
          m22[cj * q2 + ck] += aj * th[k] * fs[k].z[i] * W;
        }
      }
    }
  }

  /**
   * S = M22 - M12'D1^-1 M12 factored; C22 = S^-1 into m22, C12 into c12,
   * diag C11 into c11. False when S is not positive definite.
   */
  private invert(): boolean {
    const { d1, m12, m22, q1, q2 } = this;
    const S = m22;
    schurLower(S, m12, d1, q1, q2);
    if (potrfUnblocked(q2, S, 0, q2) !== 0) return false;
    this.D1 = d1;
    this.M12 = m12;
    this.fromFactor(S.slice());
    return true;
  }

  /**
   * C22 = S^-1 into m22, C12 into c12 and diag C11 into c11 from D1, M12
   * (this.D1, this.M12) and L, S's Cholesky factor (column-major lower).
   */
  private fromFactor(L: Float64Array): void {
    const { D1: d1, M12: m12, m22: inv, c12, c11, q1, q2 } = this;
    if (q2 >= POTRI_MIN) {
      // potri.ts's inverse (the WebAssembly module's from order 65), its lower triangle mirrored.
      potriLower(q2, L, 0, q2, inv, (this.scratch ??= new Float64Array(q2 * q2)));
      for (let j = 0; j < q2; j++) for (let i = j + 1; i < q2; i++) inv[j + i * q2] = inv[i + j * q2];
      rowsTimesSymmetric(m12, d1, inv, q1, q2, c12, c11);
      return;
    }
    for (let c = 0; c < q2; c++) {
      const x = new Float64Array(q2);
      x[c] = 1;
      for (let r = 0; r < q2; r++) {
        let s = x[r];
        for (let k = 0; k < r; k++) s -= L[r + k * q2] * x[k];
        x[r] = s / L[r + r * q2];
      }
      for (let r = q2 - 1; r >= 0; r--) {
        let s = x[r];
        for (let k = r + 1; k < q2; k++) s -= L[k + r * q2] * x[k];
        x[r] = s / L[r + r * q2];
      }
      for (let r = c; r < q2; r++) inv[r * q2 + c] = x[r];
    }
    // C22 symmetric to the bit: its upper triangle mirrors the lower.
    for (let a = 0; a < q2; a++) for (let b = a + 1; b < q2; b++) inv[a * q2 + b] = inv[b * q2 + a];
    rowsTimesSymmetric(m12, d1, inv, q1, q2, c12, c11);
  }

  /** nu = M^-1 w in place (w in [big | rest] order). */
  private solveM(w: Float64Array): void {
    const { D1: d1, M12: m12, m22: C22, q1, q2 } = this;
    const r = new Float64Array(q2);
    for (let a = 0; a < q2; a++) r[a] = w[q1 + a];
    for (let l = 0; l < q1; l++) {
      const v = w[l] / d1[l], o = l * q2;
      for (let a = 0; a < q2; a++) r[a] -= m12[o + a] * v;
    }
    for (let a = 0; a < q2; a++) {
      let s = 0;
      for (let b = 0; b < q2; b++) s += C22[a * q2 + b] * r[b];
      w[q1 + a] = s;
    }
    for (let l = 0; l < q1; l++) {
      let s = w[l];
      const o = l * q2;
      for (let a = 0; a < q2; a++) s -= m12[o + a] * w[q1 + a];
      w[l] = s / d1[l];
    }
  }

  /**
   * Writes dF/d(theta, beta) into out (ntheta + p, theta in the LambdaMap's
   * order) at the engine's state after run(theta, beta). False when M's
   * Schur complement is not positive definite.
   */
  gradient(theta: ArrayLike<number>, out: Float64Array): boolean {
    this.baseRun = -1;
    const { engine, th, h, wt, q1, q2, big, restOff, zwr } = this;
    const fs = engine.factors, m = fs.length, { n, p } = engine;
    const index = engine.map.index;
    for (let j = 0; j < m; j++) th[j] = theta[index[j][0]];
    // PIRLS's last step factored M at these weights: reuse it when it can.
    const f = engine.crossedSystem?.factorAt(th) ?? null;
    if (f !== null) {
      this.D1 = f.d1;
      this.M12 = f.m12;
      this.fromFactor(f.L);
    } else {
      this.formM();
      if (!this.invert()) return false;
    }
    const { c11, c12, m22: C22 } = this;
    const { y, pw } = engine.resp;
    const mu = engine.rows.mu, X = engine.frame.X, u = engine.u;
    const bf = fs[big], bRefs = bf.refs, bz = bf.z, thb = th[big], ub = this.uOff[big];
    // Leverages h_i, w~ = A'(W' h) and Z'wr.
    wt.fill(0);
    zwr.fill(0);
    const o = big === 0 ? 1 : 0;
    const two: TwoFactors | null = m === 2
      ? { n, pw, mu, y, logit: this.logit, bRefs, bz, thb, oRefs: fs[o].refs, oz: fs[o].z, tho: th[o], ro: restOff[o], ub, uo: this.uOff[o], q1, q2, u, X, p, sums: new Float64Array(2) }
      : null;
    if (two !== null) {
      leveragesTwo(two, this.M12, this.D1, c11, c12, C22, h, wt, zwr);
    } else {
      for (let i = 0; i < n; i++) {
        const w = pw[i];
        h[i] = 0;
        if (w === 0) continue;
        const mi = mu[i], W = this.logit ? w * mi * (1 - mi) : w * mi, W1 = this.logit ? W * (1 - 2 * mi) : W;
        const wr = w * (y[i] - mi);
        const l1 = bRefs[i], a1 = thb * bz[i];
        zwr[ub + l1] += bz[i] * wr;
        let hi = a1 * a1 * c11[l1];
        for (let j = 0; j < m; j++) {
          if (j === big) continue;
          const fj = fs[j], lj = fj.refs[i], cj = restOff[j] + lj, aj = th[j] * fj.z[i];
          zwr[this.uOff[j] + lj] += fj.z[i] * wr;
          const c = c12[l1 * q2 + cj];
          hi += 2 * a1 * aj * (c === c ? c : c12Entry(this.M12, this.D1, C22, l1, cj, q2));
          for (let k = 0; k < m; k++) {
            if (k === big) continue;
            hi += aj * th[k] * fs[k].z[i] * C22[cj * q2 + restOff[k] + fs[k].refs[i]];
          }
        }
        h[i] = hi;
        const c = W1 * hi;
        wt[l1] += a1 * c;
        for (let j = 0; j < m; j++) if (j !== big) wt[q1 + restOff[j] + fs[j].refs[i]] += th[j] * fs[j].z[i] * c;
      }
    }
    this.solveM(wt);
    const nt = engine.map.ntheta;
    out.fill(0);
    if (two !== null) {
      rowTermsTwo(two, h, wt, out, nt);
      out[index[big][0]] += two.sums[0];
      out[index[o][0]] += two.sums[1];
    } else {
      for (let i = 0; i < n; i++) {
        const w = pw[i];
        if (w === 0) continue;
        const mi = mu[i], W = this.logit ? w * mi * (1 - mi) : w * mi, W1 = this.logit ? W * (1 - 2 * mi) : W;
        let anu = 0;
        for (let j = 0; j < m; j++) anu += th[j] * fs[j].z[i] * wt[this.col(j, fs[j].refs[i])];
        const coef = -2 * w * (y[i] - mi) + W1 * h[i] - W * anu;
        for (let a = 0; a < p; a++) out[nt + a] += X[i + a * n] * coef;
        for (let j = 0; j < m; j++) out[index[j][0]] += fs[j].z[i] * u[this.uOff[j] + fs[j].refs[i]] * coef;
      }
    }
    for (let j = 0; j < m; j++) {
      const e = index[j][0];
      if (th[j] === 0) {
        out[e] = 0;
        continue;
      }
      let trace = 0, nuz = 0;
      for (let l = 0; l < fs[j].nl; l++) {
        const c = this.col(j, l);
        trace += c < q1 ? c11[c] : C22[(c - q1) * q2 + (c - q1)];
        nuz += wt[c] * zwr[this.uOff[j] + l];
      }
      out[e] += (2 / th[j]) * (fs[j].nl - trace) + nuz;
    }
    this.baseRun = engine.runs;
    return true;
  }

  /**
   * Sets the engine's modes to the first-order prediction at (theta, beta) from the last
   * gradient's point, while the engine is still there (it has not run since, so that its
   * modes, means and M's factor are that point's), by implicit differentiation of the modes'
   * equation A'wr - u = 0 (A = Z Lambda, eta = X beta + A u, wr_i = pw_i (y_i - mu_i)): for
   * the step (dtheta, dbeta), with dA_i holding dtheta_t z_ti in factor t's column,
   *
   *   M du = sum_i dA_i' wr_i - sum_i a_i W_i (x_i'dbeta + dA_i u),
   *
   * taken in the effects b = theta u as laplaceGradient.ts does: u_t + (theta_t,base / theta_t) du_t.
   * One pass over the rows and one solve with M. Does nothing when the engine has run since
   * the gradient, or when a theta changes sign or is 0 (the plain warm start then applies).
   */
  predictModes(theta: ArrayLike<number>, beta: ArrayLike<number>): void {
    const { engine, th, rhs, q1, big, restOff, uOff } = this;
    if (this.baseRun < 0 || engine.runs !== this.baseRun) return;
    const fs = engine.factors, m = fs.length, { n, p } = engine;
    const index = engine.map.index;
    for (let t = 0; t < m; t++) if (!(th[t] * theta[index[t][0]] > 0)) return;
    const { y, pw } = engine.resp;
    const mu = engine.rows.mu, X = engine.frame.X, u = engine.u, b0 = engine.beta;
    if (m === 2) {
      const o = big === 0 ? 1 : 0;
      predictRhsTwo({
        n, p, pw, mu, y, logit: this.logit, X, u, rhs, q1,
        bRefs: fs[big].refs, bz: fs[big].z, thb: th[big], dthb: theta[index[big][0]] - th[big], ub: uOff[big],
        oRefs: fs[o].refs, oz: fs[o].z, tho: th[o], dtho: theta[index[o][0]] - th[o], uo: uOff[o], ro: restOff[o],
        dbeta: Float64Array.from({ length: p }, (_, k) => beta[k] - b0[k]),
      });
    } else {
      rhs.fill(0);
      const cols = new Int32Array(m), dth = Float64Array.from({ length: m }, (_, t) => theta[index[t][0]] - th[t]);
      const dbeta = Float64Array.from({ length: p }, (_, k) => beta[k] - b0[k]);
      for (let i = 0; i < n; i++) {
        const w = pw[i];
        if (w === 0) continue;
        const mi = mu[i], W = this.logit ? w * mi * (1 - mi) : w * mi, wr = w * (y[i] - mi);
        let e = 0;
        for (let k = 0; k < p; k++) e += X[i + k * n] * dbeta[k];
        for (let t = 0; t < m; t++) {
          const f = fs[t], lev = f.refs[i];
          cols[t] = t === big ? lev : q1 + restOff[t] + lev;
          e += dth[t] * f.z[i] * u[uOff[t] + lev];
        }
        for (let t = 0; t < m; t++) rhs[cols[t]] += fs[t].z[i] * (dth[t] * wr - th[t] * W * e);
      }
    }
    this.solveM(rhs);
    for (let t = 0; t < m; t++) {
      const r = th[t] / theta[index[t][0]], ut = uOff[t], c0 = t === big ? 0 : q1 + restOff[t];
      for (let l = 0; l < fs[t].nl; l++) rhs[c0 + l] = u[ut + l] + r * rhs[c0 + l];
    }
    // rhs now holds the predicted u in [big | rest] order: back to the engine's order.
    const next = new Float64Array(engine.q);
    for (let t = 0; t < m; t++) {
      const ut = uOff[t], c0 = t === big ? 0 : q1 + restOff[t];
      for (let l = 0; l < fs[t].nl; l++) next[ut + l] = rhs[c0 + l];
    }
    engine.setModes(theta, next);
  }
}

/**
 * The arrays and constants of the two-factor loops (m = 2, the common crossed case), which
 * run in functions of their own: V8 then optimises each loop with complete type feedback,
 * rather than the whole gradient, whose second loop had not run yet when the first one
 * was compiled (a deoptimisation on every call until the feedback was filled in).
 */
interface TwoFactors {
  n: number;
  pw: Float64Array;
  mu: Float64Array;
  y: Float64Array;
  logit: boolean;
  bRefs: Int32Array;
  bz: Float64Array;
  thb: number;
  oRefs: Int32Array;
  oz: Float64Array;
  tho: number;
  ro: number;
  ub: number;
  uo: number;
  q1: number;
  q2: number;
  u: Float64Array;
  X: Float64Array;
  p: number;
  /** rowTermsTwo's two sums. */
  sums: Float64Array;
}

/** Leverages h_i, w~ += A'(W' h) and Z'wr for two factors (CrossedGradient.gradient). */
function leveragesTwo(
  t: TwoFactors, m12: Float64Array, d1: Float64Array, c11: Float64Array, c12: Float64Array, C22: Float64Array, h: Float64Array, wt: Float64Array, zwr: Float64Array,
): void {
  const { n, pw, mu, y, logit, bRefs, bz, thb, oRefs, oz, tho, ro, ub, uo, q1, q2 } = t;
  for (let i = 0; i < n; i++) {
    const w = pw[i];
    h[i] = 0;
    if (w === 0) continue;
    const mi = mu[i], W = logit ? w * mi * (1 - mi) : w * mi, W1 = logit ? W * (1 - 2 * mi) : W;
    const wr = w * (y[i] - mi);
    const l1 = bRefs[i], zb = bz[i], a1 = thb * zb;
    const lo = oRefs[i], co = ro + lo, zo = oz[i], ao = tho * zo;
    // C12 is NaN where a sparse row of M12 is 0 (rowsTimesSymmetric): computed here when a row needs it.
    const e12 = c12[l1 * q2 + co];
    const hi = a1 * (a1 * c11[l1] + 2 * ao * (e12 === e12 ? e12 : c12Entry(m12, d1, C22, l1, co, q2))) + ao * ao * C22[co * q2 + co];
    h[i] = hi;
    const c = W1 * hi;
    wt[l1] += a1 * c;
    wt[q1 + co] += ao * c;
    zwr[ub + l1] += zb * wr;
    zwr[uo + lo] += zo * wr;
  }
}

/**
 * The rows' terms of dF/dbeta (into out[nt..]) and of dF/dtheta for two factors: the latter's sums for the big and
 * the other factor into t.sums, added there row by row. V8 compiles the loop on the stack before the function's end
 * has run, and code after the loop (a returned object, or stores of the two sums) then lacked type feedback: the
 * compiled loop deoptimised there on every call (22 times a VerbAgg fit).
 */
function rowTermsTwo(t: TwoFactors, h: Float64Array, wt: Float64Array, out: Float64Array, nt: number): void {
  const { n, pw, mu, y, logit, bRefs, bz, thb, oRefs, oz, tho, ro, ub, uo, q1, u, X, p, sums } = t;
  sums[0] = 0;
  sums[1] = 0;
  for (let i = 0; i < n; i++) {
    const w = pw[i];
    if (w === 0) continue;
    const mi = mu[i], W = logit ? w * mi * (1 - mi) : w * mi, W1 = logit ? W * (1 - 2 * mi) : W;
    const l1 = bRefs[i], zb = bz[i], lo = oRefs[i], zo = oz[i];
    const anu = thb * zb * wt[l1] + tho * zo * wt[q1 + ro + lo];
    const coef = -2 * w * (y[i] - mi) + W1 * h[i] - W * anu;
    for (let a = 0; a < p; a++) out[nt + a] += X[i + a * n] * coef;
    sums[0] += zb * u[ub + l1] * coef;
    sums[1] += zo * u[uo + lo] * coef;
  }
}

/** predictModes' pass over the rows for two factors (a function of its own, as leveragesTwo). */
function predictRhsTwo(t: {
  n: number; p: number; pw: Float64Array; mu: Float64Array; y: Float64Array; logit: boolean; X: Float64Array; u: Float64Array; rhs: Float64Array; q1: number;
  bRefs: Int32Array; bz: Float64Array; thb: number; dthb: number; ub: number;
  oRefs: Int32Array; oz: Float64Array; tho: number; dtho: number; uo: number; ro: number; dbeta: Float64Array;
}): void {
  const { n, p, pw, mu, y, logit, X, u, rhs, q1, bRefs, bz, thb, dthb, ub, oRefs, oz, tho, dtho, uo, ro, dbeta } = t;
  rhs.fill(0);
  for (let i = 0; i < n; i++) {
    const w = pw[i];
    if (w === 0) continue;
    const mi = mu[i], W = logit ? w * mi * (1 - mi) : w * mi, wr = w * (y[i] - mi);
    const lb = bRefs[i], lo = oRefs[i], zb = bz[i], zo = oz[i];
    let e = dthb * zb * u[ub + lb] + dtho * zo * u[uo + lo];
    for (let k = 0; k < p; k++) e += X[i + k * n] * dbeta[k];
    rhs[lb] += zb * (dthb * wr - thb * W * e);
    rhs[q1 + ro + lo] += zo * (dtho * wr - tho * W * e);
  }
}
