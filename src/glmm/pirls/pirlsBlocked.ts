/**
 * PIRLS (pirls.ts) for any random-effects structure, on the LMM's blocked
 * Cholesky factor: each iteration re-forms A with the working weights and
 * response (workingBlocks.ts), factors it (lmm/updateL.ts) and back-solves for
 * the new u (and beta) (lmm/effects.ts).
 *
 * The Newton decrement comes from the factor: at the current iterate the
 * working residual is zeta - X beta - Z Lambda u = r, so the penalised
 * weighted RSS there is sum W r^2 + |u|^2, and the factor's r_L^2 is its
 * minimum; their difference is the predicted decrease of pdev.
 */
import type { ModelFrame } from '../../frame/types.js';
import { condVar as lmmCondVar } from '../../lmm/condVar.js';
import { solveEffects } from '../../lmm/effects.js';
import { factorBlocks, type FactorBlock } from '../../lmm/factorBlocks.js';
import { allocateLambda, lambdaMap, setLambda, type LambdaMap } from '../../lmm/lambda.js';
import { ldL2 } from '../../lmm/objective.js';
import { allocateL, updateL, type LFactor } from '../../lmm/updateL.js';
import { LME4_MAXHALVE, PIRLS_MAXHALVE, PIRLS_MAXIT, PIRLS_STEP_TOL, PIRLS_TOL, type PirlsEngine, type PirlsResult } from './pirls.js';
import type { GlmmResponse } from '../response.js';
import { crossedLayout, CrossedSystem } from './crossedSystem.js';
import { allocateRows, canonicalKernel, rowKernel, type RowKernel, type RowState } from './rowKernel.js';
import { reweightBlocks, workingBlocks, type WorkingBlocks } from './workingBlocks.js';

/** Step-halving state of one PIRLS run. */
interface Halving {
  pdevOld: number;
  halvedNow: number;
  halvings: number;
}

export class BlockedPirls implements PirlsEngine {
  readonly kind = 'blocked';
  readonly n: number;
  readonly p: number;
  readonly q: number;
  readonly u: Float64Array;
  readonly beta: Float64Array;
  readonly eta: Float64Array;
  readonly rows: RowState;
  readonly factors: readonly FactorBlock[];
  readonly map: LambdaMap;
  readonly lambda: Float64Array[];
  /** The row pass of lme4's PIRLS (runLme4): R's deviance expression. */
  private readonly kernel: RowKernel;
  /** The row pass of run(): the canonical links' deviance without log(mu) (rowKernel.ts canonicalKernel). */
  private readonly runKernel: RowKernel;
  private readonly fixedPart: Float64Array;
  private readonly uOld: Float64Array;
  private readonly betaOld: Float64Array;
  private readonly b: Float64Array;
  private readonly sqrtW: Float64Array;
  private readonly zeta: Float64Array;
  /** Start offset of each factor block in u. */
  private readonly offs: Int32Array;
  private modes: { wb: WorkingBlocks; L: LFactor } | null = null;
  private joint: { wb: WorkingBlocks; L: LFactor } | null = null;
  /** The factor of the last iteration (its Z part serves condVar). */
  private last: { wb: WorkingBlocks; L: LFactor } | null = null;
  private start: Float64Array | null = null;
  /** Scalar crossed terms: the dedicated system (crossedSystem.ts), else null. */
  private readonly crossed: CrossedSystem | null;
  /** The crossed system (holding the factor of the last PIRLS step), else null. */
  get crossedSystem(): CrossedSystem | null {
    return this.crossed;
  }
  private readonly du: Float64Array;
  private readonly dbeta: Float64Array;
  private readonly lam: Float64Array;
  /**
   * The plain warm start's modes at the theta of setModes (effects kept), for a run whose
   * predicted start fails at once; null when there is none.
   */
  private fallback: Float64Array | null = null;
  /** Whether the next run may fall back to `fallback` (set by setModes, cleared by run). */
  private hasFallback = false;
  /**
   * Changes of the engine's state (runs, starts, and the crossed system formed anew), for callers
   * to read: crossedGradient.ts's prediction is made only from the state it saw.
   */
  runs = 0;

