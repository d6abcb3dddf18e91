/**
 * BOBYQA's trust region subproblem with bounds (Powell 2009, section 3, TRSBOX):
 * approximately minimise Q(d) = g . d + d' G d / 2 subject to |d| <= delta and
 * sl <= xopt + d <= su.
 *
 * Variables start fixed when they sit on a bound and the gradient pushes outwards.
 * Truncated conjugate gradients run on the free variables; a step that reaches a
 * bound fixes that variable and restarts CG. Once |d| = delta, the search goes on
 * around the boundary of the trust region: d is rotated, d(t) = cos t d + sin t s
 * with s orthogonal to d in the plane of d and the reduced gradient, choosing the
 * angle by a grid over tan(t/2) and a parabolic refinement, and stopping at a bound
 * (which is then fixed) if that comes first. Both phases stop when the latest
 * reduction of Q is below 1% of the total so far.
 *
 * `crvmin` reports the least curvature s'Gs/|s|^2 along the CG directions: -1 if
 * there was no CG step, 0 if the trust region boundary was reached.
 */

export interface TrustRegionStep {
  /** xopt + d, within the bounds; a fixed variable is exactly on its bound. */
  xnew: Float64Array;
  /** The step xnew - xopt. */
  d: Float64Array;
  /** Gradient of Q at d. */
  gnew: Float64Array;
  dsq: number;
  crvmin: number;
}

export interface TrustRegionProblem {
  xopt: Float64Array;
  gopt: Float64Array;
  sl: Float64Array;
  su: Float64Array;
  /** out = G v */
  hessMul: (v: Float64Array, out: Float64Array) => void;
}

class Subproblem {
  readonly n: number;
  readonly d: Float64Array;
  readonly gnew: Float64Array;
  readonly s: Float64Array;
  readonly hs: Float64Array;
  /** -1 fixed at the lower bound, +1 at the upper bound, 0 free. */
  readonly xbdi: Int8Array;
  nact = 0;
  qred = 0;
  crvmin = -1;
  delsq: number;
  iterations = 0;
  readonly maxIterations: number;

  constructor(readonly p: TrustRegionProblem, delta: number) {
    const n = p.xopt.length;
    this.n = n;
    this.d = new Float64Array(n);
    this.gnew = Float64Array.from(p.gopt);
    this.s = new Float64Array(n);
    this.hs = new Float64Array(n);
    this.xbdi = new Int8Array(n);
    this.delsq = delta * delta;
    this.maxIterations = 50 * n + 100;
    for (let i = 0; i < n; i++) {
      if (p.xopt[i] <= p.sl[i] && p.gopt[i] >= 0) this.fix(i, -1);
      else if (p.xopt[i] >= p.su[i] && p.gopt[i] <= 0) this.fix(i, 1);
    }
  }

  fix(i: number, side: -1 | 1): void {
    this.xbdi[i] = side;
    this.nact++;
  }

  free(i: number): boolean {
    return this.xbdi[i] === 0;
  }
}

export function trsbox(p: TrustRegionProblem, delta: number): TrustRegionStep {
  const sp = new Subproblem(p, delta);
  if (conjugateGradient(sp)) boundaryArc(sp);
  return finish(sp);
}

