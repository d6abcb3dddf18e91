import { quadraticsWasm, squareAddWasm } from '../linalg/pairSumsWasm.js';
import type { ScalarPattern } from './gradient.js';

/**
 * q[l] = K~_l' W K~_l for every level l of a scalar first block, K~ = L_R0 D^{-1}
 * (gradient.ts ScalarPattern, its values filled by scalarFirstBlockValues): the Z
 * part of K~_l (kval[e] dinv[l] at rows krow[e]) and, for p > 0, its X part
 * (kx[l p + t] at rows offX + t). W is ld x ld, its lower triangle read. With K
 * (ld x ld), also K += sum_l K~_l K~_l' (lower triangle), in the same pass.
 *
 * The gradient (the sum of q), the exact second derivatives (the sums of q and
 * of q_l / d_l^2, and K) and the conditional variances (q itself) take their
 * first-block terms from here. The pairs of Z entries walk the pattern's row
 * tiles (pairTiles.ts); the X part reads W's rows of X through a compact copy
 * (p numbers per Z row), so that the entries of a level do not each open
 * another column of W. The walks of the Z rows (K's, then q's) run in the WebAssembly
 * module where it takes the order (pairSumsWasm.ts: the same walks and bits).
 */
export function levelQuadratics(
  sp: ScalarPattern, W: Float64Array, ld: number, offX: number, p: number, K: Float64Array | null, q: Float64Array, qHeld = false,
): void {
  const { krow, kval, dinv, tiles } = sp, { count, pos } = tiles, stride = count + 1, nl = dinv.length;
  // q already holds these quadratic forms (qHeld: the gradient's, at the same W and L): K alone.
  if (qHeld && K !== null && squareAddWasm(offX, K, ld, tiles, krow, kval, dinv)) {
    if (p > 0) xPart(sp, W, ld, offX, p, K, null);
    return;
  }
  // K's Z part in the module where it takes the order, then q there too; what the module
  // did not do, the walk below does (KZ: K where the module did not form its Z part).
  const KZ = K !== null && squareAddWasm(offX, K, ld, tiles, krow, kval, dinv) ? null : K;
  if (KZ === null && quadraticsWasm(offX, W, ld, tiles, krow, kval, dinv, q)) {
    if (p > 0) xPart(sp, W, ld, offX, p, K, q);
    return;
  }
  q.fill(0);
  for (let J = 0; J < count; J++) {
    for (let I = J; I < count; I++) {
      const diag = I === J;
      for (let l = 0, o = 0; l < nl; l++, o += stride) {
        const j0 = pos[o + J], j1 = pos[o + J + 1];
        if (j0 === j1) continue;
        const i0 = pos[o + I], i1 = pos[o + I + 1];
        if (!diag && i0 === i1) continue;
        const d2 = dinv[l] * dinv[l];
        let acc = 0;
        for (let f = j0; f < j1; f++) {
          const col = krow[f] * ld, kf = kval[f];
          let v = 0;
          if (KZ === null) {
            for (let e = diag ? f + 1 : i0; e < i1; e++) v += W[col + krow[e]] * kval[e];
          } else {
            const kd = kf * d2;
            if (diag) KZ[col + krow[f]] += kd * kf;
            for (let e = diag ? f + 1 : i0; e < i1; e++) {
              const at = col + krow[e], ke = kval[e];
              v += W[at] * ke;
              KZ[at] += kd * ke;
            }
          }
          acc += kf * (diag ? 2 * v + W[col + krow[f]] * kf : 2 * v);
        }
        q[l] += acc * d2;
      }
    }
  }
  if (p > 0) xPart(sp, W, ld, offX, p, K, q);
}

/** The terms of q (unless q is null) and K (unless null) with the X rows of K~ (levelQuadratics). */
function xPart(sp: ScalarPattern, W: Float64Array, ld: number, offX: number, p: number, K: Float64Array | null, q: Float64Array | null): void {
  const { kptr, krow, kval, dinv, kx, wx, kz } = sp, nl = dinv.length;
  for (let r = 0; r < offX; r++) for (let t = 0; t < p; t++) wx[t + r * p] = W[offX + t + r * ld];
  if (K !== null) kz.fill(0);
  const wxx = new Float64Array(p * p), kxx = new Float64Array(p * p);
  for (let t = 0; t < p; t++) for (let s = t; s < p; s++) wxx[s + t * p] = W[offX + s + (offX + t) * ld];
  for (let l = 0; l < nl; l++) {
    const o = l * p, d = dinv[l];
    let zx = 0;
    for (let f = kptr[l]; f < kptr[l + 1]; f++) {
      const r = krow[f] * p, kf = kval[f];
      if (q !== null) {
        let v = 0;
        for (let t = 0; t < p; t++) v += wx[r + t] * kx[o + t];
        zx += kf * v;
      }
      if (K !== null) for (let t = 0; t < p; t++) kz[r + t] += kf * d * kx[o + t];
    }
    let xx = 0;
    for (let t = 0; t < p; t++) {
      const xt = kx[o + t];
      if (q !== null) {
        let v = 0;
        for (let s = t + 1; s < p; s++) v += wxx[s + t * p] * kx[o + s];
        xx += xt * (2 * v + wxx[t * (p + 1)] * xt);
      }
      if (K !== null) for (let s = t; s < p; s++) kxx[s + t * p] += kx[o + s] * xt;
    }
    if (q !== null) q[l] += 2 * d * zx + xx;
  }
  if (K === null) return;
  for (let r = 0; r < offX; r++) for (let t = 0; t < p; t++) K[offX + t + r * ld] += kz[t + r * p];
  for (let t = 0; t < p; t++) for (let s = t; s < p; s++) K[offX + s + (offX + t) * ld] += kxx[s + t * p];
}