  constructor(readonly resp: GlmmResponse, readonly frame: ModelFrame) {
    const n = frame.nobs;
    this.n = n;
    this.p = frame.p;
    this.factors = factorBlocks(frame.reTerms, n);
    this.map = lambdaMap(this.factors, frame.reTerms.length);
    this.lambda = allocateLambda(this.factors);
    this.offs = new Int32Array(this.factors.length + 1);
    this.factors.forEach((f, j) => (this.offs[j + 1] = this.offs[j] + f.nl * f.k));
    this.q = this.offs[this.factors.length];
    this.kernel = rowKernel(resp);
    this.runKernel = canonicalKernel(resp);
    this.rows = allocateRows(n);
    this.eta = new Float64Array(n);
    this.fixedPart = new Float64Array(n);
    this.sqrtW = new Float64Array(n);
    this.zeta = new Float64Array(n);
    this.u = new Float64Array(this.q);
    this.uOld = new Float64Array(this.q);
    this.b = new Float64Array(this.q);
    this.beta = new Float64Array(this.p);
    this.betaOld = new Float64Array(this.p);
    this.crossed = crossedLayout(this.factors) ? new CrossedSystem(this.factors, this.p) : null;
    this.du = new Float64Array(this.q);
    this.dbeta = new Float64Array(this.p);
    this.lam = new Float64Array(this.factors.length);
  }

  startFrom(eta: Float64Array): void {
    this.runs++;
    this.start = eta.slice();
    this.u.fill(0);
  }

  startAt(beta: ArrayLike<number>): void {
    this.runs++;
    this.beta.set(beta);
    this.start = null;
    this.u.fill(0);
  }

  private system(withX: boolean): { wb: WorkingBlocks; L: LFactor } {
    const make = () => {
      const wb = workingBlocks(this.frame, this.factors, withX);
      return { wb, L: allocateL(wb.A) };
    };
    if (withX) return (this.joint ??= make());
    return (this.modes ??= make());
  }

  private setFixedPart(): void {
    const { n, p, beta, fixedPart: f } = this;
    const X = this.frame.X;
    f.set(this.resp.offset);
    for (let t = 0; t < p; t++) {
      const bt = beta[t];
      if (bt !== 0) for (let i = 0; i < n; i++) f[i] += X[t * n + i] * bt;
    }
  }

  /** b = Lambda u, then eta = f + Z b. */
  private setEta(): void {
    const { n, u, b, eta, fixedPart: f, lambda, offs } = this;
    this.factors.forEach((fb, j) => {
      const k = fb.k, t = lambda[j], o0 = offs[j];
      for (let lev = 0; lev < fb.nl; lev++) {
        const o = o0 + lev * k;
        for (let r = 0; r < k; r++) {
          let s = 0;
          for (let c = 0; c <= r; c++) s += t[r + c * k] * u[o + c];
          b[o + r] = s;
        }
      }
    });
    eta.set(f);
    this.factors.forEach((fb, j) => {
      const k = fb.k, o0 = offs[j], z = fb.z, refs = fb.refs;
      if (k === 1) {
        for (let i = 0; i < n; i++) eta[i] += z[i] * b[o0 + refs[i]];
        return;
      }
      for (let i = 0; i < n; i++) {
        const o = o0 + refs[i] * k;
        let s = 0;
        for (let c = 0; c < k; c++) s += z[i * k + c] * b[o + c];
        eta[i] += s;
      }
    });
  }

  /**
   * Sets Lambda(theta), with u moved so that b = Lambda u, and with it eta,
   * stays what it was (warm start at a new theta: u itself would move eta,
   * possibly out of the valid region). Per level, u = Lambda^-1 b by forward
   * substitution; a component with a zero diagonal in Lambda gets u = 0.
   */
  private keepEffects(theta: ArrayLike<number>): void {
    const { u, b, lambda, offs } = this;
    this.factors.forEach((fb, j) => {
      const k = fb.k, t = lambda[j], o0 = offs[j];
      for (let lev = 0; lev < fb.nl; lev++) {
        const o = o0 + lev * k;
        for (let r = 0; r < k; r++) {
          let v = 0;
          for (let c = 0; c <= r; c++) v += t[r + c * k] * u[o + c];
          b[o + r] = v;
        }
      }
    });
    setLambda(this.map, theta, lambda);
    this.factors.forEach((fb, j) => {
      const k = fb.k, t = lambda[j], o0 = offs[j];
      for (let lev = 0; lev < fb.nl; lev++) {
        const o = o0 + lev * k;
        for (let r = 0; r < k; r++) {
          let v = b[o + r];
          for (let c = 0; c < r; c++) v -= t[r + c * k] * u[o + c];
          const d = t[r + r * k];
          u[o + r] = d !== 0 ? v / d : 0;
        }
      }
    });
  }

