// Dense Cholesky and inverse of an n x n symmetric matrix held in the module's memory by its
// lower triangle in block columns (blockColumns.ts), for src/linalg/denseWasm.ts. Blocked as
// LAPACK's dpotrf / dpotri (uplo = 'L'); the rank-k products run in tile.ts's 4 x 4 SIMD tile,
// updating C in place.
//
//   potrf:  A = L L', right-looking: per NB columns the diagonal block (potf2), the panel
//           below it (B <- B L_kk^{-T}), then the trailing lower triangle C -= P P'.
//   trtri:  Y = L^{-1} in place, by block rows J of JB rows (dtrtri's order reversed, so that
//           each block row needs only those above it, already inverted):
//             Y[J, 0:J] = -Y_JJ (L[J, 0:J] Y[0:J, 0:J]),   Y_JJ = L_JJ^{-1},
//           Y_JJ by the same recurrence with block rows of NB, and trti2 on their diagonal blocks.
//   potri:  W = (L L')^{-1} = Y' Y on the lower triangle in place (dlauum), by KB-row blocks
//           K of Y in increasing order: W[0:K+, 0:K+] += Y[K, 0:K+]' Y[K, 0:K+], rows K of the
//           storage zeroed once packed (the rows above hold W so far, those below are still Y).
//
// ws is a workspace of workspace(n) doubles after the storage: PK (n rounded up to 4, times
// the deepest panel), PS (JB x KC), T (NB x NB), TA (JB x n), and 16 doubles per thread for
// partial tiles, then 16 for the products' row-block counter.

import { NB, colAt, ldOf, storage } from './blockColumns';
import { FULL, LOWER, NO_BAND, pack, packT, productPart } from './tile';

// A helper thread (src/linalg/denseHelper.ts) may share the larger products and panel solves:
// spawn(op, ...) hands it part 1 of 2 of the operation and returns 2, or returns 1 when there is
// no helper (then this thread does it all); join() returns once the helper's part is done, with
// 0, or with 1 when the helper failed and this thread must do that part too. The parts are
// disjoint tiles or rows computed exactly as one thread computes them, so the results are the
// same to the bit with or without the helper.
@external("env", "spawn")
declare function spawn(op: i32, m: i32, n: i32, kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, bc: i32, i0: i32, j0: i32, lower: i32, band: i32, mc: i32, scratch: usize): i32;
@external("env", "join")
declare function join(): i32;

/** The parts an operation is cut into when the helper takes one (this thread the first). */
const HELPER_PARTS = 2;
/** spawn()'s operations: productPart, trsmPart, packSymPart. */
const OP_PRODUCT = 1;
const OP_TRSM = 2;
const OP_PACKSYM = 6;
/**
 * Below this many multiply-adds an operation stays in one thread: waking the helper costs tens
 * of microseconds (bench/dense-threads.ts: with 2^18, potrf of order 128 took 0.63 ms against
 * 0.07 ms alone; with 2^21 orders up to 256 run alone and 512 to 2000 gain 1.2 to 1.6 times).
 */
const PARALLEL_MIN: i64 = 1 << 21;
/**
 * Doubles of a packSym copy from which it is shared (symmProduct, order 2000: W is packed whole
 * for every panel of B, about a fifth of the product's time on one thread).
 */
const PACK_MIN: i64 = 1 << 16;

export { storage, column } from './blockColumns';

// Block sizes, by measurement (bench/lmm-kernels.ts, n = 1128 and 2000, AMD EPYC): with full
// storage, NB in {32, 64, 96, 128}, KB in {64, 128, 256}, MC in {64, 128, 256}, KC in
// {128, 256} came within a few per cent of each other; KC = 512 was slower. With the block-column
// storage, KB in {64, 128, 256} and KC in {128, 256} again within a few per cent. NB (the block
// column, blockColumns.ts) is also potrf's panel and trtri's block row; KB: potri's block row
// of Y; MC x KC: the block of A kept in cache by the products.
const KB: i32 = 128;
const MC: i32 = 128;
const KC: i32 = 128;
/**
 * trtri's block rows (a multiple of NB; trtriRange). With NB's 64 the inverse of order 2000 took
 * 222 ms (with the helper thread; bench of trtri alone), with 256 and Y_JJ's band 149 ms; its TA
 * of JB x n doubles is 4 MB at that order.
 */
const JB: i32 = 256;
const DEPTH: i32 = max(max(NB, KB), KC);

function pad4(n: i32): i32 {
  return (n + 3) & ~3;
}

/** Doubles of workspace the kernels need for order n. */
export function workspace(n: i32): i32 {
  return pad4(n) * DEPTH + JB * KC + NB * NB + JB * pad4(n) + 48;
}

