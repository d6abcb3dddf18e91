import { denseWasm } from '../linalg/denseWasm.js';
import { potriLower } from '../linalg/potri.js';
import type { LmmBlocks } from './blocks.js';
import { sphericalEffects } from './effects.js';
import type { LambdaMap } from './lambda.js';
import { levelQuadratics } from './levelQuadratics.js';
import { pairTiles, pairTilesOf, type PairTiles } from './pairTiles.js';
import type { LFactor } from './updateL.js';

/**
 * Analytic gradient of the profiled (RE)ML criterion with respect to theta,
 * from a filled L (the same evaluation's Lambda).
 *
 * With M = Lambda'Z'Z Lambda + I, Omega = [M, Lambda'Z'X; X'Z Lambda, X'X],
 * u the spherical modes and r^2 the penalised residual sum of squares:
 *
 *   ML:    f = log|M| + n log r^2 + const
 *   REML:  f = log|Omega| + (n - p) log r^2 + const
 *
 * For theta_t at T_j[r, c] (lambda.ts), Lambda^{-1} dLambda/dtheta_t is block
 * diagonal with T_j^{-1} E_rc for every level of factor block j. Because
 * M - I = Lambda'Z'Z Lambda, d log|M| = 2 tr((I - M^{-1}) Lambda^{-1} dLambda)
 * (likewise for Omega, using the ZZ block of Omega^{-1}), and, since
 * u = Lambda'Z'(y - X beta - Z Lambda u) at the optimum (envelope theorem),
 * d r^2 = -2 u' Lambda^{-1} dLambda u. Hence
 *
 *   df/dtheta_t = 2 (G_j T_j^{-1})[c, r],
 *   G_j = sum over levels l of (I - B_l - kappa u_l u_l'),
 *
 * B_l the k_j x k_j diagonal block of M^{-1} (ML) or of Omega^{-1} (REML) for
 * level l, kappa = n / r^2 (ML) or (n - p) / r^2 (REML).
 *
 * The diagonal blocks of the inverse come from the blocked L: with L_R the
 * dense trailing factor (blocks 1..m-1, and for REML the rows of X) and
 * W = (L_R L_R')^{-1} (potri, about twice the work of that block's Cholesky),
 *
 *   blocks j >= 1: B_l = W[l's columns, l's columns];
 *   block 0:       B_l = D_l^{-T} (I + K_l' W K_l) D_l^{-1},
 *
 * D_l the k_0 x k_0 block of L_00 and K_l the (sparse) columns of L_R0 for l.
 *
 * Lambda^{-1} requires the diagonal of every term's triangle to be non-zero.
 * A scalar term at theta = 0 has derivative 0 there (the criterion is even
 * in it); a zero diagonal in a vector-valued term makes the gradient unavailable.
 */
export interface GradientWorkspace {
  /** Size of the trailing dense factor and the offset of block j >= 1 in it. */
  nR: number;
  offset: Int32Array;
  /** Offset of the X rows (REML only). */
  offX: number;
  R: Float64Array;
  W: Float64Array;
  X: Float64Array;
  /** Gather buffers for one level of block 0. */
  rows: Int32Array;
  vals: Float64Array;
  prod: Float64Array;
  /** Scalar first block (k_0 = 1): the pattern and values of K~ (ScalarPattern). */
  scalar: ScalarPattern | null;
  /**
   * The Lambda blocks W was formed at (trailingInverse), or null when W does not hold
   * an inverse (never formed, or its array used as scratch since: invalidateInverse).
   */
  inverseAt: Float64Array[] | null;
  /** The arrays inverseAt last copied Lambda into (reused for the next copy). */
  lambdaCopy: Float64Array[] | null;
  /** Counts the inverses formed in W (and W's uses as scratch): what was computed from one W keeps its number. */
  inverseVersion: number;
  /**
   * Whether X's leading q_R x q_R (leading dimension q_R = offX) holds V = (D D')^{-1}, D the
   * random-effects part of L_R, at inverseAt: REML's W is formed from it (inverseFromZBlock), and
   * the conditional variances read it (condVar.ts). Whoever writes X clears it (invalidateV).
   */
  vValid: boolean;
  /** potri's scratch for V where the WebAssembly module does not take order q_R (allocated then). */
  scratch: Float64Array | null;
  /** lmmGradient's G_j (k_j x k_j per block) and thetaGradient's T_j^{-1}, made once per problem. */
  G: Float64Array[];
  /** lmmGradient's spherical random effects u_j (length q_j per block), made once per problem. */
  u: Float64Array[];
  tinv: Float64Array[];
  /** One term's T and T^{-1} (k_max^2 each), and the theta elements of scalar terms at 0 (1; sized by the LambdaMap on first use). */
  termT: Float64Array;
  termInv: Float64Array;
  zeroScalar: Uint8Array;
}

