/**
 * PIRLS (pirls.ts) for one scalar random-effects term: eta_i = f_i + theta z_i u_g(i)
 * with f = X beta + offset. Then Lambda'Z'WZ Lambda + I is diagonal,
 *
 *   D_g = 1 + theta^2 sum_{i in g} W_i z_i^2,
 *
 * and every group is a one-dimensional problem. With beta fixed each group
 * takes its own Fisher step  u_g <- u_g - grad_g / D_g,
 * grad_g = u_g - theta sum_{i in g} z_i wr_i  (half the gradient of pdev), with
 * step halving per group (the groups are independent). Jointly with beta the
 * u block is eliminated:
 *
 *   c_g = theta sum W_i z_i x_i,  r_g = theta sum z_i (W zeta)_i,
 *   S = X'WX - sum_g c_g c_g' / D_g,  beta = S^-1 (X'W zeta - sum_g c_g r_g / D_g),
 *   u_g = (r_g - c_g' beta) / D_g.
 *
 * log det(L_Z)^2 = sum_g log D_g. Every buffer is allocated once; a pass is O(n p^2).
 *
 * With beta fixed, the steps are chosen and taken group by group after
 * each pass (takeSteps.ts), where groups whose modes are settled are also
 * set aside (the canonical passes then skip their rows).
 */
import { potrfUnblocked } from '../../linalg/potrf.js';
import { trsvLower, trsvLowerTrans } from '../../linalg/trsv.js';
import { LME4_MAXHALVE, PIRLS_MAXHALVE, PIRLS_MAXIT, PIRLS_STEP_TOL, PIRLS_TOL, type PirlsEngine, type PirlsResult } from './pirls.js';
import type { GlmmResponse } from '../response.js';
import { constantOf, modesPass, type DeviancePass, type ModesData, type ModesPass } from './modesPass.js';
import { SUM_BIG, SUM_DEC, SUM_FROZE, SUM_FROZEN_BIG, SUM_FROZEN_DEC, takeSteps, undoSteps, type StepState } from './takeSteps.js';
import { allocateRows, binomialLogitRows, rowKernel, type RowKernel, type RowState } from './rowKernel.js';
import { kernelInChunks, plainFloat64, ROW_SPLIT_MIN, rowChunks, sharedFloat64 } from './rowChunks.js';
import { rowHelper } from './rowHelper.js';

/** Whether every element of v is x (a loop: every() with a function costs a call per row). */
function allEqual(v: Float64Array, x: number): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== x) return false;
  return true;
}

export interface ScalarTerm {
  /** Group (level) of each row. */
  refs: Int32Array;
  /** The term's value per row (1 for a random intercept). */
  z: Float64Array;
  /** Number of groups. */
  nl: number;
}

export class ScalarPirls implements PirlsEngine {
  readonly kind = 'scalar';
  readonly n: number;
  readonly q: number;
  readonly u: Float64Array;
  readonly beta: Float64Array;
  readonly eta: Float64Array;
  readonly rows: RowState;
  /** X beta + offset. */
  readonly fixedPart: Float64Array;
  /** The beta fixedPart was formed with, once formed. */
  private readonly fixedBeta: Float64Array;
  private fixedFormed = false;
  /** Per group: penalised deviance and D_g of the last pass. */
  readonly pd: Float64Array;
  readonly D: Float64Array;
  private readonly kernel: RowKernel;
  private readonly uOld: Float64Array;
  private readonly pdOld: Float64Array;
  private readonly modes: ModesPass;
  private readonly deviancePass: DeviancePass | null;
  private readonly modesData: ModesData;
  private readonly grad: Float64Array;
  private readonly halved: Int32Array;
  /** Settled groups of runModes (module comment). */
  private readonly frozen: Uint8Array;
  /** runModes' per-group state and the sums takeSteps keeps (SUM_*). */
  private readonly steps: StepState;
  private readonly sums = new Float64Array(5);
  private readonly c: Float64Array;
  private readonly rg: Float64Array;
  private readonly betaOld: Float64Array;
  private readonly xwx: Float64Array;
  private readonly xwz: Float64Array;
  private readonly work: Float64Array;
  private start: Float64Array | null = null;
  /** The theta the current u belongs to (NaN: none). */
  private thetaOfU = NaN;
  /**
   * The last converged run(theta, beta): its theta, beta, final u and result,
   * while the state (u, eta, rows, D, pd) is still that run's: a run at the
   * same (theta, beta) with u unchanged returns it without a pass.
   */
  private readonly lastBeta: Float64Array;
  private readonly lastU: Float64Array;
  private lastTheta = NaN;
  private lastResult: PirlsResult | null = null;

