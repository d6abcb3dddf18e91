/**
 * The analytic gradient of the exact Laplace criterion over (theta, beta) for
 * one scalar random-effects term and a canonical link (binomial/logit,
 * poisson/log), at the converged modes of ScalarPirls.run(theta, beta).
 *
 *   F(theta, beta) = P(u~, theta, beta) + sum_g log D_g,
 *   P = sum_i dev_i + |u|^2,  D_g = 1 + theta^2 S_g,  S_g = sum_{i in g} z_i^2 W_i,
 *   eta_i = x_i'beta + offset_i + theta z_i u_g.
 *
 * For a canonical link wr_i = pw_i (y_i - mu_i) and d wr_i / d eta_i = -W_i;
 * W'_i = dW_i / d eta_i is W_i (1 - 2 mu_i) (logit) or W_i (log). The mode
 * solves h_g = u_g - theta r_g = 0, r_g = sum z_i wr_i, so that (implicit
 * differentiation, dh_g / du_g = D_g)
 *
 *   du_g/dtheta = (r_g - theta u_g S_g) / D_g,   du_g/dbeta = -theta F_g / D_g,  F_g = sum z_i W_i x_i.
 *
 * P is stationary in u, so only its partial derivatives enter:
 *
 *   dF/dtheta = -2 sum_g u_g r_g + sum_g [2 theta S_g + theta^2 T_g (u_g + theta du_g/dtheta)] / D_g,
 *   dF/dbeta  = -2 sum_i wr_i x_i + sum_g theta^2 [E_g + theta T_g du_g/dbeta] / D_g,
 *
 * with T_g = sum z_i^3 W'_i and E_g = sum z_i^2 W'_i x_i. One pass over the
 * rows (no exp: mu is the engine's) and one over the groups. The
 * sensitivities du/dtheta and du/dbeta are kept, so that the next PIRLS run
 * can start from the first-order prediction of its modes (`predictModes`,
 * in the effects b = theta u).
 *
 * The Hessian (`hessian`, after `gradient` at the same point), phi = (theta,
 * beta), indices a, b. With the total derivatives of the linear predictor
 * eta_a = z (u_g + theta u_a) (a = theta) or x_a + theta z u_a (a in beta),
 * u_a = du_g/dphi_a, and W'' = dW'/d eta (logit W[(1 - 2 mu)^2 - 2 mu (1 - mu)],
 * log W), per group
 *
 *   B_a = sum z^2 W' eta_a,  G_a = sum z W eta_a,  A_ab = sum z^2 W'' eta_a eta_b,  C_ab = sum z W' eta_a eta_b,
 *   D u_ab = -[d_a G_b + d_b G_a + theta C_ab + theta S (d_a u_b + d_b u_a)]   (d_a = 1 for a = theta),
 *   D_a = 2 theta d_a S + theta^2 B_a,
 *   D_ab = 2 d_a d_b S + 2 theta (d_a B_b + d_b B_a) + theta^2 [A_ab + T (d_a u_b + d_b u_a + theta u_ab)],
 *
 * (the second derivatives of h_g = u_g - theta r_g = 0 and of D_g), and
 *
 *   d2F/dphi_a dphi_b = 2 sum_i W e_a e_b - sum_g 2 D u_a u_b + sum_g (D_ab / D - D_a D_b / D^2),
 *
 * e = (z u_g, x) the partial derivatives of eta at fixed u: the first two
 * terms are the Schur complement of P's Hessian in u (P profiled over u), the
 * last the log determinant's. One more pass over the rows.
 */
import type { ScalarPirls } from '../pirls/pirlsScalar.js';

/** True when the engine's family has the canonical link the gradient assumes. */
export function hasLaplaceGradient(engine: ScalarPirls): boolean {
  const f = engine.resp.family;
  return (f.name === 'binomial' && f.link.name === 'logit') || (f.name === 'poisson' && f.link.name === 'log');
}

export class LaplaceGradient {
  readonly G: number;
  readonly p: number;
  private readonly logit: boolean;
  private readonly r: Float64Array;
  private readonly S: Float64Array;
  private readonly T: Float64Array;
  private readonly E: Float64Array;
  private readonly F: Float64Array;
  private readonly gradBeta: Float64Array;
  /** Sensitivities at `base`: du/dtheta (G) and du/dbeta (G x p, group-major). */
  private readonly dudTheta: Float64Array;
  private readonly dudBeta: Float64Array;
  private readonly uBase: Float64Array;
  /** [theta, beta] where the sensitivities were taken; NaN before the first gradient. */
  private readonly base: Float64Array;
  /** Per-group sums of `hessian` (allocated at its first call). */
  private sums: { R: Float64Array; Q: Float64Array; kA: Float64Array; kG: Float64Array } | null = null;