function offPS(ws: usize, n: i32): usize {
  return ws + (<usize>(pad4(n) * DEPTH) << 3);
}
function offT(ws: usize, n: i32): usize {
  return offPS(ws, n) + (<usize>(JB * KC) << 3);
}
function offTA(ws: usize, n: i32): usize {
  return offT(ws, n) + (<usize>(NB * NB) << 3);
}
function offS(ws: usize, n: i32): usize {
  return offTA(ws, n) + (<usize>(JB * pad4(n)) << 3);
}

/** Address of element [i, j] of the stored matrix. */
function at(a: usize, n: i32, i: i32, j: i32): usize {
  return colAt(a, n, j) + (<usize>i << 3);
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

/** T[j nb + c] = L[j, c] for c <= j: the nb x nb lower block at l (leading dimension ld) by rows. */
function lowerByRows(nb: i32, l: usize, ld: i32, t: usize): void {
  for (let c = 0; c < nb; c++) {
    for (let j = c; j < nb; j++) store<f64>(t + (<usize>(j * nb + c) << 3), load<f64>(l + ((<usize>j + <usize>c * <usize>ld) << 3)));
  }
}

/**
 * In-place inverse of the n x n lower triangle at a (leading dimension lda), LAPACK's dtrti2:
 * from the last column back, Y[j, j] = 1 / L[j, j] and Y[j+1:, j] = -Y[j, j] Y[j+1:, j+1:] L[j+1:, j]
 * (the product by the already inverted trailing triangle taken from the bottom row up, in place).
 */
function trti2(n: i32, a: usize, lda: i32): void {
  const ld = <usize>lda << 3;
  for (let j = n - 1; j >= 0; j--) {
    const cj = a + <usize>j * ld;
    const yjj = 1 / load<f64>(cj + (<usize>j << 3));
    store<f64>(cj + (<usize>j << 3), yjj);
    for (let i = n - 1; i > j; i--) {
      let s = 0.0;
      for (let c = j + 1; c <= i; c++) s += load<f64>(a + <usize>c * ld + (<usize>i << 3)) * load<f64>(cj + (<usize>c << 3));
      store<f64>(cj + (<usize>i << 3), -yjj * s);
    }
  }
}

/** x[0 .. m) = -x[0 .. m). */
function negate(m: i32, x: usize): void {
  const minus = f64x2.splat(-1.0);
  let i = 0;
  for (; i + 2 <= m; i += 2) v128.store(x + (<usize>i << 3), f64x2.mul(v128.load(x + (<usize>i << 3)), minus));
  if (i < m) store<f64>(x + (<usize>i << 3), -load<f64>(x + (<usize>i << 3)));
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

/** Rows [lo, hi) of trsmRightLowerTrans for part `part` of `parts`: row ranges cut at multiples of 8. */
export function trsmPart(m: i32, nb: i32, t: usize, b: usize, ldb: i32, part: i32, parts: i32): void {
  const lo = ((<i64>m * part) / parts) as i32 & ~7;
  const hi = part == parts - 1 ? m : ((<i64>m * (part + 1)) / parts) as i32 & ~7;
  if (hi > lo) trsmRightLowerTrans(hi - lo, nb, t, b + (<usize>lo << 3), ldb);
}

/** trsmRightLowerTrans, shared with the helper thread when there is one and the work is large enough. */
function trsmShared(m: i32, nb: i32, t: usize, b: usize, ldb: i32): void {
  if (<i64>m * nb * nb >= PARALLEL_MIN && spawn(OP_TRSM, m, nb, 0, t, b, 0, ldb, 0, 0, 0, 0, 0, 0, 0) > 1) {
    trsmPart(m, nb, t, b, ldb, 0, 2);
    if (join() != 0) trsmPart(m, nb, t, b, ldb, 1, 2);
  } else {
    trsmRightLowerTrans(m, nb, t, b, ldb);
  }
}

/** tile.ts's productPart, shared with the helper thread when there is one and the work is large enough. */
function productShared(m: i32, n: i32, kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, bc: i32, i0: i32, j0: i32, lower: i32, mc: i32, scratch: usize, band: i32 = NO_BAND): void {
  // The row blocks' counter (tile.ts's productPart): set before the helper can read it (spawn's hand-over orders the store).
  store<i32>(scratch + (<usize>HELPER_PARTS << 7), 0);
  if (<i64>m * n * kc >= PARALLEL_MIN && spawn(OP_PRODUCT, m, n, kc, pa, pb, c, ldc, bc, i0, j0, lower, band, mc, scratch) > 1) {
    productPart(m, n, kc, pa, pb, c, ldc, bc, i0, j0, lower, band, mc, scratch, 0, HELPER_PARTS);
    if (join() != 0) productPart(m, n, kc, pa, pb, c, ldc, bc, i0, j0, lower, band, mc, scratch, 1, HELPER_PARTS);
  } else {
    productPart(m, n, kc, pa, pb, c, ldc, bc, i0, j0, lower, band, mc, scratch, 0, 1);
  }
}

/** In-place lower Cholesky of the stored matrix; 0, or j + 1 when the pivot of column j is not positive. */
export function potrf(n: i32, a: usize, ws: usize): i32 {
  const pk = ws, t = offT(ws, n), s = offS(ws, n);
  for (let k0 = 0; k0 < n; k0 += NB) {
    const kb = min(NB, n - k0), ld = ldOf(n, k0);
    const diag = at(a, n, k0, k0);
    const info = potf2(kb, diag, ld);
    if (info != 0) return info + k0;
    const m = n - k0 - kb;
    if (m == 0) break;
    lowerByRows(kb, diag, ld, t);
    trsmShared(m, kb, t, diag + (<usize>kb << 3), ld);
    pack(a, 0, n, k0 + kb, m, k0, kb, FULL, pk);
    productShared(m, m, kb, pk, pk, a, 0, n, k0 + kb, k0 + kb, 1, MC, s);
  }
  return 0;
}

/** Y = L^{-1} in place of the stored lower triangle L (non-zero diagonal). */
export function trtri(n: i32, a: usize, ws: usize): void {
  trtriRange(n, a, ws, 0, n, JB);
}

/**
 * Y = L^{-1} in place on the diagonal block [lo, hi) of the stored L (the inverse of a
 * diagonal block of a lower triangle is that block of the inverse), by block rows J of jbMax
 * rows (NB or JB): the diagonal block Y_JJ first (trti2, or the same by block rows of NB),
 * then
 *   TA = L[J, lo:j0] Y[lo:j0, lo:j0],   Y[J, lo:j0] = -Y_JJ TA.
 * Each product reads Y[lo:j0, lo:j0] once per block row, packed anew: with block rows of JB
 * rather than NB it is packed a quarter as often, and each packed element serves JB rows.
 */
function trtriRange(n: i32, a: usize, ws: usize, lo: i32, hi: i32, jbMax: i32): void {
  const pk = ws, ps = offPS(ws, n), ta = offTA(ws, n), s = offS(ws, n);
  for (let j0 = lo; j0 < hi; j0 += jbMax) {
    const jb = min(jbMax, hi - j0), w = j0 - lo;
    // Y_JJ does not depend on the rest of block row J; its own block rows use TA before this one does.
    if (jb > NB) trtriRange(n, a, ws, j0, j0 + jb, NB);
    else trti2(jb, at(a, n, j0, j0), ldOf(n, j0));
    if (w == 0) continue;
    // TA (jb x w, leading dimension jb) = L[J, lo:j0] Y[lo:j0, lo:j0], Y lower: depth l meets columns lo .. l only.
    memory.fill(ta, 0, <usize>(jb * w) << 3);
    for (let l0 = lo; l0 < j0; l0 += KC) {
      const kc = min(KC, j0 - l0), nc = l0 + kc - lo;
      pack(a, 0, n, j0, jb, l0, kc, FULL, ps);
      packT(a, 0, n, l0, kc, lo, nc, LOWER, pk);
      productShared(jb, nc, kc, ps, pk, ta, jb, 0, 0, 0, 0, MC, s);
    }
    negate(jb * w, ta);
    // Y[J, lo:j0] = -Y_JJ TA, written over L[J, lo:j0], by depth slices of Y_JJ (lower: row i of
    // the slice from l0 has terms to depth i - l0 only, the band).
    for (let c = lo; c < j0; c++) memory.fill(at(a, n, j0, c), 0, <usize>jb << 3);
    for (let l0 = 0; l0 < jb; l0 += KC) {
      const kc = min(KC, jb - l0);
      pack(a, 0, n, j0, jb, j0 + l0, kc, LOWER, ps);
      packT(ta, jb, 0, l0, kc, 0, w, FULL, pk);
      productShared(jb, w, kc, ps, pk, a, 0, n, j0, lo, 0, MC, s, -l0);
    }
  }
}

/** The lower triangle of (L L')^{-1} in place of the stored L. */
export function potri(n: i32, a: usize, ws: usize): void {
  trtri(n, a, ws);
  const pk = ws, s = offS(ws, n);
  // -W accumulates as C -= Y[K, 0:r]' Y[K, 0:r] (r = k0 + kb).
  for (let k0 = 0; k0 < n; k0 += KB) {
    const kb = min(KB, n - k0), r = k0 + kb;
    packT(a, 0, n, k0, kb, 0, r, LOWER, pk);
    for (let c = 0; c < r; c++) {
      const from = max(c, k0);
      memory.fill(at(a, n, from, c), 0, <usize>(r - from) << 3);
    }
    productShared(r, r, kb, pk, pk, a, 0, n, 0, 0, 1, MC, s);
  }
  negate(storage(n), a);
}

/**
 * Packs rows [r0, r0 + m) of columns [c0, c0 + k) of the symmetric matrix whose lower triangle
 * is stored at a (block-column storage of order n) into 4-row panels at out, as pack() does:
 * element [i, j] is the stored [i, j] for i >= j and the stored [j, i] above the diagonal. Per
 * panel, the columns at or left of its first row are read down their stored columns (four rows
 * at once), those right of its last row down the stored columns of its rows (the transpose: row
 * r's values for consecutive columns are consecutive there), and the few in between one by one.
 */
function packSym(a: usize, n: i32, r0: i32, m: i32, c0: i32, k: i32, out: usize): void {
  for (let p = 0; p < m; p += 4) {
    const rows = min(4, m - p), gr = r0 + p, o = out + ((<usize>p * <usize>k) << 3);
    const lowEnd = min(k, max(0, gr - c0 + 1));
    const highStart = min(k, max(lowEnd, gr + 4 - c0));
    for (let l = 0; l < lowEnd; l++) {
      const src = at(a, n, gr, c0 + l), dst = o + (<usize>l << 5);
      if (rows == 4) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      } else {
        for (let r = 0; r < 4; r++) store<f64>(dst + (<usize>r << 3), r < rows ? load<f64>(src + (<usize>r << 3)) : 0.0);
      }
    }
    for (let l = lowEnd; l < highStart; l++) {
      const gc = c0 + l, dst = o + (<usize>l << 5);
      for (let r = 0; r < 4; r++) {
        const i = gr + r;
        const v = r >= rows ? 0.0 : i >= gc ? load<f64>(at(a, n, i, gc)) : load<f64>(at(a, n, gc, i));
        store<f64>(dst + (<usize>r << 3), v);
      }
    }
    if (highStart < k) {
      for (let r = 0; r < 4; r++) {
        let dst = o + (<usize>highStart << 5) + (<usize>r << 3);
        if (r >= rows) {
          for (let l = highStart; l < k; l++, dst += 32) store<f64>(dst, 0.0);
          continue;
        }
        let src = at(a, n, c0 + highStart, gr + r);
        for (let l = highStart; l < k; l++, dst += 32, src += 8) store<f64>(dst, load<f64>(src));
      }
    }
  }
}

/**
 * Rows [lo, hi) of packSym's m rows from row 0 for part `part` of `parts` (cut at multiples of
 * 4, so that each part writes whole panels of its own).
 */
export function packSymPart(a: usize, n: i32, m: i32, c0: i32, k: i32, out: usize, part: i32, parts: i32): void {
  const np = (m + 3) >> 2;
  const lo = ((np * part) / parts) << 2, hi = min(m, ((np * (part + 1)) / parts) << 2);
  if (hi > lo) packSym(a, n, lo, hi - lo, c0, k, out + ((<usize>lo * <usize>k) << 3));
}

/** packSym of rows [0, m), shared with the helper thread when there is one and the copy is large enough. */
function packSymShared(a: usize, n: i32, m: i32, c0: i32, k: i32, out: usize): void {
  if (<i64>m * k >= PACK_MIN && spawn(OP_PACKSYM, m, n, k, a, out, 0, c0, 0, 0, 0, 0, 0, 0, 0) > 1) {
    packSymPart(a, n, m, c0, k, out, 0, 2);
    if (join() != 0) packSymPart(a, n, m, c0, k, out, 1, 2);
  } else {
    packSym(a, n, 0, m, c0, k, out);
  }
}

/**
 * C = W B for W symmetric of order n (its lower triangle stored at a, block columns) and B
 * n x nb column-major at b (leading dimension n): C n x nb column-major at c. Depth slices of
 * KC: W's rows packed whole (packSym), B's slice packed by columns, their product taken (with the
 * helper thread when there is one) as C -= W B from C = 0, then negated. ws: pad4(n) KC +
 * pad4(nb) KC + 64 doubles.
 */
export function symmProduct(n: i32, a: usize, nb: i32, b: usize, c: usize, ws: usize): void {
  const pa = ws, pb = pa + (<usize>(pad4(n) * KC) << 3), s = pb + (<usize>(pad4(nb) * KC) << 3);
  memory.fill(c, 0, <usize>(n * nb) << 3);
  for (let l0 = 0; l0 < n; l0 += KC) {
    const kc = min(KC, n - l0);
    packSymShared(a, n, n, l0, kc, pa);
    packT(b, n, 0, l0, kc, 0, nb, FULL, pb);
    productShared(n, nb, kc, pa, pb, c, n, 0, 0, 0, 0, MC, s);
  }
  negate(n * nb, c);
}

/** Doubles of symmProduct's workspace for order n and nb columns. */
export function symmWorkspace(n: i32, nb: i32): i32 {
  return pad4(n) * KC + pad4(nb) * KC + 64;
}