/**
 * K~ = L_R0 D^{-1} for a scalar first block (k_0 = 1), by column level l: its rows
 * of the random-effects blocks (the Z part: kptr, krow, in R's numbering, increasing;
 * row order `order`), then, for REML, one row per fixed effect (the X part, rows
 * offX + t). Per evaluation (scalarFirstBlockValues) kval holds the Z part of L_R0
 * and dinv the 1 / d_l, so that an entry of K~ is kval[e] * dinv[l], and kx the X
 * part of K~ (p per level). With one later block of scalar terms (two crossed
 * factors) the Z part is A_10's own pattern and kval is L_10 itself, shared with A,
 * L and updateL's row tiles (pairTiles.ts) rather than copied: 23 MB for 1e6
 * level pairs.
 */
export interface ScalarPattern {
  kptr: Int32Array;
  krow: Int32Array;
  kval: Float64Array;
  /** Whether kval is gathered from L's blocks per evaluation (else it is L.sp[1]). */
  gathered: boolean;
  dinv: Float64Array;
  kx: Float64Array;
  /** Row tiles of (kptr, krow) over the offX rows of Z (pairTiles.ts). */
  tiles: PairTiles;
  /** levelQuadratics' per-level results, and (REML) its copy of W's rows of X and K's (p per Z row). */
  quad: Float64Array;
  /**
   * The workspace's inverseVersion quad was formed at (with W and the X rows, as the gradient
   * forms it), or -1: Satterthwaite's derivatives at the optimiser's last gradient then form K alone.
   */
  quadVersion: number;
  wx: Float64Array;
  kz: Float64Array;
}

export function gradientWorkspace(A: LmmBlocks, L: LFactor, REML: boolean): GradientWorkspace {
  const m = L.m, p = L.P - 1;
  const offset = new Int32Array(m);
  let nR = 0;
  for (let j = 1; j < m; j++) {
    offset[j] = nR;
    nR += L.q[j];
  }
  const offX = nR;
  if (REML) nR += p;
  let cap = REML ? p : 0;
  if (m > 0) {
    const nl0 = A.factors[0].nl;
    for (let b = 0; b < nl0; b++) {
      let c = REML ? p : 0;
      for (let i = 1; i < m; i++) c += (A.off[i][0].colptr[b + 1] - A.off[i][0].colptr[b]) * L.k[i];
      if (c > cap) cap = c;
    }
  }
  const k0 = m > 0 ? L.k[0] : 1;
  let kmax = 0;
  for (const f of A.factors) for (const t of f.terms) kmax = Math.max(kmax, t.k);
  // W is formed in R's array: potri reads the factor only before it writes the inverse.
  const R = new Float64Array(nR * nR);
  return {
    scalar: m > 0 && k0 === 1 ? scalarPattern(A, L, offset, offX, REML) : null,
    nR, offset, offX,
    R,
    W: R,
    X: new Float64Array(nR * nR),
    rows: new Int32Array(cap),
    vals: new Float64Array(cap * k0),
    prod: new Float64Array(cap * k0),
    inverseAt: null,
    lambdaCopy: null,
    inverseVersion: 0,
    vValid: false,
    scratch: null,
    G: Array.from({ length: m }, (_, j) => new Float64Array(L.k[j] * L.k[j])),
    u: Array.from({ length: m }, (_, j) => new Float64Array(L.q[j])),
    tinv: Array.from({ length: m }, (_, j) => new Float64Array(L.k[j] * L.k[j])),
    termT: new Float64Array(kmax * kmax),
    termInv: new Float64Array(kmax * kmax),
    zeroScalar: new Uint8Array(0),
  };
}

