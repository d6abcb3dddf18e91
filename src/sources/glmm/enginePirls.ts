/**
 * PIRLS for one scalar term with each pass in the engine (pirlsPass.ts): the
 * same iterations as glmm/pirls/pirlsScalar.ts, whose per-row loops become one
 * aggregate query each and whose per-group and p x p algebra stays here.
 *
 * - modes at fixed beta (runModes): a Fisher step per group,
 *   u_g <- u_g - grad_g / D_g with grad_g = u_g - theta sum z wr and
 *   D_g = 1 + theta^2 sum z^2 W, halved per group while the group's penalised
 *   deviance rises; stops when every step is below PIRLS_STEP_TOL and the
 *   decrement below PIRLS_TOL;
 * - (u, beta) jointly (runJoint, from the GLM's starting eta): u eliminated,
 *   S = X'WX - sum_g c_g c_g' / D_g, beta = S^-1 (X'W zeta - sum_g c_g r_g / D_g),
 *   c_g = theta sum W z x, r_g = theta sum z (W (eta - offset) + wr).
 *
 * The state after a run is the pass at the final (u, beta): its sums give the
 * Laplace criterion, its gradient and L_X.
 */
import { potrfUnblocked } from '../../linalg/potrf.js';
import { trsvLower, trsvLowerTrans } from '../../linalg/trsv.js';
import { PIRLS_MAXHALVE, PIRLS_MAXIT, PIRLS_STEP_TOL, PIRLS_TOL } from '../../glmm/pirls/pirls.js';
import type { EngineModel } from './engineModel.js';
import { runPass, type PassSums } from './pirlsPass.js';

export interface EngineState {
  u: Float64Array;
  beta: Float64Array;
  sums: PassSums;
  /** sum dev, |u|^2, sum log D_g at the state. */
  dev: number;
  ussq: number;
  ldL2: number;
  converged: boolean;
  iterations: number;
}

function failed(sums: PassSums): boolean {
  return sums.bad > 0 || !Number.isFinite(sums.dev.reduce((a, b) => a + b, 0));
}

function state(u: Float64Array, beta: Float64Array, sums: PassSums, th: number, converged: boolean, iterations: number): EngineState {
  let dev = 0, ussq = 0, ld = 0;
  for (let g = 0; g < u.length; g++) {
    dev += sums.dev[g];
    ussq += u[g] * u[g];
    ld += Math.log(1 + th * th * sums.zzW[g]);
  }
  return { u: u.slice(), beta: beta.slice(), sums, dev, ussq, ldL2: ld, converged, iterations };
}

/** The conditional modes at (theta, beta) from the start `u` (pirlsScalar.ts runModes); null when PIRLS fails. */
export async function runModes(m: EngineModel, th: number, beta: Float64Array, start: Float64Array): Promise<EngineState | null> {
  const G = m.levels, u = start.slice(), uOld = new Float64Array(G), pdOld = new Float64Array(G).fill(Infinity);
  const halved = new Int32Array(G), step = new Float64Array(G);
  for (let it = 0; ; it++) {
    const sums = await runPass(m, { theta: th, beta, u });
    if (failed(sums)) return null;
    let dec = 0, big = 0, pending = false;
    for (let g = 0; g < G; g++) {
      const pd = u[g] * u[g] + sums.dev[g];
      const grad = u[g] - th * sums.zwr[g], D = 1 + th * th * sums.zzW[g];
      if (pd > pdOld[g] + 1e-10 * (1 + pdOld[g]) && halved[g] < PIRLS_MAXHALVE) {
        u[g] = 0.5 * (u[g] + uOld[g]);
        halved[g]++;
        pending = true;
        step[g] = 0;
        continue;
      }
      uOld[g] = u[g];
      pdOld[g] = pd;
      halved[g] = 0;
      const s = grad / D;
      step[g] = s;
      dec += grad * s;
      big = Math.max(big, Math.abs(s) / (1 + Math.abs(u[g])));
    }
    const converged = !pending && dec < PIRLS_TOL && big < PIRLS_STEP_TOL;
    if (converged || it >= PIRLS_MAXIT) return state(u, beta, sums, th, converged, it + 1);
    for (let g = 0; g < G; g++) u[g] -= step[g];
  }
}