/** Truncated CG on the free variables; returns true when the arc phase should follow. */
function conjugateGradient(sp: Subproblem): boolean {
  const { n, d, gnew, s, hs, p } = sp;
  let beta = 0;
  let gredsq = 0;
  let ggsav = 0;
  let itermax = 0;
  while (sp.iterations < sp.maxIterations) {
    let stepsq = 0;
    for (let i = 0; i < n; i++) {
      s[i] = sp.free(i) ? beta * s[i] - gnew[i] : 0;
      stepsq += s[i] * s[i];
    }
    if (stepsq === 0) return false;
    if (beta === 0) {
      gredsq = stepsq;
      itermax = sp.iterations + n - sp.nact;
    }
    if (gredsq * sp.delsq <= 1e-4 * sp.qred * sp.qred) return false;
    p.hessMul(s, hs);
    let resid = sp.delsq;
    let ds = 0;
    let shs = 0;
    for (let i = 0; i < n; i++) {
      if (!sp.free(i)) continue;
      resid -= d[i] * d[i];
      ds += s[i] * d[i];
      shs += s[i] * hs[i];
    }
    if (resid <= 0) return true;
    const root = Math.sqrt(stepsq * resid + ds * ds);
    const blen = ds < 0 ? (root - ds) / stepsq : resid / (root + ds);
    let stplen = shs > 0 ? Math.min(blen, gredsq / shs) : blen;
    let iact = -1;
    for (let i = 0; i < n; i++) {
      if (s[i] === 0) continue;
      const xsum = p.xopt[i] + d[i];
      const room = s[i] > 0 ? p.su[i] - xsum : p.sl[i] - xsum;
      const t = room / s[i];
      if (t < stplen) {
        stplen = t;
        iact = i;
      }
    }
    let sdec = 0;
    if (stplen > 0) {
      sp.iterations++;
      const curv = shs / stepsq;
      if (iact < 0 && curv > 0) sp.crvmin = sp.crvmin === -1 ? curv : Math.min(sp.crvmin, curv);
      ggsav = gredsq;
      gredsq = 0;
      for (let i = 0; i < n; i++) {
        gnew[i] += stplen * hs[i];
        if (sp.free(i)) gredsq += gnew[i] * gnew[i];
        d[i] += stplen * s[i];
      }
      sdec = Math.max(stplen * (ggsav - 0.5 * stplen * shs), 0);
      sp.qred += sdec;
    }
    if (iact >= 0) {
      sp.fix(iact, s[iact] > 0 ? 1 : -1);
      sp.delsq -= d[iact] * d[iact];
      if (sp.delsq <= 0) return true;
      beta = 0;
      continue;
    }
    if (stplen < blen) {
      if (sp.iterations >= itermax || sdec <= 0.01 * sp.qred) return false;
      beta = gredsq / ggsav;
      continue;
    }
    sp.crvmin = 0;
    return true;
  }
  return false;
}

interface ArcSearch {
  angbd: number;
  iact: number;
  side: -1 | 1;
}

/** Rotations of d on the trust region boundary (see module comment). */
function boundaryArc(sp: Subproblem): void {
  const { n, d, gnew, s, hs, p } = sp;
  const hred = new Float64Array(n);
  const dfree = new Float64Array(n);
  restart: while (sp.nact < n - 1 && sp.iterations < sp.maxIterations) {
    for (let i = 0; i < n; i++) dfree[i] = sp.free(i) ? d[i] : 0;
    p.hessMul(dfree, hred);
    while (sp.iterations < sp.maxIterations) {
      sp.iterations++;
      let dredsq = 0;
      let dredg = 0;
      let gredsq = 0;
      for (let i = 0; i < n; i++) {
        if (!sp.free(i)) continue;
        dredsq += d[i] * d[i];
        dredg += d[i] * gnew[i];
        gredsq += gnew[i] * gnew[i];
      }
      const det = gredsq * dredsq - dredg * dredg;
      if (det <= 1e-4 * sp.qred * sp.qred) return;
      const root = Math.sqrt(det);
      for (let i = 0; i < n; i++) s[i] = sp.free(i) ? (dredg * d[i] - dredsq * gnew[i]) / root : 0;
      const sredg = -root;
      const arc = arcBound(sp);
      if (arc === null) continue restart;
      p.hessMul(s, hs);
      let shs = 0;
      let dhs = 0;
      let dhd = 0;
      for (let i = 0; i < n; i++) {
        if (!sp.free(i)) continue;
        shs += s[i] * hs[i];
        dhs += d[i] * hs[i];
        dhd += d[i] * hred[i];
      }
      const reduction = (t: number): number => {
        const c = (1 - t * t) / (1 + t * t);
        const sn = (2 * t) / (1 + t * t);
        const cm = c - 1;
        return -(cm * dredg + sn * sredg + 0.5 * (cm * cm * dhd + 2 * cm * sn * dhs + sn * sn * shs));
      };
      const { t, atBound } = bestAngle(reduction, arc.angbd);
      const sdec = reduction(t);
      if (!(sdec > 0)) return;
      const c = (1 - t * t) / (1 + t * t);
      const sn = (2 * t) / (1 + t * t);
      for (let i = 0; i < n; i++) {
        gnew[i] += (c - 1) * hred[i] + sn * hs[i];
        if (sp.free(i)) d[i] = c * d[i] + sn * s[i];
        hred[i] = c * hred[i] + sn * hs[i];
      }
      sp.qred += sdec;
      if (arc.iact >= 0 && atBound) {
        sp.fix(arc.iact, arc.side);
        continue restart;
      }
      if (sdec <= 0.01 * sp.qred) return;
    }
  }
}

