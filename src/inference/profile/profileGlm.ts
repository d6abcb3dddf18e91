/**
 * Profile-likelihood confidence intervals for a GLM's coefficients: R's
 * confint() of a glm (MASS's confint.glm, in stats from R 4.4).
 *
 * For coefficient j held at b, the other coefficients are refitted by IRLS
 * with x_j b in the offset (the family at the fit's theta for a negative
 * binomial, as MASS holds it), and
 *
 *   s(b) = sign(b - b_j) sqrt((D(b) - D) / phi)
 *
 * with D the fit's deviance and phi its dispersion (1 for binomial, Poisson
 * and the negative binomial; the Pearson estimate otherwise). The limits are
 * the b where s(b) = -+ qnorm((1 + level) / 2), as MASS's cutoff is for every
 * family. MASS evaluates s on a grid of steps of about half a standard error
 * and interpolates a spline through it; here each limit is the root itself
 * (bracketed from the Wald limit outwards, then found by regula falsi), so
 * MASS's limits differ from these by its interpolation error, a small fraction
 * of a standard error.
 *
 * Each refit starts from the fit's means; if its first step leaves the link's
 * valid region it halves back towards the fit's other coefficients (R's
 * glm.fit with `start`), and as a last resort starts from glm's usual means.
 *
 * A limit the profile never reaches (the deviance flattens out, as under
 * separation) is null (R's NA) with a message; MASS then gives NA or a value
 * read off its grid that is not a limit.
 */
import type { GeneralizedLinearModel } from '../../api/fit.js';
import { qnorm } from '../../distributions/index.js';
import { MixedModelsError } from '../../errors.js';
import { refitProblem } from '../../glm/glm.js';
import { deviance, irls, type IrlsProblem } from '../../glm/irls.js';
import type { ConfidenceInterval } from '../wald.js';

/** How far out, in Wald half-widths, a limit is looked for before it is given up. */
const MAX_WIDTHS = 64;
/** A deviance this far below the fit's (relative to phi) means the fit had not converged (MASS stops there). */
const BETTER = 1e-3;

export interface GlmProfileIntervals {
  intervals: ConfidenceInterval[];
  messages: string[];
}

/** The intervals of every coefficient, in the frame's column order; aliased columns get nulls. */
export function glmProfileIntervals(model: GeneralizedLinearModel, level: number): GlmProfileIntervals {
  const { fit, frame } = model;
  const { prob, mustart } = refitProblem(frame, fit);
  const names = frame.colnames, messages: string[] = [];
  const at = fit.coefficients.map((c) => names.indexOf(c.term));
  const phi = fit.dispersion, z = qnorm((1 + level) / 2);
  if (!(phi > 0 && Number.isFinite(phi))) {
    messages.push(`the dispersion is ${phi} (no residual degrees of freedom): no profile intervals`);
  }
  const limits = new Map<number, [number | null, number | null]>();
  if (phi > 0 && Number.isFinite(phi)) {
    at.forEach((j, a) => {
      const c = fit.coefficients[a];
      const others = at.filter((k) => k !== j);
      const start = Float64Array.from(others, (k) => fit.coefficients[at.indexOf(k)].estimate);
      const Xi = columns(prob, others);
      const side = (s: -1 | 1): number | null => {
        // A profile per side, so that its notes say which side they come from.
        const profile = coefficientProfile(prob, Xi, others.length, j, c.estimate, fit.deviance, phi, fit.fitted, start, mustart);
        const r = limit(profile, c.estimate, s * z * c.stdError, z);
        const where = `profile of '${c.term}'`, sideName = s < 0 ? 'lower' : 'upper';
        if (r.message) messages.push(`${where}: ${r.message} on its ${sideName} side${r.value === null ? ': no limit there (NA)' : ''}`);
        if (profile.better) messages.push(`${where}: a lower deviance than the fit's was found on its ${sideName} side (the fit had not converged; MASS stops with an error)`);
        if (profile.unconverged.length > 0) {
          const bs = profile.unconverged.map((b) => b.toPrecision(4));
          messages.push(`${where}: the refit did not converge at ${bs.length === 1 ? bs[0] : `${bs.length} points (${bs.slice(0, 3).join(', ')}${bs.length > 3 ? ', ...' : ''})`} on its ${sideName} side (the other coefficients run off to infinity there): the lowest deviance reached was taken`);
        }
        return r.value;
      };
      limits.set(j, [side(-1), side(1)]);
    });
  }
  if (fit.aliased.length > 0) messages.push(`no estimate, so no interval, for ${fit.aliased.join(', ')} (aliased)`);
  const rows = names.map((parameter, j) => ({ parameter, lower: limits.get(j)?.[0] ?? null, upper: limits.get(j)?.[1] ?? null }));
  return { intervals: [...rows, ...frame.aliased.map((parameter) => ({ parameter, lower: null, upper: null }))], messages };
}

