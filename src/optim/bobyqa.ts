/**
 * BOBYQA: bound-constrained minimisation without derivatives (M.J.D. Powell 2009,
 * "The BOBYQA algorithm for bound constrained optimization without derivatives",
 * Cambridge report NA2009/06), written from the paper.
 *
 * Each iteration keeps m interpolation points and a quadratic model Q that
 * interpolates f at them; the freedom left is taken up by making the change to
 * Q's second-derivative matrix least in the Frobenius norm (./bobyqa/model.ts,
 * ./bobyqa/update.ts). A trust region step (./bobyqa/trsbox.ts) that reduces f
 * replaces an interpolation point; when the model is doubtful, a far point is
 * moved to improve the geometry instead (./bobyqa/altmov.ts). The trust region
 * radius delta never falls below rho, and rho falls from rhobeg to rhoend.
 *
 * Defaults follow lme4's use of minqa::bobyqa (lmerControl/glmerControl with
 * optimizer "bobyqa"): rhobeg = min(0.95, 0.2 max|x0|) (0.2 if that is 0; lme4
 * instead moves an all-zero start to 0.001), rhoend = 1e-6 rhobeg, maxEval = 10000;
 * rhobeg falls to 0.2 min(upper - lower) if a range is below 2 rhobeg. glmer's
 * second stage passes rhobeg = 2e-4, rhoend = 2e-7. The default npt is Powell's
 * recommended 2n + 1 (also NLopt's, behind lme4's default "nloptwrap"); minqa's own
 * default works out as n + 2, and any npt in [n + 2, 2n + 1] is accepted.
 *
 * Departures from Powell's Fortran, all documented where they live:
 * - RESCUE is replaced by a restart: when rounding errors have spoilt the
 *   denominators of the updating formula, the interpolation set is rebuilt around
 *   the best point (m - 1 evaluations, as the initial set).
 * - A trust region step that fails to reduce Q (possible only through rounding) is
 *   treated as a failed step (ratio -1), not as an error exit.
 * - NaN and infinite values of f are replaced by a large finite value (see
 *   ./objective.ts); the start must give a finite value.
 * - The result is the best point evaluated.
 */
import { MixedModelsError, expectArgument } from '../errors.js';
import { altmov } from './bobyqa/altmov.js';
import {
  type BobyqaState, type LagrangeAtStep, dotPoint, lagrangeAtStep, modelCurvature,
  modelHessMul, omegaColumn, omegaDiag, toAbsolute,
} from './bobyqa/model.js';
import { prelim } from './bobyqa/prelim.js';
import { trsbox, type TrustRegionStep } from './bobyqa/trsbox.js';
import { replacePoint, shiftBase, updateInverse } from './bobyqa/update.js';
import { CountedObjective, type Objective } from './objective.js';
import type { OptResult } from './optsummary.js';

export interface BobyqaOptions {
  /** Lower bounds (default -Infinity each). */
  lower?: ArrayLike<number>;
  /** Upper bounds (default +Infinity each). */
  upper?: ArrayLike<number>;
  /** Initial trust region radius. */
  rhobeg?: number;
  /** Final trust region radius: about the accuracy wanted in x. */
  rhoend?: number;
  /** Most evaluations of f (default 10000). */
  maxEval?: number;
  /** Number of interpolation points, in [n + 2, 2n + 1] (default 2n + 1). */
  npt?: number;
}

interface Setup {
  x0: Float64Array;
  xl: Float64Array;
  xu: Float64Array;
  rhobeg: number;
  rhoend: number;
  maxEval: number;
  m: number;
}

/** Minimise f subject to lower <= x <= upper; x0 is clipped into the bounds. */
export function bobyqa(
  f: (x: Float64Array) => number, x0: ArrayLike<number>, options: BobyqaOptions = {},
): OptResult {
  expectArgument('bobyqa', 'f', f, 'function');
  expectArgument('bobyqa', 'x0', x0, 'array');
  const setup = validate(x0, options);
  const objective = new CountedObjective(f, setup.x0.length, setup.maxEval);
  return new BobyqaRun(setup, objective).solve();
}

