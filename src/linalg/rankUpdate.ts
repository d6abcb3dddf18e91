/**
 * Dense rank-k updates on column-major Float64Arrays:
 *
 *   gemmNTSub:    C -= A B'   (C m x n, A m x k, B n x k)
 *   syrkLowerSub: C -= A A'   (C n x n, lower triangle only, A n x k)
 *
 * Every matrix is given as (array, offset of element [0,0], leading dimension).
 * For large sizes the operands are packed into 4-row interleaved panels
 * (panel element [r, l] at 4l + r) and multiplied by a 4 x 4 register tile;
 * rows are taken in blocks of MC so that a block of A stays in cache while it
 * meets every panel of B. Small products use plain loops.
 */

import { OP_MACRO } from './denseHelper.js';
import { wasmGemm, type WasmGemm } from './gemmWasm.js';

const MR = 4;
const MC = 128;
const KC = 256;
const SMALL = 4096;
/** Below this many multiply-adds a row block's product is not handed to the helper thread (as wasm/dense.ts's PARALLEL_MIN). */
const SHARE_MIN = 1 << 21;

let packA = new Float64Array(MC * KC);
let packB = new Float64Array(MR * KC);
const edge = new Float64Array(MR * MR);

function ensureB(size: number): void {
  if (packB.length < size) packB = new Float64Array(size);
}

function ensureA(size: number): void {
  if (packA.length < size) packA = new Float64Array(size);
}

/** Packs rows [0, m) and columns [0, k) of A into 4-row panels of buf (padded with zeros). */
function pack(m: number, k: number, a: Float64Array, offA: number, lda: number, buf: Float64Array): void {
  for (let p0 = 0; p0 < m; p0 += MR) {
    const rows = Math.min(MR, m - p0);
    let o = p0 * k;
    let col = offA + p0;
    if (rows === MR) {
      for (let l = 0; l < k; l++, o += MR, col += lda) {
        buf[o] = a[col];
        buf[o + 1] = a[col + 1];
        buf[o + 2] = a[col + 2];
        buf[o + 3] = a[col + 3];
      }
    } else {
      for (let l = 0; l < k; l++, o += MR, col += lda) {
        for (let r = 0; r < MR; r++) buf[o + r] = r < rows ? a[col + r] : 0;
      }
    }
  }
}

/**
 * pack() of rows [i0, i0 + m) and columns [l0, l0 + k) of a symmetric matrix given by its
 * lower triangle (a[i + j lda] for i >= j; the strict upper triangle is never read).
 */
function packSymLower(m: number, k: number, a: Float64Array, lda: number, i0: number, l0: number, buf: Float64Array): void {
  for (let p0 = 0; p0 < m; p0 += MR) {
    const rows = Math.min(MR, m - p0), g = i0 + p0;
    let o = p0 * k;
    if (rows < MR) {
      for (let l = 0; l < k; l++, o += MR) {
        const gl = l0 + l;
        for (let r = 0; r < MR; r++) buf[o + r] = r >= rows ? 0 : g + r >= gl ? a[g + r + gl * lda] : a[gl + (g + r) * lda];
      }
      continue;
    }
    // Columns gl <= g: the panel's four rows are in the lower triangle, read down column gl; columns
    // gl >= g + 3: in the upper one, read as row gl of columns g .. g + 3; the three between, element by element.
    const below = Math.min(k, Math.max(0, g + 1 - l0)), above = Math.min(k, Math.max(below, g + MR - 1 - l0));
    let l = 0;
    for (; l < below; l++, o += MR) {
      const src = g + (l0 + l) * lda;
      buf[o] = a[src];
      buf[o + 1] = a[src + 1];
      buf[o + 2] = a[src + 2];
      buf[o + 3] = a[src + 3];
    }
    for (; l < above; l++, o += MR) {
      const gl = l0 + l;
      for (let r = 0; r < MR; r++) buf[o + r] = g + r >= gl ? a[g + r + gl * lda] : a[gl + (g + r) * lda];
    }
    const c0 = g * lda, c1 = c0 + lda, c2 = c1 + lda, c3 = c2 + lda;
    for (; l < k; l++, o += MR) {
      const gl = l0 + l;
      buf[o] = a[gl + c0];
      buf[o + 1] = a[gl + c1];
      buf[o + 2] = a[gl + c2];
      buf[o + 3] = a[gl + c3];
    }
  }
}

