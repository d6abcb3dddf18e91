// The 4 x 4 register tile and the panel packing shared by the dense kernels (dense.ts).
//
// A matrix operand is (base, ld, bc): with bc = 0 a column-major matrix at base with leading
// dimension ld; with bc = n > 0 the block-column lower storage of order n at base
// (blockColumns.ts). Rows and columns are the matrix's own indices, so masks see its diagonal.
//
// pack() lays rows out as 4-row panels: panel p holds rows 4p .. 4p + 3, element [r, l] at
// 4l + r (zeros past the last row); packT() does the same for columns (panel element
// [s, l] = M[row l, column 4p + s]). productPart() runs tile() over the panels: it forms the 4 x 4
// product T[r, s] = sum_l A[r, l] B[s, l] in eight f64x2 registers and subtracts it from C
// in place. All addresses are byte offsets into the module's memory.

import { colAt, ldOf } from './blockColumns';

/** pack() / packT(): the matrix as stored. */
export const FULL = 0;
/** pack() / packT(): zero above the diagonal (row < column), the stored value elsewhere. */
export const LOWER = 1;

/** Address of element [0, j] of the operand. */
function colOf(base: usize, ld: i32, bc: i32, j: i32): usize {
  return bc > 0 ? colAt(base, bc, j) : base + ((<usize>j * <usize>ld) << 3);
}

/** Packs rows [r0, r0 + m) of columns [c0, c0 + k) into 4-row panels at out (panel stride 4k doubles). */
export function pack(base: usize, ld: i32, bc: i32, r0: i32, m: i32, c0: i32, k: i32, mode: i32, out: usize): void {
  let o = out;
  for (let p = 0; p < m; p += 4) {
    const rows = min(4, m - p);
    const gr = r0 + p;
    for (let l = 0; l < k; l++) {
      const gc = c0 + l;
      const col = colOf(base, ld, bc, gc) + (<usize>gr << 3);
      if (rows == 4 && (mode == FULL || gr >= gc)) {
        v128.store(o, v128.load(col));
        v128.store(o, v128.load(col, 16), 16);
      } else {
        for (let r = 0; r < 4; r++) {
          const v = r < rows && (mode == FULL || gr + r >= gc) ? load<f64>(col + (<usize>r << 3)) : 0.0;
          store<f64>(o + (<usize>r << 3), v);
        }
      }
      o += 32;
    }
  }
}

/**
 * Packs columns [c0, c0 + m) of rows [r0, r0 + k) into 4-column panels at out: panel element
 * [s, l] = M[r0 + l, c0 + 4p + s] (zeros past the last column), i.e. pack() of M'.
 */
export function packT(base: usize, ld: i32, bc: i32, r0: i32, k: i32, c0: i32, m: i32, mode: i32, out: usize): void {
  let o = out;
  for (let p = 0; p < m; p += 4) {
    const cols = min(4, m - p);
    for (let s = 0; s < 4; s++) {
      const gc = c0 + p + s;
      let at = o + (<usize>s << 3);
      if (s >= cols) {
        for (let l = 0; l < k; l++, at += 32) store<f64>(at, 0.0);
        continue;
      }
      // Rows before gc are zero under LOWER (and, in block-column storage, may not be stored).
      const first = mode == FULL ? 0 : min(k, max(0, gc - r0));
      let l = 0;
      for (; l < first; l++, at += 32) store<f64>(at, 0.0);
      let src = colOf(base, ld, bc, gc) + (<usize>(r0 + l) << 3);
      for (; l < k; l++, at += 32, src += 8) store<f64>(at, load<f64>(src));
    }
    o += <usize>k << 5;
  }
}

/**
 * C[r, s] -= sum_l a[4l + r] b[4l + s] for the 4 x 4 tile of C at c (leading dimension ldc
 * bytes), written only where r < rows, s < cols and r >= s + lowerFrom (lowerFrom <= -3: the
 * whole tile; lowerFrom = j - i keeps C's lower triangle for a tile at row i, column j).
 * scratch: 16 doubles for partial tiles.
 */