function validate(x0: ArrayLike<number>, o: BobyqaOptions): Setup {
  const n = x0.length;
  if (n < 1) throw new MixedModelsError('bobyqa: x0 must have at least one element');
  const xl = bounds(o.lower, n, -Infinity, 'lower');
  const xu = bounds(o.upper, n, Infinity, 'upper');
  const start = new Float64Array(n);
  let minRange = Infinity;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x0[i])) throw new MixedModelsError(`bobyqa: x0[${i}] is not finite`);
    if (!(xl[i] < xu[i])) throw new MixedModelsError(`bobyqa: lower[${i}] must be below upper[${i}]`);
    start[i] = Math.min(Math.max(x0[i], xl[i]), xu[i]);
    minRange = Math.min(minRange, xu[i] - xl[i]);
    maxAbs = Math.max(maxAbs, Math.abs(start[i]));
  }
  let rhobeg = o.rhobeg ?? (Math.min(0.95, 0.2 * maxAbs) || 0.2);
  if (!(rhobeg > 0 && Number.isFinite(rhobeg))) throw new MixedModelsError('bobyqa: rhobeg must be positive');
  if (minRange < 2 * rhobeg) rhobeg = 0.2 * minRange;
  const rhoend = Math.min(o.rhoend ?? 1e-6 * rhobeg, rhobeg);
  if (!(rhoend > 0)) throw new MixedModelsError('bobyqa: rhoend must be positive');
  const m = o.npt ?? 2 * n + 1;
  if (!Number.isInteger(m) || m < n + 2 || m > 2 * n + 1) {
    throw new MixedModelsError(`bobyqa: npt must be an integer in [${n + 2}, ${2 * n + 1}]`);
  }
  const maxEval = o.maxEval ?? 10000;
  if (!(maxEval >= m + 1)) throw new MixedModelsError(`bobyqa: maxEval must be at least npt + 1 = ${m + 1}`);
  return { x0: start, xl, xu, rhobeg, rhoend, maxEval, m };
}

function bounds(b: ArrayLike<number> | undefined, n: number, fill: number, name: string): Float64Array {
  if (b === undefined) return new Float64Array(n).fill(fill);
  if (b.length !== n) throw new MixedModelsError(`bobyqa: ${name} has length ${b.length}, x0 has ${n}`);
  const out = Float64Array.from(b);
  if (out.some(Number.isNaN)) throw new MixedModelsError(`bobyqa: ${name} contains NaN`);
  return out;
}

type Next = 'trust' | 'geometry' | 'reduce' | 'done';

/**
 * One run of the main loop. Steps are labelled as in the paper's flow: 'trust'
 * (trust region step), 'geometry' (test the set, perhaps move a far point),
 * 'reduce' (reduce rho, or stop).
 */
class BobyqaRun {
  private s!: BobyqaState;
  private rho: number;
  private delta: number;
  /** Trust region steps since the last rho change or geometry step; -1 after a short step. */
  private ntrits = 0;
  /** Evaluation count when the last long step or rho change happened. */
  private nfsav = 0;
  /** |f - Q| at the last three new points. */
  private diffs = [0, 0, 0];
  private ratio = 1;
  private dnorm = 0;
  /** Limit on |y_k - xopt|^2 beyond which the geometry step moves point k. */
  private distsq = 0;
  /** Consecutive trust region steps where the alternative model looked better. */
  private itest = 0;
  /** Evaluation count at the last restart. */
  private nresc = 0;
  /** The last short trust region step (xnew), not evaluated; meaningful while ntrits is -1. */
  private pending: Float64Array = new Float64Array(0);
  private converged = false;
  private message = '';
  private readonly xabs: Float64Array;

  constructor(private readonly setup: Setup, private readonly obj: CountedObjective) {
    this.rho = setup.rhobeg;
    this.delta = setup.rhobeg;
    this.xabs = new Float64Array(setup.x0.length);
  }

  solve(): OptResult {
    const f0 = this.obj.evaluate(this.setup.x0);
    let next: Next = this.start(this.setup.x0, this.setup.rhobeg, f0) ? 'trust' : 'done';
    while (next !== 'done') {
      if (next === 'trust') next = this.trustStep();
      else if (next === 'geometry') next = this.geometry();
      else next = this.reduceRho();
    }
    return {
      x: Float64Array.from(this.obj.bestX),
      fx: this.obj.bestF,
      evaluations: this.obj.count,
      converged: this.converged,
      message: this.message,
    };
  }