  private failed(iterations: number, halvings: number): PirlsResult {
    this.u.fill(0);
    return { dev: NaN, ussq: NaN, ldL2: NaN, converged: false, iterations, halvings };
  }

  /**
   * The start of a PIRLS iteration, shared by run() and runCrossed(): set eta
   * (from the start predictor on a joint run's first iteration), evaluate the
   * deviance, and halve the last step when the penalised deviance went up
   * (returning 'halved': evaluate again); otherwise accept the point and keep it
   * as the one to halve back to.
   */
  private beginIteration(withX: boolean, it: number, h: Halving): 'failed' | 'halved' | { fromStart: boolean; ussq: number } {
    const { u, uOld, beta: bt, betaOld, rows, eta, fixedPart: f } = this;
    const fromStart = withX && this.start !== null;
    if (fromStart) {
      eta.set(this.start!);
      this.start = null;
      f.set(this.resp.offset);
    } else {
      if (withX || it === 0) this.setFixedPart();
      this.setEta();
    }
    const dev = this.runKernel(eta, rows);
    // An invalid iterate (NaN: eta or mu out of range) is halved back like a rise, when there is one to go back to.
    if (Number.isNaN(dev) && !(h.pdevOld < Infinity && h.halvedNow < PIRLS_MAXHALVE)) return 'failed';
    let ussq = 0;
    for (let e = 0; e < u.length; e++) ussq += u[e] * u[e];
    const pdev = dev + ussq;
    if ((Number.isNaN(pdev) || pdev > h.pdevOld + 1e-10 * (1 + h.pdevOld)) && h.halvedNow < PIRLS_MAXHALVE) {
      for (let e = 0; e < u.length; e++) u[e] = 0.5 * (u[e] + uOld[e]);
      if (withX) for (let t = 0; t < this.p; t++) bt[t] = 0.5 * (bt[t] + betaOld[t]);
      h.halvedNow++;
      h.halvings++;
      return 'halved';
    }
    h.halvedNow = 0;
    h.pdevOld = fromStart ? Infinity : pdev;
    uOld.set(u);
    betaOld.set(bt);
    return { fromStart, ussq };
  }

  /**
   * Sets Lambda(theta) and the modes to `u` (predicted there: the Laplace gradient's
   * predictModes, scalar factor blocks only), as the start of the next run. The modes the
   * plain warm start would have kept (the effects b at the new theta) are held back for the
   * run to start from should the predicted ones give an invalid first iterate.
   */
  setModes(theta: ArrayLike<number>, u: Float64Array): void {
    this.runs++;
    const old = this.lambda.map((t) => t[0]);
    setLambda(this.map, theta, this.lambda);
    const fb = (this.fallback ??= new Float64Array(this.q));
    this.factors.forEach((f, j) => {
      const o = this.offs[j], now = this.lambda[j][0], r = now !== 0 ? old[j] / now : 0;
      for (let l = 0; l < f.nl; l++) fb[o + l] = r * this.u[o + l];
    });
    this.u.set(u);
    this.hasFallback = true;
  }

