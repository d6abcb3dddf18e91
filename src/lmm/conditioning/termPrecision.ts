/**
 * A random-effects term whose slope variable is far from 0 relative to its spread: in
 * (Days | Subject) with Days + 1e4 the intercept and slope columns of every level are nearly
 * proportional, the term's covariance parameters are nearly unidentifiable in double precision,
 * and the optimiser stops early (sleepstudy: logLik -872.08 for -871.81, with a convergence
 * message; lme4 1.1-31 gives -893.28 and calls the fit singular). A term with an intercept and
 * an unstructured covariance is the same model with the variable centred: lmer fits it so
 * (termCentring.ts); GLMMs, and finishes on the columns as given, carry the message that says so.
 * Measured: the share of a slope column's weighted sum of squares left by the intercept,
 * 1 - (sum w z)^2 / (sum w sum w z^2), was 8e-6 at Days + 1e3 (the fit exact to 1e-12) and
 * 8e-8 at Days + 1e4 (the fit failed): SHARE sits between.
 */
import type { ModelFrame, ReTerm } from '../../frame/types.js';

/** Below this share a slope column of a term with an intercept is named. */
export const SHARE = 1e-6;

/**
 * The messages of a frame's terms and weights, kept: they do not depend on the response, and a
 * GLMM bootstrap finishes every refit on the same terms (a pass over the rows each time).
 */
const known = new WeakMap<ModelFrame['reTerms'], { weights: ModelFrame['weights']; messages: string[] }>();

/** Messages naming the slope columns of random-effects terms far from 0 relative to their spread. */
export function termPrecisionMessages(frame: ModelFrame): string[] {
  const hit = known.get(frame.reTerms);
  if (hit !== undefined && hit.weights === frame.weights) return hit.messages;
  const messages = messagesOf(frame);
  known.set(frame.reTerms, { weights: frame.weights, messages });
  return messages;
}

/** A slope column of a term with an intercept: its share (above) and its weighted mean. */
export interface SlopeShare {
  column: number;
  share: number;
  mean: number;
}

type FarSlopes = { i0: number; slopes: SlopeShare[] } | null;

/** farSlopes per term, weights and moments: the fit's centring and its message both ask (a pass over the rows each). */
const slopesKnown = new WeakMap<ReTerm, { weights: ModelFrame['weights']; moments: ModelFrame['moments']; out: FarSlopes }>();

/** The slope columns of term `t` below SHARE, with the term's intercept column; null when none (or no intercept). */
export function farSlopes(frame: ModelFrame, t: ReTerm): FarSlopes {
  const hit = slopesKnown.get(t);
  if (hit !== undefined && hit.weights === frame.weights && hit.moments === frame.moments) return hit.out;
  const out = slopesOf(frame, t);
  slopesKnown.set(t, { weights: frame.weights, moments: frame.moments, out });
  return out;
}

function slopesOf(frame: ModelFrame, t: ReTerm): FarSlopes {
  const i0 = t.cnames.indexOf('(Intercept)');
  if (i0 < 0 || t.k < 2) return null;
  const w = frame.weights, n = t.refs.length, slopes: SlopeShare[] = [];
  // A frame of sums (no rows, src/sources): the term's unweighted moments sum z z'.
  const ztz = n === 0 ? frame.moments?.ztz[frame.reTerms.indexOf(t)] : undefined;
  for (let c = 0; c < t.k; c++) {
    if (c === i0) continue;
    let s0 = 0, s1 = 0, s2 = 0;
    if (ztz !== undefined) {
      s0 = ztz[i0 * (t.k + 1)];
      s1 = ztz[c + i0 * t.k];
      s2 = ztz[c * (t.k + 1)];
    }
    for (let r = 0; r < n; r++) {
      const wr = w ? w[r] : 1, z = t.z[r * t.k + c];
      s0 += wr;
      s1 += wr * z;
      s2 += wr * z * z;
    }
    const share = s2 > 0 ? 1 - (s1 * s1) / (s0 * s2) : 1;
    if (share < SHARE) slopes.push({ column: c, share, mean: s1 / s0 });
  }
  return slopes.length > 0 ? { i0, slopes } : null;
}

/** The term's columns other than the intercept, as the formula's bar reads: `Days | Subject`. */
export function termText(t: ReTerm): string {
  const i0 = t.cnames.indexOf('(Intercept)');
  return `${t.cnames.filter((_, e) => e !== i0).join(' + ')} | ${t.group}`;
}

function messagesOf(frame: ModelFrame): string[] {
  const out: string[] = [];
  const sums = frame.reTerms.some((t) => t.refs.length === 0) && frame.moments !== undefined;
  for (const t of frame.reTerms) {
    for (const { column: c, mean } of farSlopes(frame, t)?.slopes ?? []) {
      out.push(
        `${t.cnames[c]} in the random-effects term (${termText(t)}) is far from 0 relative to its spread: its columns are nearly ` +
          `proportional to the intercept's, so the term's variance parameters are nearly unidentifiable in double precision and the optimiser may stop early` +
          (sums ? ' (a fit from the engine\'s sums is not recentred)' : '') +
          `; centre it (e.g. ${t.cnames[c]} - ${mean.toPrecision(3)}), the same model for a term with an unstructured covariance like this one`,
      );
    }
  }
  return out;
}