  constructor(
    readonly resp: GlmmResponse,
    readonly X: Float64Array,
    readonly p: number,
    readonly term: ScalarTerm,
  ) {
    const n = resp.n, G = term.nl;
    this.n = n;
    this.q = G;
    // From ROW_SPLIT_MIN rows the passes go by chunks (rowChunks.ts); with a helper thread the arrays it reads
    // and writes are in shared memory.
    const helper = n >= ROW_SPLIT_MIN ? rowHelper() : null;
    const rowsOf = helper !== null ? sharedFloat64 : plainFloat64;
    this.rows = helper !== null ? { mu: sharedFloat64(n), W: sharedFloat64(n), wr: sharedFloat64(n), dev: sharedFloat64(n) } : allocateRows(n);
    this.eta = rowsOf(n);
    this.fixedPart = rowsOf(n);
    this.u = rowsOf(G);
    this.uOld = new Float64Array(G);
    this.pd = new Float64Array(G);
    this.pdOld = new Float64Array(G);
    this.grad = new Float64Array(G);
    this.D = new Float64Array(G);
    this.halved = new Int32Array(G);
    this.frozen = helper !== null ? new Uint8Array(new SharedArrayBuffer(G)) : new Uint8Array(G);
    this.steps = { uOld: this.uOld, pdOld: this.pdOld, pdPass: new Float64Array(G), DPass: new Float64Array(G), halved: this.halved, frozen: this.frozen };
    this.c = new Float64Array(G * p);
    this.rg = new Float64Array(G);
    this.beta = new Float64Array(p);
    this.betaOld = new Float64Array(p);
    this.xwx = new Float64Array(p * p);
    this.xwz = new Float64Array(p);
    this.work = new Float64Array(p);
    this.lastBeta = new Float64Array(p);
    this.fixedBeta = new Float64Array(p);
    this.lastU = new Float64Array(G);
    const kernel = rowKernel(resp);
    const fused = modesPass(resp, kernel);
    this.modes = fused.pass;
    this.deviancePass = fused.deviance;
    // The canonical passes factor e^eta when z is constant (modesPass.ts).
    const zConst = fused.saturated === null ? NaN : constantOf(term.z);
    const unitWeights = allEqual(resp.pw, 1), saturatedZero = fused.saturated !== null && allEqual(fused.saturated, 0);
    const expF = Number.isFinite(zConst) ? rowsOf(n) : null, expU = rowsOf(G);
    this.modesData = {
      resp, refs: term.refs, z: term.z, f: this.fixedPart, u: this.u, eta: this.eta, rows: this.rows,
      grad: this.grad, D: this.D, pd: this.pd, saturated: fused.saturated,
      zConst, expF, expFStale: true, expU, unitWeights, saturatedZero, prepared: false, frozen: null, chunks: null,
    };
    if (n >= ROW_SPLIT_MIN) this.modesData.chunks = rowChunks(this.modesData, this.frozen, helper, rowsOf);
    // The binomial/logit kernel on the engine's own rows goes by chunks too (its deviance the chunks' sums added).
    const logit = resp.family.name === 'binomial' && resp.family.link.name === 'logit';
    this.kernel = this.modesData.chunks === null || !logit ? kernel : (eta, out) => eta === this.eta && out === this.rows
      ? kernelInChunks(this.modesData, (from, to) => binomialLogitRows(resp.y, unitWeights ? null : resp.pw, eta, out, from, to))
      : kernel(eta, out);
  }