function scalarPattern(A: LmmBlocks, L: LFactor, offset: Int32Array, offX: number, REML: boolean): ScalarPattern {
  const m = L.m, nl = A.factors[0].nl, p = REML ? L.P - 1 : 0, dinv = new Float64Array(nl);
  const buffers = { dinv, kx: new Float64Array(p * nl), quad: new Float64Array(nl), quadVersion: -1, wx: new Float64Array(p * offX), kz: new Float64Array(p * offX) };
  if (m === 2 && L.k[1] === 1) {
    const S = A.off[1][0];
    return { kptr: S.colptr, krow: S.rowidx, kval: L.sp[1], gathered: false, tiles: pairTiles(S), ...buffers };
  }
  const kptr = new Int32Array(nl + 1);
  for (let b = 0; b < nl; b++) {
    let c = 0;
    for (let i = 1; i < m; i++) c += (A.off[i][0].colptr[b + 1] - A.off[i][0].colptr[b]) * L.k[i];
    kptr[b + 1] = kptr[b] + c;
  }
  const krow = new Int32Array(kptr[nl]);
  for (let b = 0; b < nl; b++) {
    let e = kptr[b];
    for (let i = 1; i < m; i++) {
      const S = A.off[i][0], ki = L.k[i];
      for (let x = S.colptr[b]; x < S.colptr[b + 1]; x++) for (let r = 0; r < ki; r++) krow[e++] = offset[i] + S.rowidx[x] * ki + r;
    }
  }
  return { kptr, krow, kval: new Float64Array(krow.length), gathered: true, tiles: pairTilesOf(nl, kptr, krow, offX), ...buffers };
}

/** Fills ws.scalar's kval, dinv and kx (ScalarPattern: K~ of the module comment, k_0 = 1) for the last updateL; returns sum over levels of 1 - 1 / d_l^2. */
export function scalarFirstBlockValues(ws: GradientWorkspace, L: LFactor, A: LmmBlocks, REML: boolean): number {
  const { kptr, kval, gathered, dinv, kx } = ws.scalar!, m = L.m, P = L.P, p = P - 1, nl = A.factors[0].nl;
  let sum = 0;
  for (let b = 0; b < nl; b++) {
    const inv = 1 / L.d0[b];
    dinv[b] = inv;
    sum += 1 - inv * inv;
    let e = kptr[b];
    for (let i = 1; i < m && gathered; i++) {
      const S = A.off[i][0], sp = L.sp[i], ki = L.k[i];
      for (let x = S.colptr[b] * ki; x < S.colptr[b + 1] * ki; x++) kval[e++] = sp[x];
    }
    if (REML) for (let t = 0; t < p; t++) kx[t + b * p] = L.xz[0][t + b * P] * inv;
  }
  return sum;
}

/** G_0 (1 x 1) for a scalar first block without the u u' part: the sum over levels of 1 - 1 / d_l^2 - K~_l' W K~_l (levelQuadratics.ts). */
function firstBlockGScalar(ws: GradientWorkspace, L: LFactor, A: LmmBlocks, REML: boolean, g: Float64Array): void {
  const sp = ws.scalar!, sum = scalarFirstBlockValues(ws, L, A, REML);
  levelQuadratics(sp, ws.W, ws.nR, ws.offX, REML ? L.P - 1 : 0, null, sp.quad);
  sp.quadVersion = ws.inverseVersion;
  let quad = 0;
  for (let l = 0; l < sp.quad.length; l++) quad += sp.quad[l];
  g[0] += sum - quad;
}

/**
 * Copies the trailing dense blocks of L into ws.R (nR x nR, lower): L_R, the factor
 * trailingInverse inverts when there are two or more later blocks (with one, it reads L's).
 */