/**
 * Largest tan(t/2) <= 1 keeping every free variable within its bounds along
 * d cos t + s sin t, and the variable that limits it; null when a variable is
 * already on a bound (it is fixed, and the arc phase restarts).
 */
function arcBound(sp: Subproblem): ArcSearch | null {
  const { n, d, s, p } = sp;
  const arc: ArcSearch = { angbd: 1, iact: -1, side: -1 };
  for (let i = 0; i < n; i++) {
    if (!sp.free(i)) continue;
    const tempa = p.xopt[i] + d[i] - p.sl[i];
    const tempb = p.su[i] - p.xopt[i] - d[i];
    if (tempa <= 0) {
      sp.fix(i, -1);
      return null;
    }
    if (tempb <= 0) {
      sp.fix(i, 1);
      return null;
    }
    const ssq = d[i] * d[i] + s[i] * s[i];
    const lo = ssq - (p.xopt[i] - p.sl[i]) ** 2;
    if (lo > 0) {
      const den = Math.sqrt(lo) - s[i];
      if (arc.angbd * den > tempa) {
        arc.angbd = tempa / den;
        arc.iact = i;
        arc.side = -1;
      }
    }
    const hi = ssq - (p.su[i] - p.xopt[i]) ** 2;
    if (hi > 0) {
      const den = Math.sqrt(hi) + s[i];
      if (arc.angbd * den > tempb) {
        arc.angbd = tempb / den;
        arc.iact = i;
        arc.side = 1;
      }
    }
  }
  return arc;
}

/** Maximise red(t) over t in (0, angbd]: a grid, then a parabola through the best and its neighbours. */
function bestAngle(red: (t: number) => number, angbd: number): { t: number; atBound: boolean } {
  const iu = Math.floor(17 * angbd + 3.1);
  let best = 0;
  let isav = 0;
  const values = new Float64Array(iu + 1);
  for (let j = 1; j <= iu; j++) {
    values[j] = red((angbd * j) / iu);
    if (values[j] > best) {
      best = values[j];
      isav = j;
    }
  }
  if (isav === 0 || isav === iu) return { t: angbd * (isav / iu), atBound: isav === iu };
  const prev = values[isav - 1];
  const next = values[isav + 1];
  const den = 2 * best - prev - next;
  const shift = den > 0 ? (0.5 * (next - prev)) / den : 0;
  return { t: (angbd * (isav + shift)) / iu, atBound: false };
}

function finish(sp: Subproblem): TrustRegionStep {
  const { n, d, gnew, p } = sp;
  const xnew = new Float64Array(n);
  let dsq = 0;
  for (let i = 0; i < n; i++) {
    xnew[i] = Math.min(Math.max(p.xopt[i] + d[i], p.sl[i]), p.su[i]);
    if (sp.xbdi[i] === -1) xnew[i] = p.sl[i];
    if (sp.xbdi[i] === 1) xnew[i] = p.su[i];
    d[i] = xnew[i] - p.xopt[i];
    dsq += d[i] * d[i];
  }
  return { xnew, d, gnew, dsq, crvmin: sp.crvmin };
}
