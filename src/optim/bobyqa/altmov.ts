/**
 * BOBYQA's geometry step (Powell 2009, section 3, ALTMOV): a new position for the
 * interpolation point t, which is to be moved to improve the interpolation set,
 * within |x - xopt| <= adelt and the bounds, making |l_t(x)| large (l_t the Lagrange
 * function of point t, l_t(xopt) = 0).
 *
 * Two candidates are returned:
 * - `xnew`, the best point on the lines from xopt through the other interpolation
 *   points. Along the line to y_k, l_t is a quadratic in the step fraction a with
 *   l_t = 0 at a = 0 and l_t(y_k) = [k = t] at a = 1, so it is known exactly from the
 *   derivative g . (y_k - xopt); the candidates are the ends of the feasible interval
 *   and the stationary point. The choice maximises tau^2 (tau^2 + alpha |step|^4 / 2),
 *   tau = l_t(x) and alpha = Omega_tt, a prediction of the denominator
 *   sigma = alpha beta + tau^2 of the updating formula (beta is about |step|^4 / 2).
 * - `xalt`, a Cauchy step: along the projected gradient of +l_t or -l_t, bent at
 *   the bounds, scaled to length adelt, or shorter where that makes |l_t| larger;
 *   `cauchy` = l_t(xalt)^2. The caller prefers xalt when the true denominator at
 *   xnew is below `cauchy` (sigma >= tau^2 always).
 */
import { type BobyqaState, dotPoint, omegaColumn } from './model.js';

export interface GeometryStep {
  xnew: Float64Array;
  xalt: Float64Array;
  cauchy: number;
}

export function altmov(s: BobyqaState, t: number, adelt: number): GeometryStep {
  const { n, m, xpt, xopt } = s;
  const hcol = new Float64Array(m);
  omegaColumn(s, t, hcol);
  const glag = new Float64Array(n);
  for (let i = 0; i < n; i++) glag[i] = s.bmat[t * n + i];
  for (let k = 0; k < m; k++) {
    const c = hcol[k] * dotPoint(s, k, xopt);
    for (let i = 0; i < n; i++) glag[i] += c * xpt[k * n + i];
  }
  const lagHessMul = (v: Float64Array, out: Float64Array): void => {
    out.fill(0);
    for (let k = 0; k < m; k++) {
      const c = hcol[k] * dotPoint(s, k, v);
      for (let i = 0; i < n; i++) out[i] += c * xpt[k * n + i];
    }
  };
  const xnew = lineStep(s, t, adelt, glag, hcol[t]);
  const plus = cauchyStep(s, adelt, glag, 1, lagHessMul);
  const minus = cauchyStep(s, adelt, glag, -1, lagHessMul);
  const alt = plus.value >= minus.value ? plus : minus;
  return { xnew, xalt: alt.x, cauchy: alt.value };
}

/**
 * Powell's line search: along the line to each y_k (k != kopt), the step
 * fraction a in the feasible interval [slbd, subd] (|a| |y_k - xopt| <= adelt,
 * within the bounds) that makes |l_t| largest among the interval's ends (and,
 * for k = t, the stationary point, for k != t a = 1/2 when |a (1 - a)| < 1/4
 * there); then the k with the largest tau^2 (tau^2 + alpha (a (1 - a) |y_k -
 * xopt|^2)^2 / 2). Ties keep the first; the step is clipped to the box but not
 * moved onto a bound (as minqa 1.2.5, whose ALTMOV resets IBDSAV).
 */