export function assembleTrailing(ws: GradientWorkspace, L: LFactor, REML: boolean): void {
  const { R, nR, offset, offX } = ws, m = L.m, P = L.P, p = P - 1;
  for (let j = 1; j < m; j++) {
    const qj = L.q[j], oj = offset[j];
    for (let b = 0; b < qj; b++) {
      const col = (oj + b) * nR;
      const d = L.diag[j];
      for (let a = b; a < qj; a++) R[col + oj + a] = d[a + b * qj];
      for (let i = j + 1; i < m; i++) {
        const qi = L.q[i], oi = offset[i], dn = L.dn[i][j];
        for (let a = 0; a < qi; a++) R[col + oi + a] = dn[a + b * qi];
      }
      if (REML) for (let t = 0; t < p; t++) R[col + offX + t] = L.xz[j][t + b * P];
    }
  }
  if (REML) {
    for (let s = 0; s < p; s++) for (let t = s; t < p; t++) R[(offX + s) * nR + offX + t] = L.xx[t + s * P];
  }
}

/**
 * ws.W = (L_R L_R')^{-1}, lower triangle, for the L of the last updateL, made
 * at `lambda` (that update's Lambda blocks). L_R, the trailing factor of the Z and X
 * columns, depends on Lambda and on A's Z and X parts only (never on the response,
 * which a bootstrap replaces), so a W formed at the same Lambda blocks is kept: the
 * optimiser's last gradient, the conditional variances and Satterthwaite's derivatives
 * at the estimates then share one potri. With rows of X (REML) W is formed from
 * V = (D D')^{-1} of the random-effects part alone (inverseFromZBlock), which stays in
 * ws.X for the conditional variances. Returns whether W was formed anew.
 */
export function trailingInverse(ws: GradientWorkspace, L: LFactor, REML: boolean, lambda: Float64Array[]): boolean {
  if (ws.nR === 0) return false;
  const split = REML && ws.offX > 0 && ws.nR > ws.offX;
  if (ws.inverseAt !== null && sameBlocks(ws.inverseAt, lambda) && (!split || ws.vValid)) return false;
  ws.inverseAt = null;
  ws.vValid = false;
  ws.inverseVersion++;
  // With one later block its dense factor is D itself: read where it is, not copied into R first.
  const P = L.P;
  if (L.m === 2 && split) inverseFromZBlock(ws, { D: L.diag[1], ldD: ws.offX, B: L.xz[1], bOff: 0, ldB: P, LX: L.xx, lxOff: 0, ldLX: P });
  else if (L.m === 2 && ws.nR === L.q[1]) potriLower(ws.nR, L.diag[1], 0, ws.nR, ws.W, ws.X);
  else {
    assembleTrailing(ws, L, REML);
    const { R, nR, offX: q } = ws;
    if (split) inverseFromZBlock(ws, { D: R, ldD: nR, B: R, bOff: q, ldB: nR, LX: R, lxOff: q + q * nR, ldLX: nR });
    else potriLower(nR, R, 0, nR, ws.W, ws.X);
  }
  ws.vValid = split;
  ws.inverseAt = copyBlocks(lambda, ws.lambdaCopy);
  ws.lambdaCopy = ws.inverseAt;
  return true;
}

/**
 * W = (L_T L_T')^{-1} into R's array for REML's trailing factor L_T = [D 0; B L_X] (D the
 * q_R random-effects columns, B and L_X the p rows of X), by way of V = (D D')^{-1} (potri
 * of order q_R, into ws.X with leading dimension q_R, where it stays):
 *
 *   N = L_X^{-1} B D^{-1}  (p x q_R),
 *   W_ZZ = V + N'N,   W_XZ = -L_X^{-T} N,   W_XX = L_X^{-T} L_X^{-1}.
 *
 * W_ZZ is a sum of positive semi-definite parts; V taken back out of a W formed whole
 * (W_ZZ - W_ZX W_XX^{-1} W_XZ) loses the digits that the fixed effects' conditioning
 * takes (8 with a covariate nearly constant within a factor's levels), so the
 * conditional variances would need a second potri.
 */