/** Rows [i0, i0 + m), columns [l0, l0 + k) of A (at offA, or symmetric by its lower triangle when `sym`) into panels of buf. */
function packRowsOfA(sym: boolean, m: number, k: number, a: Float64Array, offA: number, lda: number, i0: number, l0: number, buf: Float64Array): void {
  if (sym) packSymLower(m, k, a, lda, i0, l0, buf);
  else pack(m, k, a, offA + i0 + l0 * lda, lda, buf);
}

/**
 * C[offC + r + s ldc] -= sum_l pA[ia + 4l + r] pB[ib + 4l + s], a 4 x 4 tile, written only for
 * r < rows, s < cols and r >= s + lowerFrom (lowerFrom <= -3 keeps the whole tile).
 */
function tile(
  k: number, pA: Float64Array, ia: number, pB: Float64Array, ib: number,
  c: Float64Array, offC: number, ldc: number, rows: number, cols: number, lowerFrom: number,
): void {
  let c00 = 0, c10 = 0, c20 = 0, c30 = 0, c01 = 0, c11 = 0, c21 = 0, c31 = 0;
  let c02 = 0, c12 = 0, c22 = 0, c32 = 0, c03 = 0, c13 = 0, c23 = 0, c33 = 0;
  for (let l = 0; l < k; l++, ia += MR, ib += MR) {
    const a0 = pA[ia], a1 = pA[ia + 1], a2 = pA[ia + 2], a3 = pA[ia + 3];
    let b = pB[ib];
    c00 += a0 * b; c10 += a1 * b; c20 += a2 * b; c30 += a3 * b;
    b = pB[ib + 1];
    c01 += a0 * b; c11 += a1 * b; c21 += a2 * b; c31 += a3 * b;
    b = pB[ib + 2];
    c02 += a0 * b; c12 += a1 * b; c22 += a2 * b; c32 += a3 * b;
    b = pB[ib + 3];
    c03 += a0 * b; c13 += a1 * b; c23 += a2 * b; c33 += a3 * b;
  }
  if (rows === MR && cols === MR && lowerFrom <= -3) {
    let o = offC;
    c[o] -= c00; c[o + 1] -= c10; c[o + 2] -= c20; c[o + 3] -= c30; o += ldc;
    c[o] -= c01; c[o + 1] -= c11; c[o + 2] -= c21; c[o + 3] -= c31; o += ldc;
    c[o] -= c02; c[o + 1] -= c12; c[o + 2] -= c22; c[o + 3] -= c32; o += ldc;
    c[o] -= c03; c[o + 1] -= c13; c[o + 2] -= c23; c[o + 3] -= c33;
    return;
  }
  const t = edge;
  t[0] = c00; t[1] = c10; t[2] = c20; t[3] = c30; t[4] = c01; t[5] = c11; t[6] = c21; t[7] = c31;
  t[8] = c02; t[9] = c12; t[10] = c22; t[11] = c32; t[12] = c03; t[13] = c13; t[14] = c23; t[15] = c33;
  for (let s = 0; s < cols; s++) {
    for (let r = Math.max(0, s + lowerFrom); r < rows; r++) c[offC + r + s * ldc] -= t[r + s * MR];
  }
}

function smallNT(
  m: number, n: number, k: number, a: Float64Array, offA: number, lda: number,
  b: Float64Array, offB: number, ldb: number, c: Float64Array, offC: number, ldc: number, lower: boolean,
): void {
  for (let j = 0; j < n; j++) {
    const cj = offC + j * ldc;
    for (let l = 0; l < k; l++) {
      const blj = b[offB + j + l * ldb];
      if (blj === 0) continue;
      const al = offA + l * lda;
      for (let i = lower ? j : 0; i < m; i++) c[cj + i] -= a[al + i] * blj;
    }
  }
}

