// Dense Cholesky and inverse of an n x n matrix held in the module's memory (column-major,
// leading dimension n), for src/linalg/denseWasm.ts. Blocked as LAPACK's dpotrf / dpotri
// (uplo = 'L'); the rank-k products run in tile.ts's 4 x 4 SIMD tile, updating C in place.
//
//   potrf:  A = L L', right-looking: per NB columns the diagonal block (potf2), the panel
//           below it (B <- B L_kk^{-T}), then the trailing lower triangle C -= P P'.
//   invLowerTrans:  X = L^{-T} (upper), solving X L' = I by NBI-column blocks J:
//           X[:, J] L_JJ' = I[:, J] - X[:, 0:J] L[J, 0:J]',
//           in place: X fills the upper triangle and diagonal while L's strict lower
//           triangle below the current block is still read (L_JJ is first copied to T).
//   potri:  W = (L L')^{-1} = X X' on the lower triangle, by KB-column blocks K of X
//           (rows 0 .. k0 + kb only, X being upper triangular), with X's diagonal kept in D
//           while W overwrites the lower triangle.
//
// ws is a workspace of workspace(n) doubles: PA (MC x KC), PB (n rounded up to 4, times the
// deepest panel), T (the larger of NB and NBI, squared), D (n), and 16 doubles for partial tiles.

import { FULL, UPPER, UPPER_D, pack, gemmPacked, syrkPacked } from './tile';

// Block sizes, by measurement (bench/lmm-kernels.ts, n = 1128 and 2000, AMD EPYC): within a few
// per cent of each other for NB, NBI in {32, 64, 96, 128}, KB in {64, 128, 256}, MC in {64, 128, 256},
// KC in {128, 256}; KC = 512 is slower. NB: potrf's panel; NBI: invLowerTrans's block column;
// KB: potri's block column of X; MC x KC: the block of A kept in cache by the products.
const NB: i32 = 64;
const NBI: i32 = 64;
const KB: i32 = 128;
const MC: i32 = 128;
const KC: i32 = 128;
const DEPTH: i32 = max(max(NB, KB), KC);
const NT: i32 = max(NB, NBI);

function pad4(n: i32): i32 {
  return (n + 3) & ~3;
}

/** Doubles of workspace the kernels need for an n x n matrix. */
export function workspace(n: i32): i32 {
  return MC * KC + pad4(n) * DEPTH + NT * NT + pad4(n) + 16;
}

function offPB(ws: usize): usize {
  return ws + (<usize>(MC * KC) << 3);
}
function offT(ws: usize, n: i32): usize {
  return offPB(ws) + (<usize>(pad4(n) * DEPTH) << 3);
}
function offD(ws: usize, n: i32): usize {
  return offT(ws, n) + (<usize>(NT * NT) << 3);
}
function offS(ws: usize, n: i32): usize {
  return offD(ws, n) + (<usize>pad4(n) << 3);
}

/** Address of element [i, j] of the n x n matrix at a. */
function at(a: usize, n: i32, i: i32, j: i32): usize {
  return a + ((<usize>i + <usize>j * <usize>n) << 3);
}

/** y[0 .. m) -= f x[0 .. m). */
function axpySub(m: i32, f: f64, x: usize, y: usize): void {
  const ff = f64x2.splat(f);
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const o = <usize>i << 3;
    v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.mul(v128.load(x + o), ff)));
  }
  if (i < m) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) - load<f64>(x + o) * f);
  }
}