  /** (Re)builds the interpolation set around x0; false if the budget ran out. */
  private start(x0: Float64Array, rho: number, f0: number): boolean {
    const { xl, xu, m } = this.setup;
    const evaluate = (x: Float64Array): number | null => (this.obj.exhausted ? null : this.obj.evaluate(x));
    const s = prelim({ xl, xu, m, evaluate }, x0, rho, f0);
    if (s === null) {
      this.stopAtBudget();
      return false;
    }
    this.s = s;
    this.ntrits = 0;
    this.nfsav = this.obj.count;
    this.diffs = [0, 0, 0];
    this.itest = 0;
    return true;
  }

  private stopAtBudget(): void {
    this.converged = false;
    this.message = `bobyqa: stopped after the maximum number of evaluations (${this.setup.maxEval})`;
  }

  private trustStep(): Next {
    const s = this.s;
    const step = trsbox(
      { xopt: s.xopt, gopt: s.gopt, sl: s.sl, su: s.su, hessMul: (v, out) => modelHessMul(s, v, out) },
      this.delta,
    );
    this.dnorm = Math.min(this.delta, Math.sqrt(step.dsq));
    if (this.dnorm < 0.5 * this.rho) {
      this.ntrits = -1;
      this.pending = step.xnew;
      this.distsq = (10 * this.rho) ** 2;
      if (this.obj.count <= this.nfsav + 2 || this.modelNeedsWork(step)) return 'geometry';
      return 'reduce';
    }
    this.ntrits++;
    let xoptsq = 0;
    for (let i = 0; i < s.n; i++) xoptsq += s.xopt[i] ** 2;
    if (step.dsq <= 1e-3 * xoptsq) {
      for (let i = 0; i < s.n; i++) step.xnew[i] -= s.xopt[i];
      shiftBase(s);
    }
    const lag = lagrangeAtStep(s, step.d);
    const choice = this.chooseReplaced(lag, s.xopt, true);
    if (choice.knew < 0 || choice.scaden <= 0.5 * choice.biglsq) return this.restart();
    return this.evaluateStep(step.xnew, choice.knew, lag);
  }

  /**
   * After a short step: true unless the recent model errors are small on the scale
   * of rho (against the model curvature) and the model's bound-adjusted first-order
   * conditions hold, in which case rho may be reduced.
   */
  private modelNeedsWork(step: TrustRegionStep): boolean {
    const s = this.s;
    const errbig = Math.max(...this.diffs);
    if (step.crvmin > 0 && errbig > 0.125 * this.rho * this.rho * step.crvmin) return true;
    const bdtol = errbig / this.rho;
    for (let j = 0; j < s.n; j++) {
      const x = step.xnew[j];
      let bdtest = bdtol;
      if (x === s.sl[j]) bdtest = step.gnew[j];
      if (x === s.su[j]) bdtest = -step.gnew[j];
      if (bdtest < bdtol && bdtest + 0.5 * modelCurvature(s, j) * this.rho < bdtol) return true;
    }
    return false;
  }

  /**
   * The point to replace by xopt + d: the largest denominator sigma_k, weighted by
   * max(1, (|y_k - centre|^2 / delta^2)^2) to favour far points. biglsq is the
   * largest weighted tau^2; a best sigma below half of it signals rounding damage.
   */
  private chooseReplaced(lag: LagrangeAtStep, centre: Float64Array, skipOpt: boolean) {
    const s = this.s;
    const delsq = this.delta * this.delta;
    let scaden = 0;
    let biglsq = 0;
    let knew = -1;
    for (let k = 0; k < s.m; k++) {
      if (skipOpt && k === s.kopt) continue;
      const den = lag.beta * omegaDiag(s, k) + lag.vlag[k] ** 2;
      let distsq = 0;
      for (let i = 0; i < s.n; i++) distsq += (s.xpt[k * s.n + i] - centre[i]) ** 2;
      const weight = Math.max(1, (distsq / delsq) ** 2);
      if (weight * den > scaden) {
        scaden = weight * den;
        knew = k;
      }
      biglsq = Math.max(biglsq, weight * lag.vlag[k] ** 2);
    }
    return { knew, scaden, biglsq };
  }