function inverseFromZBlock(ws: GradientWorkspace, f: TrailingFactor): void {
  const { R, X, nR, offX: q } = ws, p = nR - q;
  const scratch = denseWasm(q) !== null ? X : (ws.scratch !== null && ws.scratch.length >= q * q ? ws.scratch : (ws.scratch = new Float64Array(q * q)));
  potriLower(q, f.D, 0, f.ldD, X, scratch);
  // N's rows: b_t' D^{-1} (D'z = b_t by back substitution), then L_X^{-1} on the left.
  const N = new Float64Array(p * q);
  if (p === 2) solveUpperRowPair(f, q, N);
  else for (let t = 0; t < p; t++) solveUpperRow(f, q, t, N);
  const lx = new Float64Array(p * p), linv = new Float64Array(p * p);
  for (let c = 0; c < p; c++) for (let r = c; r < p; r++) lx[r + c * p] = f.LX[f.lxOff + r + c * f.ldLX];
  for (let t = 0; t < p; t++) {
    const o = t * q;
    for (let s = 0; s < t; s++) {
      const l = lx[t + s * p];
      if (l !== 0) for (let c = 0; c < q; c++) N[o + c] -= l * N[s * q + c];
    }
    const d = lx[t + t * p];
    for (let c = 0; c < q; c++) N[o + c] /= d;
  }
  invertLower(p, lx, 0, linv);
  fillZColumns(R, X, nR, q, p, N, linv);
  // W_XX[s, t] = sum_{x >= s} linv[x, s] linv[x, t]  (s >= t).
  for (let t = 0; t < p; t++) {
    for (let s = t; s < p; s++) {
      let acc = 0;
      for (let x = s; x < p; x++) acc += linv[x + s * p] * linv[x + t * p];
      R[q + s + (q + t) * nR] = acc;
    }
  }
}

/**
 * Where inverseFromZBlock reads L_T = [D 0; B L_X]: D[k, i] at D[k + i ldD] (lower), B[t, c] at
 * B[bOff + t + c ldB], L_X[r, c] at LX[lxOff + r + c ldLX] (lower): R's blocks once
 * assembleTrailing has copied them there, or L's own (one later block: L.diag[1], L.xz[1], L.xx).
 */
interface TrailingFactor {
  D: Float64Array;
  ldD: number;
  B: Float64Array;
  bOff: number;
  ldB: number;
  LX: Float64Array;
  lxOff: number;
  ldLX: number;
}

/**
 * Row t of N (length q, at N[t q]) = b_t' D^{-1}: D'z = b_t by back substitution, b_t row t of
 * B, D the q x q lower triangle (columns contiguous). The
 * loops of inverseFromZBlock sit in functions of their own, each optimised by V8 with its
 * type feedback complete (in one function the later loops deoptimised it on every call).
 */
function solveUpperRow(f: TrailingFactor, q: number, t: number, N: Float64Array): void {
  const { D, ldD, B, bOff, ldB } = f, o = t * q;
  for (let c = 0; c < q; c++) N[o + c] = B[bOff + t + c * ldB];
  for (let i = q - 1; i >= 0; i--) {
    const col = i * ldD;
    let s = N[o + i];
    for (let k = i + 1; k < q; k++) s -= D[col + k] * N[o + k];
    N[o + i] = s / D[col + i];
  }
}

/**
 * solveUpperRow for rows 0 and 1 at once (two fixed effects, the commonest case), in one pass
 * over D instead of two (it is read from memory: 16 MB for q = 2000); each row's operations
 * are those of solveUpperRow, in the same order.
 */
function solveUpperRowPair(f: TrailingFactor, q: number, N: Float64Array): void {
  const { D, ldD, B, bOff, ldB } = f;
  for (let c = 0; c < q; c++) {
    N[c] = B[bOff + c * ldB];
    N[q + c] = B[bOff + 1 + c * ldB];
  }
  for (let i = q - 1; i >= 0; i--) {
    const col = i * ldD;
    let s0 = N[i], s1 = N[q + i];
    for (let k = i + 1; k < q; k++) {
      const d = D[col + k];
      s0 -= d * N[k];
      s1 -= d * N[q + k];
    }
    N[i] = s0 / D[col + i];
    N[q + i] = s1 / D[col + i];
  }
}