  constructor(readonly engine: ScalarPirls) {
    if (!hasLaplaceGradient(engine)) throw new Error('LaplaceGradient needs binomial/logit or poisson/log');
    const G = engine.q, p = engine.p;
    this.G = G;
    this.p = p;
    this.logit = engine.resp.family.name === 'binomial';
    this.r = new Float64Array(G);
    this.S = new Float64Array(G);
    this.T = new Float64Array(G);
    this.E = new Float64Array(G * p);
    this.F = new Float64Array(G * p);
    this.gradBeta = new Float64Array(p);
    this.dudTheta = new Float64Array(G);
    this.dudBeta = new Float64Array(G * p);
    this.uBase = new Float64Array(G);
    this.base = new Float64Array(p + 1).fill(NaN);
  }

  /** Per-group sums r, S, T, E, F and -2 X'wr into gradBeta, from the engine's mu. */
  private accumulate(): void {
    const { engine, p, r, S, T, E, F, gradBeta, logit } = this;
    const { n, X } = engine;
    const { refs, z } = engine.term;
    const { y, pw } = engine.resp;
    const mu = engine.rows.mu;
    r.fill(0);
    S.fill(0);
    T.fill(0);
    E.fill(0);
    F.fill(0);
    gradBeta.fill(0);
    for (let i = 0; i < n; i++) {
      const w = pw[i];
      if (w === 0) continue;
      const m = mu[i], g = refs[i], zi = z[i];
      const W = logit ? w * m * (1 - m) : w * m;
      const W1 = logit ? W * (1 - 2 * m) : W;
      const wr = w * (y[i] - m);
      const zW = zi * W, z2W1 = zi * zi * W1;
      r[g] += zi * wr;
      S[g] += zi * zW;
      T[g] += zi * z2W1;
      const o = g * p;
      for (let j = 0; j < p; j++) {
        const x = X[i + j * n];
        E[o + j] += z2W1 * x;
        F[o + j] += zW * x;
        gradBeta[j] -= 2 * wr * x;
      }
    }
  }

  /**
   * Writes dF/d(theta, beta) at the engine's state (its last run at `theta`
   * and its beta) into out[0..p]; keeps the sensitivities for predictModes.
   */
  gradient(theta: ArrayLike<number>, out: Float64Array): boolean {
    this.accumulate();
    const { engine, p, G, r, S, T, E, F, dudTheta, dudBeta } = this;
    const u = engine.u, th = theta[0], th2 = th * th;
    let gTheta = 0;
    for (let j = 0; j < p; j++) out[1 + j] = this.gradBeta[j];
    out[0] = 0;
    this.uBase.set(u);
    this.base[0] = th;
    this.base.set(engine.beta, 1);
    // out[0] is stored as the loop goes, and nothing follows the loop: V8 compiles this function
    // on the stack inside it, and code after it that had never run would deoptimise it every call.
    for (let g = 0; g < G; g++) {
      const D = 1 + th2 * S[g], ug = u[g];
      const dth = (r[g] - th * ug * S[g]) / D;
      dudTheta[g] = dth;
      gTheta += -2 * ug * r[g] + (2 * th * S[g] + th2 * T[g] * (ug + th * dth)) / D;
      const o = g * p, c = th2 / D;
      for (let j = 0; j < p; j++) {
        const db = (-th * F[o + j]) / D;
        dudBeta[o + j] = db;
        out[1 + j] += c * (E[o + j] + th * T[g] * db);
      }
      out[0] = gTheta;
    }
    return true;
  }