  startFrom(eta: Float64Array): void {
    this.lastResult = null;
    this.start = eta.slice();
    this.u.fill(0);
  }

  startAt(beta: ArrayLike<number>): void {
    this.lastResult = null;
    this.beta.set(beta);
    this.start = null;
    this.u.fill(0);
  }

  /**
   * Sets the modes to `u` found (kept from an earlier run) or predicted at
   * `theta` (`u` may be the engine's own array), as the start of the next run.
   */
  restoreModes(theta: number, u: Float64Array): void {
    this.lastResult = null;
    this.u.set(u);
    this.thetaOfU = theta;
  }

  run(theta: ArrayLike<number>, beta: ArrayLike<number> | null, tol = PIRLS_TOL): PirlsResult {
    const th = theta[0];
    if (beta !== null && this.isLastRun(th, beta)) return { ...this.lastResult! };
    this.lastResult = null;
    this.keepEffects(th);
    if (beta === null) return this.runJoint(th, tol);
    for (let t = 0; t < this.p; t++) this.beta[t] = beta[t];
    this.start = null;
    this.setFixedPart();
    const res = this.runModes(th);
    if (res.converged) {
      this.lastTheta = th;
      this.lastBeta.set(this.beta);
      this.lastU.set(this.u);
      this.lastResult = { ...res };
    }
    return res;
  }

  /** True when the state is still that of the last converged run at (theta, beta) (see lastResult). */
  private isLastRun(th: number, beta: ArrayLike<number>): boolean {
    if (this.lastResult === null || th !== this.lastTheta) return false;
    for (let t = 0; t < this.p; t++) if (beta[t] !== this.lastBeta[t]) return false;
    const { u, lastU } = this;
    for (let g = 0; g < u.length; g++) if (u[g] !== lastU[g]) return false;
    return true;
  }

  /**
   * Warm start at a new theta: rescales u so that b = theta u, and with it
   * eta, stays what it was (u itself would move eta, possibly out of the
   * valid region).
   */
  private keepEffects(th: number): void {
    const old = this.thetaOfU;
    if (old > 0 && th > 0 && old !== th) {
      const r = old / th;
      for (let g = 0; g < this.u.length; g++) this.u[g] *= r;
    }
    this.thetaOfU = th;
  }

  /** f = X beta + offset. */
  /** f = X beta + offset; kept (with its exp) when beta is the one f was last formed with. */
  private setFixedPart(): void {
    const { n, p, X, beta, fixedPart: f, fixedBeta } = this;
    let same = this.fixedFormed;
    for (let t = 0; t < p && same; t++) same = beta[t] === fixedBeta[t];
    if (same) return;
    fixedBeta.set(beta);
    this.fixedFormed = true;
    this.modesData.expFStale = true;
    f.set(this.resp.offset);
    for (let t = 0; t < p; t++) {
      const bt = beta[t], o = t * n;
      if (bt !== 0) for (let i = 0; i < n; i++) f[i] += X[o + i] * bt;
    }
  }

  /** eta = f + theta z u, then the row state; returns sum dev (NaN if invalid). */
  private evaluate(th: number): number {
    const { n, eta, fixedPart: f, u } = this;
    const { refs, z } = this.term;
    for (let i = 0; i < n; i++) eta[i] = f[i] + th * z[i] * u[refs[i]];
    return this.kernel(eta, this.rows);
  }