/** W_ZZ = V + N'N (V in X, leading dimension q) and W_XZ = -L_X^{-T} N into R's first q columns (inverseFromZBlock). */
function fillZColumns(R: Float64Array, X: Float64Array, nR: number, q: number, p: number, N: Float64Array, linv: Float64Array): void {
  const nc = new Float64Array(p);
  for (let c = 0; c < q; c++) {
    for (let t = 0; t < p; t++) nc[t] = N[t * q + c];
    const col = c * nR, vcol = c * q;
    for (let r = c; r < q; r++) {
      let s = X[vcol + r];
      for (let t = 0; t < p; t++) s += N[t * q + r] * nc[t];
      R[col + r] = s;
    }
    // W_XZ[t, c] = -sum_{s >= t} linv[s, t] N[s, c].
    for (let t = 0; t < p; t++) {
      let s = 0;
      for (let x = t; x < p; x++) s += linv[x + t * p] * nc[x];
      R[col + q + t] = -s;
    }
  }
}

/** A copy of the blocks, into `into` when it has their shapes. */
function copyBlocks(blocks: Float64Array[], into: Float64Array[] | null): Float64Array[] {
  if (into === null || into.length !== blocks.length || into.some((b, j) => b.length !== blocks[j].length)) return blocks.map((b) => b.slice());
  for (let j = 0; j < blocks.length; j++) into[j].set(blocks[j]);
  return into;
}

/** Marks ws.W as no longer holding the trailing inverse (its array is about to be used as scratch). */
export function invalidateInverse(ws: GradientWorkspace): void {
  ws.inverseAt = null;
  ws.inverseVersion++;
  ws.vValid = false;
}

/** Marks ws.X as no longer holding V (its array is about to be used as scratch); W stays. */
export function invalidateV(ws: GradientWorkspace): void {
  ws.vValid = false;
}

function sameBlocks(a: Float64Array[], b: Float64Array[]): boolean {
  if (a.length !== b.length) return false;
  for (let j = 0; j < a.length; j++) {
    const x = a[j], y = b[j];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}

/** Inverse of the k x k lower triangle at t[off] (column-major) into out; false if a pivot is 0. */
export function invertLower(k: number, t: Float64Array, off: number, out: Float64Array): boolean {
  out.fill(0, 0, k * k);
  for (let c = 0; c < k; c++) {
    const d = t[off + c + c * k];
    if (d === 0) return false;
    out[c + c * k] = 1 / d;
    for (let r = c + 1; r < k; r++) {
      let s = 0;
      for (let x = c; x < r; x++) s += t[off + r + x * k] * out[x + c * k];
      out[r + c * k] = -s / t[off + r + r * k];
    }
  }
  return true;
}

/** G += I - D^{-T} (I + Q) D^{-1} for the k x k lower D at d0[off]; Q (k x k) is overwritten. */
function addFirstBlockLevel(k: number, d0: Float64Array, off: number, q: Float64Array, dinv: Float64Array, g: Float64Array): void {
  if (k === 1) {
    const d = d0[off];
    g[0] += 1 - (1 + q[0]) / (d * d);
    return;
  }
  invertLower(k, d0, off, dinv);
  for (let c = 0; c < k; c++) q[c + c * k] += 1;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let x = a; x < k; x++) for (let y = b; y < k; y++) s += dinv[x + a * k] * q[x + y * k] * dinv[y + b * k];
      g[a + b * k] += (a === b ? 1 : 0) - s;
    }
  }
}

/**
 * Gathers K_l, the columns of L_R0 for level b of block 0, into ws.rows (their
 * rows in R's numbering) and ws.vals (nz x k_0, row-major); returns nz.
 */
export function gatherFirstBlockLevel(ws: GradientWorkspace, L: LFactor, A: LmmBlocks, REML: boolean, b: number): number {
  const { rows, vals, offset, offX } = ws, m = L.m, P = L.P, p = P - 1, k0 = L.k[0];
  let nz = 0;
  for (let i = 1; i < m; i++) {
    const S = A.off[i][0], ki = S.kRow, size = ki * k0, sp = L.sp[i];
    for (let e = S.colptr[b]; e < S.colptr[b + 1]; e++) {
      const base = offset[i] + S.rowidx[e] * ki;
      for (let x = 0; x < ki; x++, nz++) {
        rows[nz] = base + x;
        for (let t = 0; t < k0; t++) vals[nz * k0 + t] = sp[e * size + x + t * ki];
      }
    }
  }
  if (REML) {
    for (let s = 0; s < p; s++, nz++) {
      rows[nz] = offX + s;
      for (let t = 0; t < k0; t++) vals[nz * k0 + t] = L.xz[0][s + (b * k0 + t) * P];
    }
  }
  return nz;
}