interface Profile {
  /** s(b), NaN where the refit fails. */
  at(b: number): number;
  better: boolean;
  /** The b whose refit did not converge (its lowest deviance was taken). */
  unconverged: number[];
}

/** The n x q matrix of `cols` of the problem's X (column-major). */
function columns(prob: IrlsProblem, cols: readonly number[]): Float64Array {
  const { n, X } = prob, out = new Float64Array(n * cols.length);
  cols.forEach((k, c) => out.set(X.subarray(k * n, (k + 1) * n), c * n));
  return out;
}

/**
 * s(b) for column j, the other estimable columns (Xi, q of them) refitted (module comment): from the
 * fit's means `mu0` with `start` (the fit's other coefficients) to halve back to, then from
 * glm's usual means `mustart`. (Not from the last point's refit: under separation IRLS from
 * there stops at once, its deviance changing too little, far from the refit's optimum.)
 */
function coefficientProfile(
  prob: IrlsProblem, Xi: Float64Array, q: number, j: number, bj: number, dev0: number, phi: number,
  mu0: Float64Array, start: Float64Array, mustart: Float64Array,
): Profile {
  const { n, X } = prob;
  const xj = X.subarray(j * n, (j + 1) * n);
  const out: Profile = {
    better: false,
    unconverged: [],
    at(b) {
      const offset = prob.offset.map((o, i) => o + xj[i] * b);
      let dev: number;
      if (q === 0) {
        const mu = offset.map(prob.family.link.linkinv);
        dev = mu.every(prob.family.validMu) ? deviance(prob, mu) : NaN;
      } else {
        dev = NaN;
        let converged = false;
        for (const [from, fallback] of [[mu0, start], [mustart, null]] as const) {
          try {
            const res = irls({ ...prob, X: Xi, p: q, offset }, from, fallback);
            if (res.converged) {
              dev = res.deviance;
              converged = true;
              break;
            }
            // Still falling (the refit's maximum lies at infinity): the lowest deviance reached.
            if (Number.isFinite(res.deviance) && !(res.deviance >= dev)) dev = res.deviance;
          } catch (e) {
            if (!(e instanceof MixedModelsError)) throw e;
          }
        }
        if (!converged && Number.isFinite(dev)) out.unconverged.push(b);
      }
      const d = (dev - dev0) / phi;
      if (d < -BETTER) out.better = true;
      return Math.sign(b - bj) * Math.sqrt(Math.max(d, 0));
    },
  };
  return out;
}

/**
 * The b on the side of `step`'s sign where |s(b)| = z: bracketed by doubling from
 * bj + step (the Wald limit; where the refit fails there, as far out under separation, by
 * quartering back towards bj first, then doubling no further than where it failed), then regula falsi (Illinois) until s is within 1e-10 of z or the bracket
 * within 1e-10 of b (the refits' deviance is good to about that).
 */
function limit(profile: Profile, bj: number, step: number, z: number): { value: number | null; message?: string } {
  if (!(Number.isFinite(step) && step !== 0)) return { value: null, message: 'the standard error is not positive and finite' };
  let inner = bj, gInner = -z, outer = NaN, gOuter = NaN;
  let w = 1, wFailed = Infinity, wInner = 0, failedAt = NaN;
  for (let tries = 0; tries < 60 && w <= MAX_WIDTHS; tries++) {
    const b = bj + w * step, g = Math.abs(profile.at(b)) - z;
    if (Number.isNaN(g)) {
      wFailed = w;
      failedAt = b;
      w = wInner + (w - wInner) / 4;
      continue;
    }
    if (g >= 0) {
      outer = b;
      gOuter = g;
      break;
    }
    inner = b;
    gInner = g;
    wInner = w;
    w = Math.min(2 * w, (w + wFailed) / 2);
  }
  if (Number.isNaN(outer)) {
    return Number.isNaN(failedAt)
      ? { value: null, message: `the deviance stays within the cutoff out to ${MAX_WIDTHS} Wald half-widths (the likelihood flattens, as under separation)` }
      : { value: null, message: `the refit fails at ${failedAt.toPrecision(6)} before the deviance reaches the cutoff` };
  }
  let side = 0;
  for (let it = 0; it < 200; it++) {
    const b = outer - (gOuter * (outer - inner)) / (gOuter - gInner);
    if (Math.abs(outer - inner) <= 1e-10 * Math.max(Math.abs(b), Math.abs(step))) return { value: b };
    const g = Math.abs(profile.at(b)) - z;
    if (Number.isNaN(g)) return { value: null, message: `the refit failed at ${b.toPrecision(6)}` };
    if (Math.abs(g) < 1e-10) return { value: b };
    if (g < 0) {
      inner = b;
      gInner = g;
      if (side === -1) gOuter /= 2;
      side = -1;
    } else {
      outer = b;
      gOuter = g;
      if (side === 1) gInner /= 2;
      side = 1;
    }
  }
  return { value: (inner + outer) / 2 };
}