  /**
   * Writes d2F/dphi^2 (row-major, (p + 1)^2) at the point of the last
   * `gradient` (the engine's state, its per-group sums and the sensitivities
   * kept there) into `out`; false when a value is not finite.
   *
   * D_g, T_g and u_a are known before the pass, so the terms of sum_g D_ab / D
   * that are linear in A, C and G are summed with the weights theta^2 / D (A),
   * theta^4 T / D^2 (C, through u_ab) and theta^3 T / D^2 (G). With
   * eta_a = xt_a + z c_a per group (xt = (0, x), c_0 = u_g + theta u_theta,
   * c_j = theta u_j), every sum over a group's rows is one of gradient's
   * (S, T, E = sum z^2 W' x, F = sum z W x) or of this pass's
   * R = sum z^4 W'', Q = sum z^3 W'' x, and the rows add only X'WX and
   * X' diag(theta^2 z^2 W'' / D - theta^4 T z W' / D^2) X.
   */
  hessian(theta: ArrayLike<number>, out: Float64Array): boolean {
    const { engine, p, G, S, T, E, F, dudTheta, dudBeta, logit } = this;
    const m = p + 1, th = theta[0], th2 = th * th;
    const { n, X } = engine;
    const { refs, z } = engine.term;
    const pw = engine.resp.pw;
    const mu = engine.rows.mu, u = engine.u;
    this.sums ??= { R: new Float64Array(G), Q: new Float64Array(G * p), kA: new Float64Array(G), kG: new Float64Array(G) };
    const { R, Q, kA, kG } = this.sums;
    for (let g = 0; g < G; g++) {
      const D = 1 + th2 * S[g];
      kA[g] = th2 / D;
      kG[g] = (th2 * th * T[g]) / (D * D);
    }
    R.fill(0);
    Q.fill(0);
    // XWX: sum W x x'; XwX: sum w x x' with w = kA z^2 W'' - theta kG z W' (lower triangles, p x p).
    const XWX = new Float64Array(p * p), XwX = new Float64Array(p * p);
    for (let i = 0; i < n; i++) {
      const wi = pw[i];
      if (wi === 0) continue;
      const mi = mu[i], g = refs[i], zi = z[i];
      const W = logit ? wi * mi * (1 - mi) : wi * mi;
      const c = 1 - 2 * mi;
      const W1 = logit ? W * c : W;
      const W2 = logit ? W * (c * c - 2 * mi * (1 - mi)) : W;
      const z3W2 = zi * zi * zi * W2, w = kA[g] * zi * zi * W2 - th * kG[g] * zi * W1, o = g * p;
      R[g] += zi * z3W2;
      for (let j = 0; j < p; j++) {
        const xj = X[i + j * n], Wx = W * xj, wx = w * xj;
        Q[o + j] += z3W2 * xj;
        for (let k = 0; k <= j; k++) {
          const xk = X[i + k * n];
          XWX[j * p + k] += Wx * xk;
          XwX[j * p + k] += wx * xk;
        }
      }
    }
    out.fill(0);
    for (let j = 0; j < p; j++) for (let k = 0; k <= j; k++) out[(1 + j) * m + 1 + k] = 2 * XWX[j * p + k] + XwX[j * p + k];
    const ca = new Float64Array(m), ua = new Float64Array(m), Ba = new Float64Array(m), Da = new Float64Array(m), Za = new Float64Array(m), Fa = new Float64Array(m);
    for (let g = 0; g < G; g++) {
      const Sg = S[g], Tg = T[g], D = 1 + th2 * Sg, o = g * p, ug = u[g], kg = kG[g];
      ua[0] = dudTheta[g];
      ca[0] = ug + th * ua[0];
      Ba[0] = ca[0] * Tg;
      Fa[0] = 0;
      Za[0] = 0;
      for (let j = 0; j < p; j++) {
        const a = 1 + j;
        ua[a] = dudBeta[o + j];
        ca[a] = th * ua[a];
        Ba[a] = E[o + j] + ca[a] * Tg;
        Fa[a] = F[o + j];
        Za[a] = kA[g] * Q[o + j] - th * kg * E[o + j];
      }
      // Y = sum over the group's rows of w z^2.
      const Y = kA[g] * R[g] - th * kg * Tg;
      for (let a = 0; a < m; a++) Da[a] = th2 * Ba[a];
      Da[0] += 2 * th * Sg;
      const iD = 1 / D, iD2 = iD * iD, cu = th2 * Tg * iD * (1 - th2 * Sg * iD), twoD = 2 * D;
      // Theta's row: 2 S / D + 4 theta B_0 / D + 2 cu u_0 - 2 GT_0, and P's 2 u^2 S, 2 u F.
      out[0] += 2 * Sg * iD + 4 * th * Ba[0] * iD + 2 * cu * ua[0] - 2 * kg * ca[0] * Sg + 2 * ug * ug * Sg;
      for (let a = 1; a < m; a++) out[a * m] += 2 * th * Ba[a] * iD + cu * ua[a] - kg * (Fa[a] + ca[a] * Sg) + 2 * ug * Fa[a];
      for (let a = 0; a < m; a++) {
        const da = Da[a] * iD2, tu = twoD * ua[a], cA = ca[a], zA = Za[a];
        for (let b = 0; b <= a; b++) {
          // M's group part: c_a Z_b + c_b Z_a + c_a c_b Y (Z_0 = 0).
          out[a * m + b] += cA * Za[b] + ca[b] * zA + cA * ca[b] * Y - da * Da[b] - tu * ua[b];
        }
      }
    }
    for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) out[b * m + a] = out[a * m + b];
    return out.every(Number.isFinite);
  }

  /**
   * Sets the engine's modes to the first-order prediction at (theta, beta)
   * from the last gradient's point, taken in the effects b = theta u:
   * b = b_base + (u_base + theta_base du/dtheta) dtheta + theta_base du/dbeta dbeta, that is
   *
   *   u = u_base + (theta_base / theta) (du/dtheta dtheta + du/dbeta dbeta),
   *
   * marked as modes at theta (the engine's warm start does not rescale them
   * again). The effects vary less with theta than u does: on the large steps
   * of theta far from the optimum the prediction in u overshoots (ctr_1e5: 38
   * PIRLS passes over 9 evaluations, against 70 with the prediction in u
   * rescaled by the warm start). Does nothing before the first gradient, or
   * when theta changes sign or is 0 (the warm start then applies).
   */
  predictModes(theta: ArrayLike<number>, beta: ArrayLike<number>): void {
    const { base, p, G, uBase, dudTheta, dudBeta } = this;
    const th = theta[0];
    if (!(base[0] * th > 0)) return;
    const u = this.engine.u, dth = th - base[0], r = base[0] / th;
    for (let g = 0; g < G; g++) {
      let v = dudTheta[g] * dth;
      const o = g * p;
      for (let j = 0; j < p; j++) v += dudBeta[o + j] * (beta[j] - base[1 + j]);
      u[g] = uBase[g] + r * v;
    }
    this.engine.restoreModes(th, u);
  }
}