/** G_0 without the u u' part: sum over levels of block 0 of I - B_l. */
function firstBlockG(ws: GradientWorkspace, L: LFactor, A: LmmBlocks, REML: boolean, g: Float64Array): void {
  const { W, nR, rows, vals, prod } = ws;
  const k0 = L.k[0], kk = k0 * k0, nl = A.factors[0].nl;
  if (k0 === 2) {
    firstBlockG2(ws, L, A, REML, g);
    return;
  }
  const q = new Float64Array(kk), dinv = new Float64Array(kk);
  for (let b = 0; b < nl; b++) {
    const nz = gatherFirstBlockLevel(ws, L, A, REML, b);
    // prod = W K (restricted to the gathered rows), then Q = K' prod.
    for (let e = 0; e < nz; e++) {
      const re = rows[e];
      for (let t = 0; t < k0; t++) prod[e * k0 + t] = 0;
      for (let f = 0; f < nz; f++) {
        const rf = rows[f];
        const w = re >= rf ? W[re + rf * nR] : W[rf + re * nR];
        for (let t = 0; t < k0; t++) prod[e * k0 + t] += w * vals[f * k0 + t];
      }
    }
    for (let a = 0; a < k0; a++) {
      for (let c = 0; c < k0; c++) {
        let s = 0;
        for (let e = 0; e < nz; e++) s += vals[e * k0 + a] * prod[e * k0 + c];
        q[a + c * k0] = s;
      }
    }
    addFirstBlockLevel(k0, L.d0, b * kk, q, dinv, g);
  }
}

/**
 * firstBlockG for k_0 = 2, its small loops written out: per level Q = K'W K
 * (2 x 2) and G += I - D^{-T} (I + Q) D^{-1}, with the operations of the
 * general path in the same order (the same bits).
 */
function firstBlockG2(ws: GradientWorkspace, L: LFactor, A: LmmBlocks, REML: boolean, g: Float64Array): void {
  const { W, nR, rows, vals } = ws, d0 = L.d0, nl = A.factors[0].nl;
  let g00 = g[0], g10 = g[1], g01 = g[2], g11 = g[3];
  for (let b = 0; b < nl; b++) {
    const nz = gatherFirstBlockLevel(ws, L, A, REML, b);
    let q00 = 0, q10 = 0, q01 = 0, q11 = 0;
    for (let e = 0; e < nz; e++) {
      const re = rows[e];
      let p0 = 0, p1 = 0;
      for (let f = 0; f < nz; f++) {
        const rf = rows[f];
        const w = re >= rf ? W[re + rf * nR] : W[rf + re * nR];
        p0 += w * vals[f * 2];
        p1 += w * vals[f * 2 + 1];
      }
      const v0 = vals[e * 2], v1 = vals[e * 2 + 1];
      q00 += v0 * p0;
      q10 += v1 * p0;
      q01 += v0 * p1;
      q11 += v1 * p1;
    }
    // D^{-1} of the level's lower 2 x 2 block (invertLower), then G's update (addFirstBlockLevel).
    const o = 4 * b, i00 = 1 / d0[o], i10 = -(d0[o + 1] * i00) / d0[o + 3], i11 = 1 / d0[o + 3];
    q00 += 1;
    q11 += 1;
    g00 += 1 - (i00 * q00 * i00 + i00 * q01 * i10 + i10 * q10 * i00 + i10 * q11 * i10);
    g10 += 0 - (i11 * q10 * i00 + i11 * q11 * i10);
    g01 += 0 - (i00 * q01 * i11 + i10 * q11 * i11);
    g11 += 1 - i11 * q11 * i11;
    // Stored as the loop goes (not once after it): V8 compiles this function on the stack inside
    // the loop, and stores it had never run would deoptimise it at the loop's end on every call.
    g[0] = g00;
    g[1] = g10;
    g[2] = g01;
    g[3] = g11;
  }
}