/** S = X'WX - sum c c'/D (Cholesky, lower, in place) and the right side; false when S is not positive definite. */
function schur(sums: PassSums, th: number): { L: Float64Array; rhs: Float64Array; c: Float64Array; rg: Float64Array; D: Float64Array } | null {
  const { G, p } = sums;
  const L = sums.xwx.slice(), rhs = sums.xt.slice();
  const c = new Float64Array(G * p), rg = new Float64Array(G), D = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    D[g] = 1 + th * th * sums.zzW[g];
    rg[g] = th * sums.zt[g];
    for (let a = 0; a < p; a++) c[g * p + a] = th * sums.zWx[g * p + a];
    const inv = 1 / D[g], r = rg[g] * inv;
    for (let a = 0; a < p; a++) {
      const ca = c[g * p + a];
      rhs[a] -= ca * r;
      for (let b = a; b < p; b++) L[b + a * p] -= ca * inv * c[g * p + b];
    }
  }
  return potrfUnblocked(p, L, 0, p) === 0 ? { L, rhs, c, rg, D } : null;
}

/** L_X at a state (the Cholesky factor of S), or null. */
export function fixedFactor(st: EngineState, th: number): Float64Array | null {
  return schur(st.sums, th)?.L ?? null;
}

/** delta' M delta for the joint step (pirlsScalar.ts decrement). */
function decrement(s: NonNullable<ReturnType<typeof schur>>, p: number, betaNew: Float64Array, uOld: Float64Array, betaOld: Float64Array): number {
  let dec = 0;
  for (let g = 0; g < s.D.length; g++) {
    let cb = 0, cbOld = 0;
    for (let a = 0; a < p; a++) {
      cb += s.c[g * p + a] * betaNew[a];
      cbOld += s.c[g * p + a] * betaOld[a];
    }
    const e = (s.rg[g] - cb) / s.D[g] - uOld[g] + (cb - cbOld) / s.D[g];
    dec += s.D[g] * e * e;
  }
  for (let a = 0; a < p; a++) {
    let v = 0;
    for (let b = a; b < p; b++) v += s.L[b + a * p] * (betaNew[b] - betaOld[b]);
    dec += v * v;
  }
  return dec;
}

/** (u, beta) jointly at theta from the model's starting eta (pirlsScalar.ts runJoint after startFrom); null when PIRLS fails. */
export async function runJoint(m: EngineModel, th: number, tol: number): Promise<EngineState | null> {
  const G = m.levels, p = m.p;
  const u = new Float64Array(G), uOld = new Float64Array(G), beta = new Float64Array(p), betaOld = new Float64Array(p);
  let pdevOld = Infinity, halvedNow = 0, fromStart = true;
  for (let it = 0; ; it++) {
    const sums = await runPass(m, it === 0 ? null : { theta: th, beta, u });
    if (failed(sums)) return null;
    let dev = 0, ussq = 0;
    for (let g = 0; g < G; g++) {
      dev += sums.dev[g];
      ussq += u[g] * u[g];
    }
    const pdev = dev + ussq;
    if (pdev > pdevOld + 1e-10 * (1 + pdevOld) && halvedNow < PIRLS_MAXHALVE) {
      for (let g = 0; g < G; g++) u[g] = 0.5 * (u[g] + uOld[g]);
      for (let a = 0; a < p; a++) beta[a] = 0.5 * (beta[a] + betaOld[a]);
      halvedNow++;
      continue;
    }
    halvedNow = 0;
    pdevOld = fromStart ? Infinity : pdev;
    uOld.set(u);
    betaOld.set(beta);
    const s = schur(sums, th);
    if (s === null) return null;
    const next = s.rhs.slice();
    trsvLower(p, s.L, 0, p, next, 0);
    trsvLowerTrans(p, s.L, 0, p, next, 0);
    const dec = decrement(s, p, next, uOld, betaOld);
    let big = 0;
    for (let a = 0; a < p; a++) big = Math.max(big, Math.abs(next[a] - beta[a]) / (1 + Math.abs(beta[a])));
    beta.set(next);
    for (let g = 0; g < G; g++) {
      let v = s.rg[g];
      for (let a = 0; a < p; a++) v -= s.c[g * p + a] * beta[a];
      u[g] = v / s.D[g];
      big = Math.max(big, Math.abs(u[g] - uOld[g]) / (1 + Math.abs(uOld[g])));
    }
    if ((dec < tol && big < Math.max(tol, PIRLS_STEP_TOL) && !fromStart) || it >= PIRLS_MAXIT) {
      return state(uOld, betaOld, sums, th, dec < tol, it + 1);
    }
    fromStart = false;
  }
}
