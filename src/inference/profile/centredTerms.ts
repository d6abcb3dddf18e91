/**
 * Profiles of a fit made with random slopes centred (lmm/conditioning/termCentring.ts): which of
 * a term's parameters are traced on the centred term, and what is said of the others.
 *
 * A is I except row i0 (the intercept's), so the slopes' sds and their correlations with each
 * other are the same parameters on the centred term; the intercept's sd is the norm of row i0
 * of A T (profileDeviance.ts shiftedInterceptSdSlice for LMMs, profileCoords.ts
 * shiftedInterceptCoords for GLMMs); its correlations with the shifted slopes (the intercept
 * at 0 nearly a multiple of the slope: +-1 to the digits the data determine) are not traced.
 */
import type { ModelFrame } from '../../frame/types.js';
import type { TermCentring, TermShift } from '../../lmm/conditioning/termCentring.js';
import { termText } from '../../lmm/conditioning/termPrecision.js';

/** The shift of reTerms[term], if centred. */
export function shiftOf(tc: TermCentring | null, term: number): TermShift | undefined {
  return tc?.shifts.find((s) => s.term === term);
}

/** Whether the parameter at (row, col) of a term with this shift is not traced. */
export function untracedAt(s: TermShift | undefined, row: number, col: number): boolean {
  return s !== undefined && row !== col && (row === s.i0 || col === s.i0);
}

/** Why those are not traced, per centred term. */
export function untracedMessages(frame: ModelFrame, tc: TermCentring | null): string[] {
  return (tc?.shifts ?? []).map((s) => {
    const t = frame.reTerms[s.term], shifted = t.cnames.filter((_, c) => c !== s.i0 && s.means[c] !== 0), many = shifted.length > 1;
    return (
      `the correlations of the intercept with ${shifted.join(', ')} in (${termText(t)}) are not profiled: ` +
      `${shifted.join(', ')} ${many ? 'are' : 'is'} far from 0 relative to ${many ? 'their' : 'its'} spread, so the intercept at 0 is nearly a multiple of ${many ? 'those slopes' : 'that slope'} ` +
      `and ${many ? 'those correlations are' : 'that correlation is'} +-1 to the digits the data determine; the model was fitted, and the other parameters profiled, with ` +
      `${shifted.map((name) => `${name} - ${s.means[t.cnames.indexOf(name)].toPrecision(6)}`).join(', ')} (the same model)`
    );
  });
}