  run(theta: ArrayLike<number>, beta: ArrayLike<number> | null, tol = PIRLS_TOL): PirlsResult {
    this.runs++;
    this.keepEffects(theta);
    const withX = beta === null;
    if (!withX) {
      for (let t = 0; t < this.p; t++) this.beta[t] = beta[t];
      this.start = null;
    }
    const fallback = this.hasFallback;
    this.hasFallback = false;
    if (this.crossed !== null) return this.runCrossed(this.crossed, withX, tol, fallback);
    const sys = this.system(withX);
    const { u, beta: bt, rows, sqrtW, zeta, eta, fixedPart: f } = this;
    const h: Halving = { pdevOld: Infinity, halvedNow: 0, halvings: 0 };
    let it = 0, converged = false;
    for (; ; it++) {
      const step = this.beginIteration(withX, it, h);
      if (step === 'failed' && it === 0 && !withX && u.some((v) => v !== 0)) {
        // A warm start outside the valid region: start again from u = 0 (eta = X beta + offset).
        u.fill(0);
        it = -1;
        continue;
      }
      if (step === 'failed') return this.failed(it, h.halvings);
      if (step === 'halved') continue;
      const { fromStart, ussq } = step;
      // zeta: eta minus the part held fixed (offset, and X beta when beta is fixed), plus r.
      let wrss = 0;
      for (let i = 0; i < this.n; i++) {
        const w = rows.W[i];
        const s = w > 0 ? Math.sqrt(w) : 0;
        sqrtW[i] = s;
        const r = w > 0 ? rows.wr[i] / w : 0;
        wrss += r * rows.wr[i];
        zeta[i] = eta[i] - (withX ? this.resp.offset[i] : f[i]) + r;
      }
      reweightBlocks(sys.wb, this.frame.X, sqrtW, zeta);
      if (!updateL(sys.L, sys.wb.A, this.lambda, true)) return this.failed(it, h.halvings);
      this.last = sys;
      const P = sys.L.P, rL = sys.L.xx[P * P - 1];
      const dec = wrss + ussq - rL * rL;
      const eff = solveEffects(sys.L, sys.wb.A, this.lambda);
      let big = 0;
      eff.u.forEach((uj, j) => {
        const o = this.offs[j];
        for (let e = 0; e < uj.length; e++) big = Math.max(big, Math.abs(uj[e] - u[o + e]) / (1 + Math.abs(u[o + e])));
      });
      if (withX) for (let t = 0; t < this.p; t++) big = Math.max(big, Math.abs(eff.beta[t] - bt[t]) / (1 + Math.abs(bt[t])));
      const small = dec < tol + 1e-13 * (wrss + ussq) && big < (withX ? Math.max(tol, PIRLS_STEP_TOL) : PIRLS_STEP_TOL);
      if ((small && !fromStart) || it >= PIRLS_MAXIT) {
        converged = small;
        break;
      }
      eff.u.forEach((uj, j) => u.set(uj, this.offs[j]));
      if (withX) bt.set(eff.beta);
    }
    let ussq = 0;
    for (let e = 0; e < u.length; e++) ussq += u[e] * u[e];
    let dev = 0;
    for (let i = 0; i < this.n; i++) dev += rows.dev[i];
    return { dev, ussq, ldL2: ldL2(this.last!.L), converged, iterations: it + 1, halvings: h.halvings };
  }