function lineStep(
  s: BobyqaState, t: number, adelt: number, glag: Float64Array, alpha: number,
): Float64Array {
  const { n, m, xpt, xopt, sl, su } = s;
  const ha = 0.5 * alpha;
  let presav = 0;
  let ksav = -1;
  let stpsav = 0;
  for (let k = 0; k < m; k++) {
    if (k === s.kopt) continue;
    let distsq = 0;
    let dderiv = 0;
    for (let i = 0; i < n; i++) {
      const dir = xpt[k * n + i] - xopt[i];
      distsq += dir * dir;
      dderiv += glag[i] * dir;
    }
    if (distsq === 0) continue;
    let subd = adelt / Math.sqrt(distsq);
    let slbd = -subd;
    const sumin = Math.min(1, subd);
    for (let i = 0; i < n; i++) {
      const dir = xpt[k * n + i] - xopt[i];
      if (dir > 0) {
        if (slbd * dir < sl[i] - xopt[i]) slbd = (sl[i] - xopt[i]) / dir;
        if (subd * dir > su[i] - xopt[i]) subd = Math.max(sumin, (su[i] - xopt[i]) / dir);
      } else if (dir < 0) {
        if (slbd * dir > su[i] - xopt[i]) slbd = (su[i] - xopt[i]) / dir;
        if (subd * dir < sl[i] - xopt[i]) subd = Math.max(sumin, (sl[i] - xopt[i]) / dir);
      }
    }
    let step: number;
    let vlag: number;
    if (k === t) {
      const diff = dderiv - 1;
      step = slbd;
      vlag = slbd * (dderiv - slbd * diff);
      const atUpper = subd * (dderiv - subd * diff);
      if (Math.abs(atUpper) > Math.abs(vlag)) {
        step = subd;
        vlag = atUpper;
      }
      const tempd = 0.5 * dderiv;
      if ((tempd - diff * slbd) * (tempd - diff * subd) < 0) {
        const inside = (tempd * tempd) / diff;
        if (Math.abs(inside) > Math.abs(vlag)) {
          step = tempd / diff;
          vlag = inside;
        }
      }
    } else {
      step = slbd;
      vlag = slbd * (1 - slbd);
      const atUpper = subd * (1 - subd);
      if (Math.abs(atUpper) > Math.abs(vlag)) {
        step = subd;
        vlag = atUpper;
      }
      if (subd > 0.5 && Math.abs(vlag) < 0.25) {
        step = 0.5;
        vlag = 0.25;
      }
      vlag *= dderiv;
    }
    const temp = step * (1 - step) * distsq;
    const predsq = vlag * vlag * (vlag * vlag + ha * temp * temp);
    if (predsq > presav) {
      presav = predsq;
      ksav = k;
      stpsav = step;
    }
  }
  const xnew = xopt.slice();
  if (ksav < 0) return xnew;
  for (let i = 0; i < n; i++) {
    const x = xopt[i] + stpsav * (xpt[ksav * n + i] - xopt[i]);
    xnew[i] = Math.max(sl[i], Math.min(su[i], x));
  }
  return xnew;
}

/**
 * The bent projected-gradient step for sign * l_t: variables that would leave the
 * box are put on their bound and the rest rescaled to keep |step| = adelt.
 */
function cauchyStep(
  s: BobyqaState, adelt: number, glag: Float64Array, sign: 1 | -1,
  lagHessMul: (v: Float64Array, out: Float64Array) => void,
): { x: Float64Array; value: number } {
  const { n, xopt, sl, su } = s;
  const step = new Float64Array(n);
  const fixed = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const g = sign * glag[i];
    if (g === 0 || (g > 0 && xopt[i] >= su[i]) || (g < 0 && xopt[i] <= sl[i])) fixed[i] = 1;
  }
  let changed = true;
  let scale = 0;
  while (changed) {
    changed = false;
    let ggfree = 0;
    let room = adelt * adelt;
    for (let i = 0; i < n; i++) {
      if (fixed[i]) room -= step[i] * step[i];
      else ggfree += glag[i] * glag[i];
    }
    if (ggfree === 0 || room <= 0) {
      scale = 0;
      break;
    }
    scale = Math.sqrt(room / ggfree);
    for (let i = 0; i < n; i++) {
      if (fixed[i]) continue;
      const x = xopt[i] + scale * sign * glag[i];
      if (x < sl[i] || x > su[i]) {
        step[i] = (x < sl[i] ? sl[i] : su[i]) - xopt[i];
        fixed[i] = 1;
        changed = true;
      }
    }
  }
  for (let i = 0; i < n; i++) if (!fixed[i]) step[i] = scale * sign * glag[i];
  const hs = new Float64Array(n);
  lagHessMul(step, hs);
  let gs = 0;
  let shs = 0;
  for (let i = 0; i < n; i++) {
    gs += glag[i] * step[i];
    shs += step[i] * hs[i];
  }
  let lambda = 1;
  let value = (gs + 0.5 * shs) ** 2;
  if (shs !== 0) {
    const interior = -gs / shs;
    const v = (interior * gs + 0.5 * interior * interior * shs) ** 2;
    if (interior > 0 && interior < 1 && v > value) {
      lambda = interior;
      value = v;
    }
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (lambda === 1 && fixed[i] && step[i] !== 0) x[i] = step[i] > 0 ? su[i] : sl[i];
    else x[i] = Math.min(Math.max(xopt[i] + lambda * step[i], sl[i]), su[i]);
  }
  return { x, value };
}