let useWasm = true;

/**
 * Chooses the kernel of the blocked products: the WebAssembly SIMD tiles
 * (default, where available) or plain JavaScript. For benchmarks and tests.
 */
export function setRankUpdateKernel(kind: 'wasm' | 'js'): void {
  useWasm = kind === 'wasm';
}

/** The WebAssembly module when it is selected and available, else null (the JavaScript kernels). */
export function rankUpdateWasm(): WasmGemm | null {
  return useWasm ? wasmGemm() : null;
}

/**
 * Starts the dense kernels' helper thread now, when one is registered (denseHelper.ts) and the
 * module's kernels are selected, rather than on the first operation large enough to share: for a
 * caller that knows large dense work is coming and has other work to do first (lmm/problem.ts).
 */
export function prestartDenseHelper(): void {
  rankUpdateWasm()?.helper?.prestart();
}

/**
 * blocked() with the tiles computed by the WebAssembly kernel (gemmWasm.ts): A and B
 * are packed into the module's memory, each row block's product comes back as a dense
 * mc x n block there and is subtracted from C (its lower part only when `lower`).
 */
function blockedWasm(
  w: WasmGemm, m: number, n: number, k: number, a: Float64Array, offA: number, lda: number,
  b: Float64Array, offB: number, ldb: number, c: Float64Array, offC: number, ldc: number, lower: boolean, symA: boolean,
): void {
  const nPad = Math.ceil(n / MR) * MR;
  // Two row blocks' buffers: with a helper thread (denseHelper.ts) it computes the second
  // block's product while this thread computes the first and subtracts it from C.
  const pa = 0, pb = MC * KC, po = pb + nPad * KC, pa1 = po + MC * nPad, po1 = pa1 + MC * KC;
  w.ensure(w.helper !== null ? po1 + MC * nPad : po + MC * nPad);
  const low = lower ? 1 : 0;
  const subtract = (f64: Float64Array, out: number, i0: number, mc: number, jEnd: number): void => {
    const ldo = Math.ceil(mc / MR) * MR, iEnd = i0 + mc;
    for (let j = 0; j < jEnd; j++) {
      const cj = offC + j * ldc, oj = out + j * ldo - i0;
      for (let i = lower ? Math.max(i0, j) : i0; i < iEnd; i++) c[cj + i] -= f64[oj + i];
    }
  };
  for (let l0 = 0; l0 < k; l0 += KC) {
    const kc = Math.min(KC, k - l0);
    pack(n, kc, b, offB + l0 * ldb, ldb, w.f64.subarray(pb));
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = Math.min(MC, m - i0);
      const jEnd = lower ? Math.min(n, i0 + mc) : n;
      if (jEnd <= 0) continue;
      const f64 = w.f64;
      packRowsOfA(symA, mc, kc, a, offA, lda, i0, l0, f64.subarray(pa));
      const i1 = i0 + MC, mc1 = Math.min(MC, m - i1), jEnd1 = lower ? Math.min(n, i1 + mc1) : n;
      const pair = w.helper !== null && mc1 > 0 && mc1 * jEnd1 * kc >= SHARE_MIN;
      let handed = false;
      if (pair) {
        packRowsOfA(symA, mc1, kc, a, offA, lda, i1, l0, f64.subarray(pa1));
        handed = w.helper!.spawn(OP_MACRO, mc1, n, kc, pa1 * 8, pb * 8, po1 * 8, low, i1, jEnd1, 0, 0, 0, 0, 0) > 1;
      }
      w.macro(mc, n, kc, pa * 8, pb * 8, po * 8, low, i0, jEnd);
      subtract(f64, po, i0, mc, jEnd);
      if (!pair) continue;
      // The helper's block (or this thread's, when it was not handed over or the helper failed): the same bits either way.
      if (!handed || w.helper!.join() !== 0) w.macro(mc1, n, kc, pa1 * 8, pb * 8, po1 * 8, low, i1, jEnd1);
      subtract(f64, po1, i1, mc1, jEnd1);
      i0 += MC;
    }
  }
}