  /** Evaluates f at xnew (relative to xbase) and moves point knew there. */
  private evaluateStep(xnew: Float64Array, knew: number, lag: LagrangeAtStep): Next {
    const s = this.s;
    if (this.obj.exhausted) {
      this.stopAtBudget();
      return 'done';
    }
    const d = xnew.map((x, i) => x - s.xopt[i]);
    toAbsolute(s, xnew, this.setup.xl, this.setup.xu, this.xabs);
    const f = this.obj.evaluate(this.xabs);
    const fopt = s.fval[s.kopt];
    const vquad = this.modelChange(d);
    const diff = f - fopt - vquad;
    this.diffs = [Math.abs(diff), this.diffs[0], this.diffs[1]];
    // As Powell's code: after a geometry step too, with the last trust region step's length.
    if (this.dnorm > this.rho) this.nfsav = this.obj.count;
    if (this.ntrits > 0) {
      this.ratio = vquad < 0 ? (f - fopt) / vquad : -1;
      this.updateDelta();
      if (f < fopt) {
        const again = this.chooseReplaced(lag, xnew, false);
        if (again.knew >= 0 && again.scaden > 0.5 * again.biglsq) knew = again.knew;
      }
    }
    if (!updateInverse(s, knew, lag.vlag, lag.beta)) return this.restart();
    replacePoint(s, knew, xnew, f, diff);
    if (this.ntrits > 0) this.alternativeModel();
    if (this.ntrits === 0 || f <= fopt + 0.1 * vquad) return 'trust';
    this.distsq = Math.max((2 * this.delta) ** 2, (10 * this.rho) ** 2);
    return 'geometry';
  }

  /** Q(xopt + d) - Q(xopt) */
  private modelChange(d: Float64Array): number {
    const s = this.s;
    const gd = new Float64Array(s.n);
    modelHessMul(s, d, gd);
    let v = 0;
    for (let i = 0; i < s.n; i++) v += d[i] * (s.gopt[i] + 0.5 * gd[i]);
    return v;
  }

  private updateDelta(): void {
    const { ratio, dnorm } = this;
    if (ratio <= 0.1) this.delta = Math.min(0.5 * this.delta, dnorm);
    else if (ratio <= 0.7) this.delta = Math.max(0.5 * this.delta, dnorm);
    else this.delta = Math.max(0.5 * this.delta, 2 * dnorm);
    if (this.delta <= 1.5 * this.rho) this.delta = this.rho;
  }

