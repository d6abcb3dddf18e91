/**
 * The step of every group after a pass of PIRLS over the modes at fixed beta
 * (pirlsScalar.ts runModes), in one loop over the groups:
 *
 * - a group whose penalised deviance pd_g rose since its last accepted
 *   iterate goes halfway back to it (at most PIRLS_MAXHALVE times in a row);
 * - else the iterate is accepted and the Fisher step s_g = grad_g / D_g is
 *   taken, u_g <- u_g - s_g, adding grad_g s_g to the decrement and
 *   |s_g| / (1 + |u_g|) to the largest relative step of the stopping test;
 * - a group whose step no longer changes u_g (u_g - s_g === u_g in floating
 *   point) is settled for the run instead (`frozen`): the canonical passes
 *   skip its rows (modesPass.ts) and keep its sums, eta and mu, and its last
 *   step counts in the stopping test. Every later pass would find the same u_g,
 *   sums and step again, so the run ends as it would without, with the same
 *   numbers (a group settled a few ulps early moves the criterion by 1e-13,
 *   which BOBYQA's path over nAGQ = 10 on ctr1000 turned into 3e-7 in logLik).
 *
 * In the same loop the next pass's starting sums (grad_g = u_g, D_g = 1,
 * pd_g = u_g^2) and, factored, e^(theta c u_g) are set (ModesData.prepared).
 * The pass's pd and D are kept, so that `undoSteps` returns to the pass's
 * state when the run stops there (its u, pd and D; the sums of the rows).
 */
import { PIRLS_MAXHALVE } from './pirls.js';
import { FACTOR_LIMIT, type ModesData } from './modesPass.js';

/** Slots of the sums: this pass's decrement and largest relative step, those of the settled groups, and the number settled. */
export const SUM_DEC = 0, SUM_BIG = 1, SUM_FROZEN_DEC = 2, SUM_FROZEN_BIG = 3, SUM_FROZE = 4;

/** Per-group state of a run besides ModesData's u and sums. */
export interface StepState {
  /** The last accepted iterate and its pd. */
  uOld: Float64Array;
  pdOld: Float64Array;
  /** pd and D of the last pass (for undoSteps). */
  pdPass: Float64Array;
  DPass: Float64Array;
  /** Halvings in a row per group (0 after an accepted iterate). */
  halved: Int32Array;
  /** Settled groups (1). */
  frozen: Uint8Array;
}

/**
 * The steps after a pass at theta (module comment); `settle`: groups may be
 * settled (the canonical passes only). Adds to `sums` (SUM_*); returns the
 * number of groups halved.
 */
export function takeSteps(d: ModesData, th: number, a: StepState, settle: boolean, sums: Float64Array): number {
  const { u, grad, D, pd, expU } = d;
  const { uOld, pdOld, pdPass, DPass, halved, frozen } = a;
  const factored = d.expF !== null, c = th * d.zConst;
  let dec = 0, big = 0, frozenDec = 0, frozenBig = sums[SUM_FROZEN_BIG], froze = 0, halvings = 0;
  for (let g = 0; g < u.length; g++) {
    if (frozen[g] === 1) continue;
    const p = pd[g], Dg = D[g];
    pdPass[g] = p;
    DPass[g] = Dg;
    let v: number;
    if (p > pdOld[g] + 1e-10 * (1 + pdOld[g]) && halved[g] < PIRLS_MAXHALVE) {
      v = 0.5 * (u[g] + uOld[g]);
      halved[g]++;
      halvings++;
    } else {
      const ug = u[g], gr = grad[g];
      uOld[g] = ug;
      pdOld[g] = p;
      halved[g] = 0;
      const s = gr / Dg, rel = Math.abs(s) / (1 + Math.abs(ug));
      if (settle && ug - s === ug) {
        frozen[g] = 1;
        frozenDec += gr * s;
        frozenBig = Math.max(frozenBig, rel);
        froze++;
        continue;
      }
      dec += gr * s;
      big = Math.max(big, rel);
      v = ug - s;
    }
    u[g] = v;
    grad[g] = v;
    D[g] = 1;
    pd[g] = v * v;
    if (factored) {
      const x = c * v;
      expU[g] = x <= FACTOR_LIMIT && x >= -FACTOR_LIMIT ? Math.exp(x) : NaN;
    }
  }
  d.prepared = true;
  sums[SUM_DEC] += dec;
  sums[SUM_BIG] = Math.max(sums[SUM_BIG], big);
  sums[SUM_FROZEN_DEC] += frozenDec;
  sums[SUM_FROZEN_BIG] = frozenBig;
  sums[SUM_FROZE] += froze;
  return halvings;
}

/**
 * Back to the last pass's state after takeSteps: pd and D of the pass, u of
 * the pass where its iterate was accepted (a halved group keeps its halved u,
 * as a run stopped at its iteration limit leaves it); grad is not restored.
 */
export function undoSteps(d: ModesData, a: StepState): void {
  const { u, D, pd } = d;
  const { uOld, pdPass, DPass, halved, frozen } = a;
  for (let g = 0; g < u.length; g++) {
    if (frozen[g] === 1) continue;
    pd[g] = pdPass[g];
    D[g] = DPass[g];
    if (halved[g] === 0) u[g] = uOld[g];
  }
  d.prepared = false;
}