function blocked(
  m: number, n: number, k: number, a: Float64Array, offA: number, lda: number,
  b: Float64Array, offB: number, ldb: number, c: Float64Array, offC: number, ldc: number, lower: boolean, symA = false,
): void {
  const w = rankUpdateWasm();
  if (w) {
    blockedWasm(w, m, n, k, a, offA, lda, b, offB, ldb, c, offC, ldc, lower, symA);
    return;
  }
  for (let l0 = 0; l0 < k; l0 += KC) {
    const kc = Math.min(KC, k - l0);
    ensureB(Math.ceil(n / MR) * MR * kc);
    pack(n, kc, b, offB + l0 * ldb, ldb, packB);
    ensureA(MC * kc);
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = Math.min(MC, m - i0);
      const jEnd = lower ? Math.min(n, i0 + mc) : n;
      if (jEnd <= 0) continue;
      packRowsOfA(symA, mc, kc, a, offA, lda, i0, l0, packA);
      for (let j = 0; j < jEnd; j += MR) {
        const cols = Math.min(MR, n - j);
        const iStart = lower ? Math.max(i0, j - (j % MR)) : i0;
        for (let i = iStart - ((iStart - i0) % MR); i < i0 + mc; i += MR) {
          const rows = Math.min(MR, i0 + mc - i);
          const lowerFrom = lower ? j - i : -MR;
          if (lowerFrom >= rows) continue;
          tile(kc, packA, (i - i0) * kc, packB, j * kc, c, offC + i + j * ldc, ldc, rows, cols, lowerFrom);
        }
      }
    }
  }
}

/** C -= A B' with C m x n, A m x k, B n x k (all column-major with the given offsets and leading dimensions). */
export function gemmNTSub(
  m: number, n: number, k: number, a: Float64Array, offA: number, lda: number,
  b: Float64Array, offB: number, ldb: number, c: Float64Array, offC: number, ldc: number,
): void {
  if (m <= 0 || n <= 0 || k <= 0) return;
  if (m * n * k <= SMALL || m < MR || n < MR) smallNT(m, n, k, a, offA, lda, b, offB, ldb, c, offC, ldc, false);
  else blocked(m, n, k, a, offA, lda, b, offB, ldb, c, offC, ldc, false);
}

/**
 * C -= A B' with A m x m symmetric, given by its lower triangle (a[i + j lda], i >= j; the
 * strict upper triangle is never read, so its memory need not exist in pages), B n x m and
 * C m x n. The same tiles and order of operations as gemmNTSub on the full matrix: the same
 * result to the bit.
 */
export function symmLowerNTSub(
  m: number, n: number, a: Float64Array, lda: number,
  b: Float64Array, offB: number, ldb: number, c: Float64Array, offC: number, ldc: number,
): void {
  if (m <= 0 || n <= 0) return;
  if (m * n * m <= SMALL || m < MR || n < MR) {
    for (let j = 0; j < n; j++) {
      const cj = offC + j * ldc;
      for (let l = 0; l < m; l++) {
        const blj = b[offB + j + l * ldb];
        if (blj === 0) continue;
        for (let i = 0; i < m; i++) c[cj + i] -= (i >= l ? a[i + l * lda] : a[l + i * lda]) * blj;
      }
    }
    return;
  }
  blocked(m, n, m, a, 0, lda, b, offB, ldb, c, offC, ldc, false, true);
}

/** C -= A A' on the lower triangle of the n x n matrix C (A is n x k); the strict upper triangle is not touched. */
export function syrkLowerSub(
  n: number, k: number, a: Float64Array, offA: number, lda: number, c: Float64Array, offC: number, ldc: number,
): void {
  if (n <= 0 || k <= 0) return;
  if (n * n * k <= 2 * SMALL || n < MR) smallNT(n, n, k, a, offA, lda, a, offA, lda, c, offC, ldc, true);
  else blocked(n, n, k, a, offA, lda, a, offA, lda, c, offC, ldc, true);
}