  /**
   * lme4's PIRLS (pwrssUpdate), emulated as ScalarPirls.runLme4 does for one
   * scalar term: from the linear predictor `lp0` (offset excluded), full steps
   * for u at fixed `beta` (nAGQ = 1) or for (u, beta) with beta null (nAGQ =
   * 0), halved while pdev rises, stopped when pdev changes by less than `tol`
   * relatively; log det(L_Z)^2 (and, jointly, L_X) is that of the factor the
   * last step was solved with. Always on the general blocked system (not the
   * crossed one).
   */
  runLme4(theta: ArrayLike<number>, beta: ArrayLike<number> | null, lp0: Float64Array, tol: number, devShift = 0): PirlsResult {
    this.runs++;
    setLambda(this.map, theta, this.lambda);
    const joint = beta === null;
    // Joint runs keep the previous beta, lme4's delb, to halve back to should the first step fail.
    if (!joint) this.beta.set(beta);
    this.start = null;
    this.setFixedPart();
    const { n, p, u, uOld, beta: bt, betaOld, rows, sqrtW, zeta, eta, fixedPart: f } = this;
    const off = this.resp.offset;
    for (let i = 0; i < n; i++) eta[i] = lp0[i] + off[i];
    let dev = this.kernel(eta, rows);
    if (Number.isNaN(dev)) return this.failed(0, 0);
    const sys = this.system(joint);
    const pdevAt = () => {
      if (joint) this.setFixedPart();
      this.setEta();
      dev = this.kernel(eta, rows);
      let ussq = 0;
      for (let e = 0; e < u.length; e++) ussq += u[e] * u[e];
      return dev + ussq;
    };
    let oldpdev = Number.MAX_VALUE, ld = NaN, halvings = 0, converged = false, it = 0;
    for (; it < PIRLS_MAXIT; it++) {
      for (let i = 0; i < n; i++) {
        const w = rows.W[i];
        sqrtW[i] = w > 0 ? Math.sqrt(w) : 0;
        zeta[i] = eta[i] - (joint ? off[i] : f[i]) + (w > 0 ? rows.wr[i] / w : 0);
      }
      reweightBlocks(sys.wb, this.frame.X, sqrtW, zeta);
      if (!updateL(sys.L, sys.wb.A, this.lambda, true)) return this.failed(it, halvings);
      this.last = sys;
      ld = ldL2(sys.L);
      uOld.set(u);
      betaOld.set(bt);
      const eff = solveEffects(sys.L, sys.wb.A, this.lambda);
      eff.u.forEach((uj, j) => u.set(uj, this.offs[j]));
      if (joint) bt.set(eff.beta);
      let pdev = pdevAt();
      if (Math.abs((oldpdev - pdev) / (pdev + devShift)) < tol) {
        converged = true;
        break;
      }
      for (let k = 0; k < LME4_MAXHALVE && (Number.isNaN(pdev) || pdev > oldpdev); k++) {
        for (let e = 0; e < u.length; e++) u[e] = 0.5 * (u[e] + uOld[e]);
        if (joint) for (let t = 0; t < p; t++) bt[t] = 0.5 * (bt[t] + betaOld[t]);
        pdev = pdevAt();
        halvings++;
      }
      // lme4 stops with an error when halving leaves NaN or a rise above tol.
      if (Number.isNaN(pdev)) return this.failed(it, halvings);
      if (pdev - oldpdev > tol) break;
      oldpdev = pdev;
    }
    if (Number.isNaN(dev)) return this.failed(it, halvings);
    let ussq = 0;
    for (let e = 0; e < u.length; e++) ussq += u[e] * u[e];
    const res: PirlsResult = { dev, ussq, ldL2: ld, converged, iterations: it + 1, halvings };
    if (joint) {
      const P = p + 1, L = new Float64Array(p * p);
      for (let c = 0; c < p; c++) for (let r = c; r < p; r++) L[r + c * p] = sys.L.xx[r + c * P];
      res.fixedFactor = L;
    }
    return res;
  }

  /** run() on the crossed system: the same iteration, steps solved by CrossedSystem. */
  private runCrossed(cs: CrossedSystem, withX: boolean, tol: number, fallback: boolean): PirlsResult {
    const { u, beta: bt, rows, zeta, eta, du, dbeta, lam, n } = this;
    for (let j = 0; j < this.factors.length; j++) lam[j] = this.lambda[j][0];
    this.last = null;
    const h: Halving = { pdevOld: Infinity, halvedNow: 0, halvings: 0 };
    let it = 0, converged = false, ld = NaN;
    for (; ; it++) {
      const step = this.beginIteration(withX, it, h);
      if (step === 'failed' && it === 0 && fallback) {
        // A predicted start (setModes) outside the valid region: the plain warm start's modes.
        u.set(this.fallback!);
        it = -1;
        continue;
      }
      if (step === 'failed') return this.failed(it, h.halvings);
      if (step === 'halved') continue;
      const { fromStart, ussq } = step;
      let wres = rows.wr;
      if (fromStart) {
        // Absolute step from u = 0, beta = 0: the right-hand side is W zeta.
        for (let i = 0; i < n; i++) {
          const w = rows.W[i];
          zeta[i] = w > 0 ? w * (eta[i] - this.resp.offset[i]) + rows.wr[i] : 0;
        }
        wres = zeta;
      }
      cs.form(rows.W, wres, lam, fromStart ? null : u, withX ? this.frame.X : null, n);
      if (!cs.factor()) return this.failed(it, h.halvings);
      ld = cs.ldL2();
      const dec = cs.solve(du, withX ? dbeta : null);
      let big = 0;
      if (fromStart) {
        u.set(du);
        bt.set(dbeta);
        continue;
      }
      for (let e = 0; e < u.length; e++) big = Math.max(big, Math.abs(du[e]) / (1 + Math.abs(u[e])));
      if (withX) for (let t = 0; t < this.p; t++) big = Math.max(big, Math.abs(dbeta[t]) / (1 + Math.abs(bt[t])));
      let wrss = 0;
      for (let i = 0; i < n; i++) {
        const w = rows.W[i];
        if (w > 0) wrss += (rows.wr[i] * rows.wr[i]) / w;
      }
      const small = dec < tol + 1e-13 * (wrss + ussq) && big < (withX ? Math.max(tol, PIRLS_STEP_TOL) : PIRLS_STEP_TOL);
      if (small || it >= PIRLS_MAXIT) {
        converged = small;
        break;
      }
      for (let e = 0; e < u.length; e++) u[e] += du[e];
      if (withX) for (let t = 0; t < this.p; t++) bt[t] += dbeta[t];
    }
    let ussq = 0;
    for (let e = 0; e < u.length; e++) ussq += u[e] * u[e];
    let dev = 0;
    for (let i = 0; i < n; i++) dev += rows.dev[i];
    return { dev, ussq, ldL2: ld, converged, iterations: it + 1, halvings: h.halvings };
  }