  /** Per group: pd_g = u_g^2 + sum dev, grad_g, D_g at the current row state. */
  private accumulateModes(th: number): void {
    const { n, u, pd, grad, D } = this;
    const { refs, z } = this.term;
    const { dev, W, wr } = this.rows;
    for (let g = 0; g < u.length; g++) {
      pd[g] = u[g] * u[g];
      grad[g] = u[g];
      D[g] = 1;
    }
    for (let i = 0; i < n; i++) {
      const g = refs[i], zt = th * z[i];
      pd[g] += dev[i];
      grad[g] -= zt * wr[i];
      D[g] += zt * zt * W[i];
    }
  }

  private failed(iterations: number, halvings: number): PirlsResult {
    this.u.fill(0);
    return { dev: NaN, ussq: NaN, ldL2: NaN, converged: false, iterations, halvings };
  }

  /**
   * The conditional modes at fixed beta, group by group: a Fisher step per
   * group, halved while it raises the group's pd; stops when every step is
   * below tolerance (the state is then that of the current u).
   */
  private runModes(th: number): PirlsResult {
    const { u, uOld, pdOld, halved, frozen, modesData, steps, sums } = this;
    const G = u.length;
    pdOld.fill(Infinity);
    halved.fill(0);
    // Settling groups (module comment) needs the canonical passes, which skip their rows.
    const settle = modesData.saturated !== null;
    frozen.fill(0);
    modesData.frozen = null;
    sums.fill(0);
    let halvings = 0, converged = false, it = 0, invalid = 0;
    for (; ; it++) {
      if (!this.pass(this.modes, th, true)) {
        // A warm start outside the valid region: start again from u = 0 (eta = X beta + offset).
        if (it === 0 && u.some((v) => v !== 0)) {
          u.fill(0);
          it = -1;
          continue;
        }
        // A step left the valid region (e.g. mu < 0 for the identity link): halve every group's step,
        // and pass over every group again.
        if (it === 0 || invalid >= PIRLS_MAXHALVE) return this.failed(it, halvings);
        for (let g = 0; g < G; g++) u[g] = 0.5 * (u[g] + uOld[g]);
        frozen.fill(0);
        modesData.frozen = null;
        sums.fill(0);
        invalid++;
        halvings++;
        continue;
      }
      invalid = 0;
      sums[SUM_DEC] = sums[SUM_BIG] = 0;
      const halvedNow = takeSteps(modesData, th, steps, settle, sums);
      halvings += halvedNow;
      if (sums[SUM_FROZE] > 0) modesData.frozen = frozen;
      converged = halvedNow === 0 && sums[SUM_DEC] + sums[SUM_FROZEN_DEC] < PIRLS_TOL && Math.max(sums[SUM_BIG], sums[SUM_FROZEN_BIG]) < PIRLS_STEP_TOL;
      // The steps just taken are undone when the run stops here: its state is the last pass's.
      if (converged || it >= PIRLS_MAXIT) {
        undoSteps(modesData, steps);
        break;
      }
    }
    modesData.frozen = null;
    return this.result(converged, it + 1, halvings);
  }

  private pass(pass: ModesPass, th: number, withDev: boolean): boolean {
    return pass(this.modesData, th, withDev);
  }