/** Unblocked left-looking Cholesky of the n x n block at a (leading dimension lda); 0 or j + 1 at a bad pivot. */
function potf2(n: i32, a: usize, lda: i32): i32 {
  const ld = <usize>lda << 3;
  for (let j = 0; j < n; j++) {
    const cj = a + <usize>j * ld;
    const jj = cj + (<usize>j << 3);
    for (let c = 0; c < j; c++) {
      const cc = a + <usize>c * ld + (<usize>j << 3);
      const f = load<f64>(cc);
      if (f != 0) axpySub(n - j, f, cc, jj);
    }
    const d = load<f64>(jj);
    if (!(d > 0)) return j + 1;
    const s = sqrt(d);
    store<f64>(jj, s);
    const inv = 1 / s;
    for (let i = j + 1; i < n; i++) {
      const o = cj + (<usize>i << 3);
      store<f64>(o, load<f64>(o) * inv);
    }
  }
  return 0;
}

/** T[j nb + c] = L[j, c] for c <= j: the nb x nb lower block at l (leading dimension n) by rows. */
function lowerByRows(nb: i32, l: usize, n: i32, t: usize): void {
  for (let c = 0; c < nb; c++) {
    for (let j = c; j < nb; j++) store<f64>(t + (<usize>(j * nb + c) << 3), load<f64>(l + ((<usize>j + <usize>c * <usize>n) << 3)));
  }
}

/**
 * B <- B L^{-T} (B m x nb at b, leading dimension ldb; L nb x nb lower, by rows in t):
 * column j of the solution is (b_j - sum_{c<j} x_c L[j, c]) / L[j, j], eight rows at a time
 * (four independent f64x2 chains), then two, then one.
 */
function trsmRightLowerTrans(m: i32, nb: i32, t: usize, b: usize, ldb: i32): void {
  const lb = <usize>ldb << 3;
  let i = 0;
  for (; i + 8 <= m; i += 8) {
    const bi = b + (<usize>i << 3);
    for (let j = 0; j < nb; j++) {
      const lj = t + (<usize>(j * nb) << 3);
      const bj = bi + <usize>j * lb;
      let x0 = v128.load(bj), x1 = v128.load(bj, 16), x2 = v128.load(bj, 32), x3 = v128.load(bj, 48);
      let bc = bi;
      for (let c = 0; c < j; c++) {
        const f = v128.load64_splat(lj + (<usize>c << 3));
        x0 = f64x2.sub(x0, f64x2.mul(v128.load(bc), f));
        x1 = f64x2.sub(x1, f64x2.mul(v128.load(bc, 16), f));
        x2 = f64x2.sub(x2, f64x2.mul(v128.load(bc, 32), f));
        x3 = f64x2.sub(x3, f64x2.mul(v128.load(bc, 48), f));
        bc += lb;
      }
      const inv = f64x2.splat(1 / load<f64>(lj + (<usize>j << 3)));
      v128.store(bj, f64x2.mul(x0, inv));
      v128.store(bj, f64x2.mul(x1, inv), 16);
      v128.store(bj, f64x2.mul(x2, inv), 32);
      v128.store(bj, f64x2.mul(x3, inv), 48);
    }
  }
  for (; i + 2 <= m; i += 2) {
    const bi = b + (<usize>i << 3);
    for (let j = 0; j < nb; j++) {
      const lj = t + (<usize>(j * nb) << 3);
      const bj = bi + <usize>j * lb;
      let x = v128.load(bj);
      let bc = bi;
      for (let c = 0; c < j; c++) {
        x = f64x2.sub(x, f64x2.mul(v128.load(bc), v128.load64_splat(lj + (<usize>c << 3))));
        bc += lb;
      }
      v128.store(bj, f64x2.mul(x, f64x2.splat(1 / load<f64>(lj + (<usize>j << 3)))));
    }
  }
  if (i < m) {
    const bi = b + (<usize>i << 3);
    for (let j = 0; j < nb; j++) {
      const lj = t + (<usize>(j * nb) << 3);
      let x = load<f64>(bi + <usize>j * lb);
      for (let c = 0; c < j; c++) x -= load<f64>(bi + <usize>c * lb) * load<f64>(lj + (<usize>c << 3));
      store<f64>(bi + <usize>j * lb, x * (1 / load<f64>(lj + (<usize>j << 3))));
    }
  }
}