export function tile(a: usize, b: usize, kc: i32, c: usize, ldc: usize, rows: i32, cols: i32, lowerFrom: i32, scratch: usize): void {
  let c0a = f64x2.splat(0.0), c0b = f64x2.splat(0.0);
  let c1a = f64x2.splat(0.0), c1b = f64x2.splat(0.0);
  let c2a = f64x2.splat(0.0), c2b = f64x2.splat(0.0);
  let c3a = f64x2.splat(0.0), c3b = f64x2.splat(0.0);
  for (let l = 0; l < kc; l++) {
    const a01 = v128.load(a);
    const a23 = v128.load(a, 16);
    let bb = v128.load64_splat(b);
    c0a = f64x2.add(c0a, f64x2.mul(a01, bb));
    c0b = f64x2.add(c0b, f64x2.mul(a23, bb));
    bb = v128.load64_splat(b, 8);
    c1a = f64x2.add(c1a, f64x2.mul(a01, bb));
    c1b = f64x2.add(c1b, f64x2.mul(a23, bb));
    bb = v128.load64_splat(b, 16);
    c2a = f64x2.add(c2a, f64x2.mul(a01, bb));
    c2b = f64x2.add(c2b, f64x2.mul(a23, bb));
    bb = v128.load64_splat(b, 24);
    c3a = f64x2.add(c3a, f64x2.mul(a01, bb));
    c3b = f64x2.add(c3b, f64x2.mul(a23, bb));
    a += 32;
    b += 32;
  }
  if (rows == 4 && cols == 4 && lowerFrom <= -3) {
    v128.store(c, f64x2.sub(v128.load(c), c0a));
    v128.store(c, f64x2.sub(v128.load(c, 16), c0b), 16);
    c += ldc;
    v128.store(c, f64x2.sub(v128.load(c), c1a));
    v128.store(c, f64x2.sub(v128.load(c, 16), c1b), 16);
    c += ldc;
    v128.store(c, f64x2.sub(v128.load(c), c2a));
    v128.store(c, f64x2.sub(v128.load(c, 16), c2b), 16);
    c += ldc;
    v128.store(c, f64x2.sub(v128.load(c), c3a));
    v128.store(c, f64x2.sub(v128.load(c, 16), c3b), 16);
    return;
  }
  v128.store(scratch, c0a);
  v128.store(scratch, c0b, 16);
  v128.store(scratch, c1a, 32);
  v128.store(scratch, c1b, 48);
  v128.store(scratch, c2a, 64);
  v128.store(scratch, c2b, 80);
  v128.store(scratch, c3a, 96);
  v128.store(scratch, c3b, 112);
  for (let s = 0; s < cols; s++) {
    const cs = c + <usize>s * ldc;
    for (let r = max(0, s + lowerFrom); r < rows; r++) {
      const at = cs + (<usize>r << 3);
      store<f64>(at, load<f64>(at) - load<f64>(scratch + (<usize>(r + 4 * s) << 3)));
    }
  }
}

/** The next row block from the counter at `at` (productPart), shared with the other parts. */
function claimBlock(at: usize): i32 {
  if (ASC_FEATURE_THREADS) return atomic.add<i32>(at, 1);
  return 0;
}

/** productPart's band when A has no known zeros. */
export const NO_BAND: i32 = 1 << 30;

/**
 * C -= A B' for A (m rows) and B (n rows) packed with depth kc, C = rows [i0, i0 + m) and
 * columns [j0, j0 + n) of the operand (c, ldc, bc), j0 a multiple of 4; with lower != 0
 * (m = n, i0 = j0) only C's lower triangle. A[i, l] = 0 for l > i + band (a triangle or a
 * slice of one; NO_BAND: none): a tile of rows i .. i + 3 stops at depth i + 4 + band, and one
 * that would start past it is skipped (the terms left out are products with A's zeros). By row
 * blocks of mc rows (a multiple of 4): a block of A stays in cache while the panels of B pass.
 *
 * This is part `part` of `parts` of that product, for threads sharing the memory (parts = 1:
 * all of it): every tile of C is computed whole by one part, in the same order of operations,
 * so the parts together give the one-thread result to the bit whatever their number. A lower
 * triangle or more than one row block is shared by row blocks, which the parts claim one at a
 * time from a counter (an i32 at scratch + 128 parts, set to 0 before the parts start), the
 * last block first (a triangle's longest rows): a part that runs slower takes fewer. Handed out
 * in turn (block b to part b mod parts), the thread that ran part 0 of lmm_crossed_1e6's 712
 * shared products waited 104 ms in all for the helper's parts (for 1.6 s of its own work);
 * claimed, 52 to 68 ms. A single row block, or a banded A (whose rows' work differs), is shared
 * by contiguous ranges of the 4-column panels.
 * Each part uses its own 16 doubles of scratch, at scratch + 128 part.
 */
export function productPart(m: i32, n: i32, kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, bc: i32, i0: i32, j0: i32, lower: i32, band: i32, mc: i32, scratch: usize, part: i32, parts: i32): void {
  const panel = <usize>kc << 5;
  const byRows = lower != 0 || (m > mc && band >= kc);
  const np = (n + 3) >> 2;
  const jLo = byRows ? 0 : ((np * part) / parts) << 2;
  const jHi = byRows ? n : min(n, ((np * (part + 1)) / parts) << 2);
  const own = scratch + (<usize>part << 7);
  // Row blocks shared by two or more parts are claimed from a counter (CLAIM after the parts' scratch), the last first.
  const claim = scratch + (<usize>parts << 7), nblocks = (m + mc - 1) / mc;
  const claimed = byRows && parts > 1 && ASC_FEATURE_THREADS;
  for (let k = 0; ; k++) {
    let ib: i32;
    if (claimed) ib = (nblocks - 1 - claimBlock(claim)) * mc;
    else ib = byRows ? (k * parts + part) * mc : k * mc;
    if (ib < 0 || ib >= m) break;
    const iEnd = min(m, ib + mc);
    const jEnd = lower != 0 ? iEnd : jHi;
    for (let j = jLo; j < jEnd; j += 4) {
      const b = pb + <usize>(j >> 2) * panel;
      const cj = colOf(c, ldc, bc, j0 + j) + (<usize>i0 << 3);
      const ldcb = <usize>(bc > 0 ? ldOf(bc, j0 + j) : ldc) << 3;
      const cols = min(4, n - j);
      for (let i = lower != 0 ? max(ib, j) : ib; i < iEnd; i += 4) {
        const depth = band >= kc ? kc : min(kc, i + 4 + band);
        if (depth <= 0) continue;
        tile(pa + <usize>(i >> 2) * panel, b, depth, cj + (<usize>i << 3), ldcb, min(4, m - i), cols, lower != 0 ? j - i : -4, own);
      }
    }
  }
}