  /**
   * lme4's PIRLS (pwrssUpdate) for glmer's criteria, emulated: every
   * evaluation starts from the fixed linear predictor `lp0` (offset excluded),
   * takes full steps (halved while pdev rises) and stops when pdev changes by
   * less than `tol` relatively; log det(L_Z)^2 is that of the weights the last
   * step was computed with (one iterate behind u). With `beta` (nAGQ = 1) the
   * steps are in u alone; with null (nAGQ = 0) in (u, beta) jointly, and the
   * result carries the factor L_X of that last step (lme4's RX).
   */
  runLme4(theta: ArrayLike<number>, beta: ArrayLike<number> | null, lp0: Float64Array, tol: number, devShift = 0): PirlsResult {
    this.lastResult = null;
    const th = theta[0];
    const joint = beta === null;
    // Joint runs keep the previous beta, lme4's delb, to halve back to should the first step fail.
    if (!joint) for (let t = 0; t < this.p; t++) this.beta[t] = beta[t];
    this.start = null;
    this.setFixedPart();
    const { n, p, u, uOld, D, rg, eta, fixedPart: f, beta: bt, betaOld, c, work } = this;
    const { refs, z } = this.term;
    const off = this.resp.offset;
    for (let i = 0; i < n; i++) eta[i] = lp0[i] + off[i];
    let dev = this.kernel(eta, this.rows);
    if (Number.isNaN(dev)) return this.failed(0, 0);
    let oldpdev = Number.MAX_VALUE, pdev = NaN, ld = 0, halvings = 0, converged = false, it = 0;
    const G = u.length;
    for (; it < PIRLS_MAXIT; it++) {
      uOld.set(u);
      betaOld.set(bt);
      if (joint) {
        this.accumulateJoint(th);
        if (!this.schur()) return this.failed(it, halvings);
        work.set(this.xwz);
        trsvLower(p, this.xwx, 0, p, work, 0);
        trsvLowerTrans(p, this.xwx, 0, p, work, 0);
        bt.set(work);
        for (let g = 0; g < G; g++) {
          let s = rg[g];
          for (let a = 0; a < p; a++) s -= c[g * p + a] * bt[a];
          u[g] = s / D[g];
        }
      } else {
        const { W, wr } = this.rows;
        D.fill(1);
        rg.fill(0);
        for (let i = 0; i < n; i++) {
          const g = refs[i], zt = th * z[i];
          D[g] += zt * zt * W[i];
          rg[g] += zt * (W[i] * (eta[i] - f[i]) + wr[i]);
        }
        for (let g = 0; g < G; g++) u[g] = rg[g] / D[g];
      }
      ld = 0;
      for (let g = 0; g < G; g++) ld += Math.log(D[g]);
      if (joint) this.setFixedPart();
      dev = this.evaluate(th);
      pdev = dev + this.ussq();
      if (Math.abs((oldpdev - pdev) / (pdev + devShift)) < tol) {
        converged = true;
        break;
      }
      for (let k = 0; k < LME4_MAXHALVE && (Number.isNaN(pdev) || pdev > oldpdev); k++) {
        for (let g = 0; g < G; g++) u[g] = 0.5 * (u[g] + uOld[g]);
        if (joint) {
          for (let a = 0; a < p; a++) bt[a] = 0.5 * (bt[a] + betaOld[a]);
          this.setFixedPart();
        }
        dev = this.evaluate(th);
        pdev = dev + this.ussq();
        halvings++;
      }
      // lme4 stops with an error when halving leaves NaN or a rise above tol.
      if (Number.isNaN(pdev)) return this.failed(it, halvings);
      if (pdev - oldpdev > tol) break;
      oldpdev = pdev;
    }
    if (Number.isNaN(dev)) return this.failed(it, halvings);
    const res: PirlsResult = { dev, ussq: this.ussq(), ldL2: ld, converged, iterations: it + 1, halvings };
    if (joint) res.fixedFactor = this.xwx.slice();
    return res;
  }

  private ussq(): number {
    let s = 0;
    for (let g = 0; g < this.u.length; g++) s += this.u[g] * this.u[g];
    return s;
  }

  private result(converged: boolean, iterations: number, halvings: number): PirlsResult {
    const { u, pd, D } = this;
    let ussq = 0, total = 0, ld = 0;
    for (let g = 0; g < u.length; g++) {
      ussq += u[g] * u[g];
      total += pd[g];
      ld += Math.log(D[g]);
    }
    return { dev: total - ussq, ussq, ldL2: ld, converged, iterations, halvings };
  }