  fixedFactor(theta: ArrayLike<number>): Float64Array | null {
    this.runs++;
    setLambda(this.map, theta, this.lambda);
    const cs = this.crossed;
    if (cs !== null) {
      // L_X does not depend on the response: any right-hand side will do.
      for (let j = 0; j < this.factors.length; j++) this.lam[j] = this.lambda[j][0];
      cs.form(this.rows.W, this.rows.W, this.lam, null, this.frame.X, this.n);
      return cs.factor() ? cs.fixedBlock() : null;
    }
    const sys = this.system(true);
    const { rows, sqrtW, zeta } = this;
    for (let i = 0; i < this.n; i++) {
      sqrtW[i] = rows.W[i] > 0 ? Math.sqrt(rows.W[i]) : 0;
      zeta[i] = 0;
    }
    reweightBlocks(sys.wb, this.frame.X, sqrtW, zeta);
    // L_X does not depend on the response; a unit y'y keeps the last pivot positive.
    const P0 = this.p + 1;
    sys.wb.A.xx[P0 * P0 - 1] = 1;
    const ok = updateL(sys.L, sys.wb.A, this.lambda);
    this.last = sys;
    if (!ok) return null;
    const p = this.p, P = p + 1, out = new Float64Array(p * p);
    for (let c = 0; c < p; c++) for (let r = c; r < p; r++) out[r + c * p] = sys.L.xx[r + c * P];
    return out;
  }

  condVar(theta: ArrayLike<number>): Float64Array[] {
    this.runs++;
    setLambda(this.map, theta, this.lambda);
    const cs = this.crossed;
    if (cs !== null) {
      for (let j = 0; j < this.factors.length; j++) this.lam[j] = this.lambda[j][0];
      cs.form(this.rows.W, this.rows.W, this.lam, null, null, this.n);
      if (!cs.factor()) return this.factors.map((f) => new Float64Array(f.nl).fill(NaN));
      return cs.inverseDiagonal().map((d, j) => d.map((v) => v * this.lam[j] * this.lam[j]));
    }
    let sys = this.last;
    if (sys === null) {
      // The crossed path keeps no blocked factor: form it at the current weights.
      sys = this.system(false);
      const { rows, sqrtW, zeta } = this;
      for (let i = 0; i < this.n; i++) {
        sqrtW[i] = rows.W[i] > 0 ? Math.sqrt(rows.W[i]) : 0;
        zeta[i] = 0;
      }
      reweightBlocks(sys.wb, this.frame.X, sqrtW, zeta);
      const P0 = sys.wb.A.p + 1;
      sys.wb.A.xx[P0 * P0 - 1] = 1;
      if (!updateL(sys.L, sys.wb.A, this.lambda)) return this.factors.map((f) => new Float64Array(f.nl * f.k * f.k).fill(NaN));
      this.last = sys;
    }
    return lmmCondVar(sys.L, sys.wb.A, this.lambda, 1);
  }

  effects(theta: ArrayLike<number>): Float64Array[] {
    setLambda(this.map, theta, this.lambda);
    this.setEta();
    return this.factors.map((f, j) => this.b.slice(this.offs[j], this.offs[j + 1]));
  }
}
