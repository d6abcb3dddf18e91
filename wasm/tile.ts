// The 4 x 4 register tile and the panel packing shared by the dense kernels (dense.ts).
//
// pack() lays rows of a column-major matrix out as 4-row panels: panel p holds rows
// 4p .. 4p + 3, element [r, l] at 4l + r (zeros past the last row), so that tile()
// reads A and B with unit stride. tile() forms the 4 x 4 product
// T[r, s] = sum_l A[r, l] B[s, l] in eight f64x2 registers and subtracts it from C in place.
//
// All addresses are byte offsets into the module's memory; leading dimensions are in doubles.

/** pack(): the matrix as stored. */
export const FULL = 0;
/** pack(): zero below the diagonal (row > column), the stored value elsewhere. */
export const UPPER = 1;
/** pack(): zero below the diagonal, d[row] on it (the diagonal kept apart), stored above. */
export const UPPER_D = 2;

/**
 * Packs rows [r0, r0 + m) and columns [c0, c0 + k) of the matrix at base (leading dimension ld)
 * into 4-row panels at out, panel stride 4k doubles. Rows and columns are global indices of
 * the matrix, so the modes see its diagonal.
 */
export function pack(base: usize, ld: i32, r0: i32, m: i32, c0: i32, k: i32, mode: i32, d: usize, out: usize): void {
  const ldb = <usize>ld << 3;
  let o = out;
  for (let p = 0; p < m; p += 4) {
    const rows = min(4, m - p);
    const gr = r0 + p;
    let col = base + ((<usize>gr + <usize>c0 * <usize>ld) << 3);
    for (let l = 0; l < k; l++) {
      const gc = c0 + l;
      if (rows == 4 && (mode == FULL || gc >= gr + 4)) {
        v128.store(o, v128.load(col));
        v128.store(o, v128.load(col, 16), 16);
      } else {
        for (let r = 0; r < 4; r++) {
          const g = gr + r;
          let v = 0.0;
          if (r < rows) {
            if (mode == FULL || g < gc) v = load<f64>(col + (<usize>r << 3));
            else if (g == gc) v = mode == UPPER ? load<f64>(col + (<usize>r << 3)) : load<f64>(d + (<usize>g << 3));
          }
          store<f64>(o + (<usize>r << 3), v);
        }
      }
      o += 32;
      col += ldb;
    }
  }
}

/**
 * C[r, s] -= sum_l a[4l + r] b[4l + s] for the 4 x 4 tile of C at c (leading dimension ldc
 * bytes), written only where r < rows, s < cols and r >= s + lowerFrom (lowerFrom <= -3: the
 * whole tile; lowerFrom = j - i keeps C's lower triangle for a tile at global row i, column j).
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

/** C (m x n at c, leading dimension ldc) -= A B' for A (m rows) and B (n rows) packed with depth kc. */
export function gemmPacked(m: i32, n: i32, kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, scratch: usize): void {
  const panel = <usize>kc << 5;
  const ldcb = <usize>ldc << 3;
  for (let j = 0; j < n; j += 4) {
    const b = pb + <usize>(j >> 2) * panel;
    const cj = c + <usize>j * ldcb;
    const cols = min(4, n - j);
    for (let i = 0; i < m; i += 4) {
      tile(pa + <usize>(i >> 2) * panel, b, kc, cj + (<usize>i << 3), ldcb, min(4, m - i), cols, -4, scratch);
    }
  }
}

/**
 * Lower triangle of C (n x n at c, leading dimension ldc) -= P P' for P (n rows) packed with
 * depth kc, by row blocks of mc rows (a block of P stays in cache while the column panels pass).
 */
export function syrkPacked(n: i32, kc: i32, pp: usize, c: usize, ldc: i32, mc: i32, scratch: usize): void {
  const panel = <usize>kc << 5;
  const ldcb = <usize>ldc << 3;
  for (let i0 = 0; i0 < n; i0 += mc) {
    const iEnd = min(n, i0 + mc);
    for (let j = 0; j < iEnd; j += 4) {
      const b = pp + <usize>(j >> 2) * panel;
      const cj = c + <usize>j * ldcb;
      const cols = min(4, n - j);
      for (let i = max(i0, j); i < iEnd; i += 4) {
        tile(pp + <usize>(i >> 2) * panel, b, kc, cj + (<usize>i << 3), ldcb, min(4, n - i), cols, j - i, scratch);
      }
    }
  }
}