  /**
   * D_g, c_g, r_g, X'WX (lower triangle) and X'W zeta at the current row state.
   * W zeta_i = W_i (eta_i - offset_i) + wr_i.
   */
  private accumulateJoint(th: number): void {
    const { n, p, X, c, rg, D, xwx, xwz, eta } = this;
    const { refs, z } = this.term;
    const { W, wr } = this.rows;
    const off = this.resp.offset;
    D.fill(1);
    c.fill(0);
    rg.fill(0);
    xwx.fill(0);
    xwz.fill(0);
    for (let i = 0; i < n; i++) {
      const w = W[i];
      if (w === 0) continue;
      const g = refs[i], zt = th * z[i], wz = w * zt;
      const t = w * (eta[i] - off[i]) + wr[i];
      D[g] += wz * zt;
      rg[g] += zt * t;
      const cg = g * p;
      for (let a = 0; a < p; a++) {
        const xa = X[i + a * n];
        c[cg + a] += wz * xa;
        xwz[a] += xa * t;
        const wxa = w * xa;
        for (let b = a; b < p; b++) xwx[b + a * p] += wxa * X[i + b * n];
      }
    }
  }

  /** S = X'WX - sum c c'/D into `xwx` (lower), rhs into `xwz`. Returns false if S is not PD. */
  private schur(): boolean {
    const { p, c, rg, D, xwx, xwz } = this;
    for (let g = 0; g < D.length; g++) {
      const cg = g * p, inv = 1 / D[g], r = rg[g] * inv;
      for (let a = 0; a < p; a++) {
        const ca = c[cg + a];
        xwz[a] -= ca * r;
        const cai = ca * inv;
        for (let b = a; b < p; b++) xwx[b + a * p] -= cai * c[cg + b];
      }
    }
    return potrfUnblocked(p, xwx, 0, p) === 0;
  }

  /**
   * (u, beta) jointly at theta (nAGQ = 0): the modes at the current beta first
   * (group by group), then joint Fisher steps with global step halving.
   */
  private runJoint(th: number, tol: number): PirlsResult {
    const { p, u, uOld, beta, betaOld, D, c, rg, work } = this;
    const G = u.length;
    let pdevOld = Infinity, halvings = 0, halvedNow = 0, converged = false, it = 0;
    if (this.start === null) {
      // Modes first at the current beta (robust per-group steps after a jump in theta).
      this.setFixedPart();
      if (!Number.isFinite(this.runModes(th).dev)) return this.failed(0, 0);
    }
    for (; ; it++) {
      let dev: number;
      const fromStart = this.start !== null;
      if (this.start !== null) {
        this.eta.set(this.start);
        this.start = null;
        dev = this.kernel(this.eta, this.rows);
      } else {
        this.setFixedPart();
        dev = this.evaluate(th);
      }
      // An invalid iterate (NaN: eta or mu out of range) is halved back like a rise, when there is one to go back to.
      if (Number.isNaN(dev) && !(pdevOld < Infinity && halvedNow < PIRLS_MAXHALVE)) return this.failed(it, halvings);
      let ussq = 0;
      for (let g = 0; g < G; g++) ussq += u[g] * u[g];
      const pdev = dev + ussq;
      if ((Number.isNaN(pdev) || pdev > pdevOld + 1e-10 * (1 + pdevOld)) && halvedNow < PIRLS_MAXHALVE) {
        for (let g = 0; g < G; g++) u[g] = 0.5 * (u[g] + uOld[g]);
        for (let t = 0; t < p; t++) beta[t] = 0.5 * (beta[t] + betaOld[t]);
        halvedNow++;
        halvings++;
        continue;
      }
      halvedNow = 0;
      // The start's eta is no (u, beta) iterate: nothing to compare the next one with.
      pdevOld = fromStart ? Infinity : pdev;
      // Without a tolerance (a start only) the first iterate after the start is the result: no step from it is formed.
      if (tol === Infinity && !fromStart) {
        converged = true;
        break;
      }
      uOld.set(u);
      betaOld.set(beta);
      this.accumulateJoint(th);
      if (!this.schur()) return this.failed(it, halvings);
      // New beta: S beta = rhs; then u_g = (r_g - c_g' beta) / D_g. dec = delta' M delta.
      work.set(this.xwz);
      trsvLower(p, this.xwx, 0, p, work, 0);
      trsvLowerTrans(p, this.xwx, 0, p, work, 0);
      const dec = this.decrement(work);
      let big = 0;
      for (let a = 0; a < p; a++) big = Math.max(big, Math.abs(work[a] - beta[a]) / (1 + Math.abs(beta[a])));
      beta.set(work);
      for (let g = 0; g < G; g++) {
        let s = rg[g];
        for (let a = 0; a < p; a++) s -= c[g * p + a] * beta[a];
        u[g] = s / D[g];
        big = Math.max(big, Math.abs(u[g] - uOld[g]) / (1 + Math.abs(uOld[g])));
      }
      if ((dec < tol && big < Math.max(tol, PIRLS_STEP_TOL) && !fromStart) || it >= PIRLS_MAXIT) {
        // Keep the iterate the rows and the factor were computed at.
        u.set(uOld);
        beta.set(betaOld);
        converged = dec < tol;
        break;
      }
    }
    this.accumulateModes(th);
    return this.result(converged, it + 1, halvings);
  }