/** In-place lower Cholesky of the n x n matrix at a; 0, or j + 1 when the pivot of column j is not positive. */
export function potrf(n: i32, a: usize, ws: usize): i32 {
  const pb = offPB(ws), t = offT(ws, n), s = offS(ws, n);
  for (let k0 = 0; k0 < n; k0 += NB) {
    const kb = min(NB, n - k0);
    const diag = at(a, n, k0, k0);
    const info = potf2(kb, diag, n);
    if (info != 0) return info + k0;
    const m = n - k0 - kb;
    if (m == 0) break;
    lowerByRows(kb, diag, n, t);
    trsmRightLowerTrans(m, kb, t, diag + (<usize>kb << 3), n);
    pack(a, n, k0 + kb, m, k0, kb, FULL, 0, pb);
    syrkPacked(m, kb, pb, at(a, n, k0 + kb, k0 + kb), n, MC, s);
  }
  return 0;
}

/**
 * X = L^{-T} in place for L lower (n x n at a, non-zero diagonal): on return X's upper
 * triangle and diagonal are in a; below the diagonal, the diagonal blocks hold zeros and
 * the rest still L.
 */
export function invLowerTrans(n: i32, a: usize, ws: usize): void {
  const pa = ws, pb = offPB(ws), t = offT(ws, n), s = offS(ws, n);
  for (let j0 = 0; j0 < n; j0 += NBI) {
    const jb = min(NBI, n - j0);
    lowerByRows(jb, at(a, n, j0, j0), n, t);
    for (let c = j0; c < j0 + jb; c++) {
      memory.fill(at(a, n, 0, c), 0, <usize>(j0 + jb) << 3);
      store<f64>(at(a, n, c, c), 1.0);
    }
    for (let l0 = 0; l0 < j0; l0 += KC) {
      const kc = min(KC, j0 - l0);
      pack(a, n, j0, jb, l0, kc, FULL, 0, pb);
      // X[r, l] = 0 for r > l: only rows before l0 + kc meet this depth range.
      const rEnd = min(j0, l0 + kc);
      for (let r0 = 0; r0 < rEnd; r0 += MC) {
        const mc = min(MC, rEnd - r0);
        pack(a, n, r0, mc, l0, kc, UPPER, 0, pa);
        gemmPacked(mc, jb, kc, pa, pb, at(a, n, r0, j0), n, s);
      }
    }
    trsmRightLowerTrans(j0 + jb, jb, t, at(a, n, 0, j0), n);
  }
}

/** The lower triangle of (L L')^{-1} in place of L (n x n at a); the strict upper triangle is left as scratch. */
export function potri(n: i32, a: usize, ws: usize): void {
  invLowerTrans(n, a, ws);
  const pb = offPB(ws), d = offD(ws, n), s = offS(ws, n);
  for (let c = 0; c < n; c++) {
    store<f64>(d + (<usize>c << 3), load<f64>(at(a, n, c, c)));
    memory.fill(at(a, n, c, c), 0, <usize>(n - c) << 3);
  }
  // -W accumulates as C -= X[:, K] X[:, K]'.
  for (let k0 = 0; k0 < n; k0 += KB) {
    const kb = min(KB, n - k0);
    pack(a, n, 0, k0 + kb, k0, kb, UPPER_D, d, pb);
    syrkPacked(k0 + kb, kb, pb, a, n, MC, s);
  }
  const minus = f64x2.splat(-1.0);
  for (let c = 0; c < n; c++) {
    const cc = at(a, n, c, c);
    const m = n - c;
    let i = 0;
    for (; i + 2 <= m; i += 2) v128.store(cc + (<usize>i << 3), f64x2.mul(v128.load(cc + (<usize>i << 3)), minus));
    if (i < m) store<f64>(cc + (<usize>i << 3), -load<f64>(cc + (<usize>i << 3)));
  }
}