  /**
   * Powell's safeguard against a model whose gradient stays large because of old
   * second-derivative information: if for three trust region steps in a row the
   * projected gradient of Q is over 10 times (squared norms) that of the
   * least-Frobenius-norm interpolant to the current values, Q is replaced by it.
   */
  private alternativeModel(): void {
    const s = this.s;
    const { n, m } = s;
    const fd = new Float64Array(m);
    for (let k = 0; k < m; k++) fd[k] = s.fval[k] - s.fval[s.kopt];
    const pqAlt = new Float64Array(m);
    const om = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      if (fd[k] === 0) continue;
      omegaColumn(s, k, om);
      for (let j = 0; j < m; j++) pqAlt[j] += fd[k] * om[j];
    }
    const gAlt = new Float64Array(n);
    for (let k = 0; k < m; k++) {
      const c = pqAlt[k] * dotPoint(s, k, s.xopt);
      for (let i = 0; i < n; i++) gAlt[i] += fd[k] * s.bmat[k * n + i] + c * s.xpt[k * n + i];
    }
    const gqsq = this.projectedNormSq(s.gopt);
    const gisq = this.projectedNormSq(gAlt);
    this.itest = gqsq < 10 * gisq ? 0 : this.itest + 1;
    if (this.itest >= 3) {
      s.gopt.set(gAlt);
      s.pq.set(pqAlt);
      s.hq.fill(0);
      this.itest = 0;
    }
  }

  private projectedNormSq(g: Float64Array): number {
    const s = this.s;
    let sum = 0;
    for (let i = 0; i < s.n; i++) {
      let gi = g[i];
      if (s.xopt[i] === s.sl[i]) gi = Math.min(0, gi);
      else if (s.xopt[i] === s.su[i]) gi = Math.max(0, gi);
      sum += gi * gi;
    }
    return sum;
  }

  /** The paper's test of the interpolation set: move the furthest point if beyond sqrt(distsq). */
  private geometry(): Next {
    const s = this.s;
    let knew = -1;
    let far = this.distsq;
    for (let k = 0; k < s.m; k++) {
      let sum = 0;
      for (let i = 0; i < s.n; i++) sum += (s.xpt[k * s.n + i] - s.xopt[i]) ** 2;
      if (sum > far) {
        knew = k;
        far = sum;
      }
    }
    if (knew >= 0) {
      const dist = Math.sqrt(far);
      if (this.ntrits === -1) {
        this.delta = Math.min(0.1 * this.delta, 0.5 * dist);
        if (this.delta <= 1.5 * this.rho) this.delta = this.rho;
      }
      this.ntrits = 0;
      const adelt = Math.max(Math.min(0.1 * dist, this.delta), this.rho);
      // As before a trust region step, xbase moves to xopt when the step is small beside |xopt|.
      let xoptsq = 0;
      for (let i = 0; i < s.n; i++) xoptsq += s.xopt[i] ** 2;
      if (adelt * adelt <= 1e-3 * xoptsq) shiftBase(s);
      return this.geometryStep(knew, adelt);
    }
    if (this.ntrits === -1) return 'reduce';
    if (this.ratio > 0 || Math.max(this.delta, this.dnorm) > this.rho) return 'trust';
    return 'reduce';
  }

  private geometryStep(knew: number, adelt: number): Next {
    const s = this.s;
    const { xnew, xalt, cauchy } = altmov(s, knew, adelt);
    const alpha = omegaDiag(s, knew);
    const stepTo = (x: Float64Array): Float64Array => x.map((xi, i) => xi - s.xopt[i]);
    let x = xnew;
    let lag = lagrangeAtStep(s, stepTo(x));
    let denom = alpha * lag.beta + lag.vlag[knew] ** 2;
    if (denom < cauchy && cauchy > 0) {
      x = xalt;
      lag = lagrangeAtStep(s, stepTo(x));
      denom = alpha * lag.beta + lag.vlag[knew] ** 2;
    }
    if (!(denom > 0.5 * lag.vlag[knew] ** 2)) return this.restart();
    return this.evaluateStep(x, knew, lag);
  }

  private reduceRho(): Next {
    const { rhoend } = this.setup;
    if (this.rho > rhoend) {
      this.delta = 0.5 * this.rho;
      const ratio = this.rho / rhoend;
      if (ratio <= 16) this.rho = rhoend;
      else if (ratio <= 250) this.rho = Math.sqrt(ratio) * rhoend;
      else this.rho *= 0.1;
      this.delta = Math.max(this.delta, this.rho);
      this.ntrits = 0;
      this.nfsav = this.obj.count;
      return 'trust';
    }
    if (this.ntrits === -1 && !this.obj.exhausted) {
      toAbsolute(this.s, this.pending, this.setup.xl, this.setup.xu, this.xabs);
      this.obj.evaluate(this.xabs);
    }
    this.converged = true;
    this.message = 'bobyqa: converged (trust region radius reached rhoend)';
    return 'done';
  }

  /**
   * In place of Powell's RESCUE: rebuild the interpolation set around the best point,
   * with spacing delta (kept within [rho, rhobeg]): a set much tighter than the
   * trust region would soon spoil the denominators again. Gives up if nothing was
   * evaluated since the last restart.
   */
  private restart(): Next {
    if (this.obj.count <= this.nresc) {
      this.converged = false;
      this.message = 'bobyqa: stopped, rounding errors spoil the interpolation set even after a restart';
      return 'done';
    }
    const s = this.s;
    const x0 = new Float64Array(s.n);
    toAbsolute(s, s.xopt, this.setup.xl, this.setup.xu, x0);
    const radius = Math.min(Math.max(this.delta, this.rho), this.setup.rhobeg);
    if (!this.start(x0, radius, s.fval[s.kopt])) return 'done';
    this.nresc = this.obj.count;
    this.delta = radius;
    return 'trust';
  }
}