  /**
   * delta' M delta for the step from (uOld, betaOld) to the new solution
   * (beta given, u implied), via M's block form: the Schur complement gives
   * delta' M delta = sum_g D_g e_g^2 + dbeta' S dbeta with e_g = du_g + c_g' dbeta / D_g.
   */
  private decrement(betaNew: Float64Array): number {
    const { p, D, c, rg, uOld, betaOld, xwx } = this;
    let dec = 0;
    for (let g = 0; g < D.length; g++) {
      let cb = 0, cbOld = 0;
      for (let a = 0; a < p; a++) {
        cb += c[g * p + a] * betaNew[a];
        cbOld += c[g * p + a] * betaOld[a];
      }
      const uNew = (rg[g] - cb) / D[g];
      // e_g = (u_new - u_old) + c_g'(beta_new - beta_old) / D_g
      const e = uNew - uOld[g] + (cb - cbOld) / D[g];
      dec += D[g] * e * e;
    }
    // dbeta' S dbeta = |L_X' dbeta|^2
    for (let a = 0; a < p; a++) {
      let s = 0;
      for (let b = a; b < p; b++) s += xwx[b + a * p] * (betaNew[b] - betaOld[b]);
      dec += s * s;
    }
    return dec;
  }

  fixedFactor(theta: ArrayLike<number>): Float64Array | null {
    this.lastResult = null;
    if (Number.isNaN(this.evaluate(theta[0]))) return null;
    this.accumulateJoint(theta[0]);
    if (!this.schur()) return null;
    return this.xwx.slice();
  }

  condVar(theta: ArrayLike<number>): Float64Array[] {
    const th2 = theta[0] * theta[0], D = this.D, out = new Float64Array(D.length);
    for (let g = 0; g < D.length; g++) out[g] = th2 / D[g];
    return [out];
  }

  effects(theta: ArrayLike<number>): Float64Array[] {
    const th = theta[0], u = this.u, out = new Float64Array(u.length);
    for (let g = 0; g < u.length; g++) out[g] = th * u[g];
    return [out];
  }

  /**
   * Per-group deviance sums at the random effects uAt (one value per group),
   * with the current beta: out_g = sum_{i in g} dev_i. Used by quadrature.
   */
  devianceByGroup(th: number, uAt: Float64Array, out: Float64Array): boolean {
    if (this.deviancePass !== null) return this.deviancePass(this.modesData, th, uAt, out);
    this.lastResult = null;
    const { n, eta, fixedPart: f } = this;
    const { refs, z } = this.term;
    for (let i = 0; i < n; i++) eta[i] = f[i] + th * z[i] * uAt[refs[i]];
    if (Number.isNaN(this.kernel(eta, this.rows))) return false;
    const dev = this.rows.dev;
    out.fill(0);
    for (let i = 0; i < n; i++) out[refs[i]] += dev[i];
    return true;
  }
}