/** G_j without the u u' part for j >= 1: sum over levels of I - W's diagonal blocks. */
function laterBlockG(ws: GradientWorkspace, L: LFactor, j: number, g: Float64Array): void {
  const { W, nR } = ws, k = L.k[j], nl = L.q[j] / k, o = ws.offset[j];
  for (let l = 0; l < nl; l++) {
    for (let b = 0; b < k; b++) {
      for (let a = 0; a < k; a++) {
        const r = o + l * k + a, c = o + l * k + b;
        const w = r >= c ? W[r + c * nR] : W[c + r * nR];
        g[a + b * k] += (a === b ? 1 : 0) - w;
      }
    }
  }
}

/**
 * Fills `grad` with df/dtheta at the theta of the last updateL (L, lambda).
 * Returns false (grad undefined) when a vector-valued term's triangle has a
 * zero on its diagonal. `n`: observations; `p`: fixed effects.
 */
export function lmmGradient(
  ws: GradientWorkspace, L: LFactor, A: LmmBlocks, lambda: Float64Array[], map: LambdaMap,
  n: number, REML: boolean, grad: Float64Array,
): boolean {
  const m = L.m, P = L.P, p = P - 1;
  const r = L.xx[p * (P + 1)];
  const kappa = (REML ? n - p : n) / (r * r);
  trailingInverse(ws, L, REML, lambda);
  const u = sphericalEffects(L, A, ws.u).u;
  const G = ws.G;
  for (let j = 0; j < m; j++) {
    G[j].fill(0);
    if (j === 0 && ws.scalar) firstBlockGScalar(ws, L, A, REML, G[0]);
    else if (j === 0) firstBlockG(ws, L, A, REML, G[0]);
    else laterBlockG(ws, L, j, G[j]);
    const k = L.k[j], g = G[j], uj = u[j];
    for (let o = 0; o < uj.length; o += k) {
      for (let b = 0; b < k; b++) for (let a = 0; a < k; a++) g[a + b * k] -= kappa * uj[o + a] * uj[o + b];
    }
  }
  return thetaGradient(ws, A, lambda, map, G, grad);
}

/** grad_t = 2 (G_j T_j^{-1})[c, r], T_j^{-1} taken term by term (block diagonal). */
function thetaGradient(ws: GradientWorkspace, A: LmmBlocks, lambda: Float64Array[], map: LambdaMap, G: Float64Array[], grad: Float64Array): boolean {
  if (ws.zeroScalar.length !== map.ntheta) ws.zeroScalar = new Uint8Array(map.ntheta);
  const { tinv, termT: sub, termInv: inv, zeroScalar } = ws;
  zeroScalar.fill(0);
  for (let j = 0; j < A.factors.length; j++) {
    const f = A.factors[j], k = f.k;
    tinv[j].fill(0);
    for (const term of f.terms) {
      const kt = term.k;
      for (let c = 0; c < kt; c++) for (let r = 0; r < kt; r++) sub[r + c * kt] = lambda[j][term.offset + r + (term.offset + c) * k];
      if (!invertLower(kt, sub, 0, inv)) {
        if (kt !== 1) return false;
        zeroScalar[map.index[j][term.offset * (k + 1)]] = 1;
        continue;
      }
      for (let c = 0; c < kt; c++) for (let r = 0; r < kt; r++) tinv[j][term.offset + r + (term.offset + c) * k] = inv[r + c * kt];
    }
  }
  for (let t = 0; t < map.ntheta; t++) {
    if (zeroScalar[t] === 1) {
      grad[t] = 0;
      continue;
    }
    const { block: j, row: r, col: c } = map.where[t];
    const k = A.factors[j].k, g = G[j], ti = tinv[j];
    let s = 0;
    for (let x = 0; x < k; x++) s += g[c + x * k] * ti[x + r * k];
    grad[t] = 2 * s;
  }
  return true;
}
