/**
 * The two dense products of the crossed layout (crossedSystem.ts, crossedGradient.ts) over the
 * rows of M12 (q1 x r, row-major; row l couples level l of the largest factor with the rest):
 *
 *   schurLower:  S -= M12' D1^-1 M12, the Schur complement of D1, on S's lower triangle;
 *   rowsTimesSymmetric:  C12 = -D1^-1 M12 C22 (C22 symmetric), and with it
 *                 diag C11 = (1 - rowsum(C12 .* M12)) / D1; for sparse rows only at M12's
 *                 nonzero entries (c12Entry gives any other).
 *
 * Both cost q1 r^2 multiply-adds when M12 is dense (VerbAgg: every subject meets every item) and
 * far less when its rows are sparse (a user meets few of the items): q1 nz^2 for nz nonzero
 * entries a row, taken one row at a time (5000 users x 20 of 200 items: 20 times less). Rows that
 * are at least half nonzero are taken four at a
 * time: from width KERNEL_MIN on by the dense kernels (rankUpdate.ts: the WebAssembly SIMD tiles
 * where available), CHUNK rows a call, scaled by D1^-1/2 into a panel for syrkLowerSub, or by D1^-1
 * (a run of consecutive rows, as their rows of C12 are consecutive) for symmLowerNTSub; below it
 * by plain loops that read and write each element of S (or C12) once for four rows, where the
 * kernels' packing costs more than it saves (VerbAgg, width 24: a warm fit 72.6 against 77-79 ms
 * through the kernels). Their sums are ordered otherwise than row by row, so the results differ
 * from those in the last bits.
 */
import { symmLowerNTSub, syrkLowerSub } from '../../linalg/rankUpdate.js';

/** Dense rows handed to the dense kernels in one call. */
const CHUNK = 256;
/**
 * Width (r, q2) from which the kernels take the dense rows. A microbenchmark of the products alone
 * (q1 = 316..1000 rows) had the kernels ahead at every width: 1.6x at 24, 3.0x at 48, 3.9x at 100 for
 * S; in VerbAgg's whole fit the plain loops were ahead at 24.
 */
const KERNEL_MIN = 48;

/** The panel of scaled rows (grown as needed, kept between calls: every PIRLS iteration needs one). */
let panel = new Float64Array(0);

function panelOf(size: number): Float64Array {
  if (panel.length < size) panel = new Float64Array(size);
  return panel;
}

/** A sparse row's nonzero columns (grown as needed, kept between calls). */
let columns = new Int32Array(0);

function columnsOf(size: number): Int32Array {
  if (columns.length < size) columns = new Int32Array(size);
  return columns;
}

/**
 * Whether the four rows of width r at offset o hold at least half nonzero entries, read until the
 * answer is known (about 2r entries: a sparse row costs the check about r/2 reads).
 */
function mostlyNonzero(m12: Float64Array, o: number, r: number): boolean {
  const half = 2 * r;
  let zeros = 0, nonzeros = 0;
  for (let k = o, end = o + 4 * r; k < end; k++) {
    if (m12[k] === 0) {
      if (++zeros > half) return false;
    } else if (++nonzeros >= half) {
      return true;
    }
  }
  return true;
}

/** The nonzero entries' columns of row l of M12 (width r) into nz; returns their count. */
function nonzeros(m12: Float64Array, l: number, r: number, nz: Int32Array): number {
  const o = l * r;
  let count = 0;
  for (let c = 0; c < r; c++) if (m12[o + c] !== 0) nz[count++] = c;
  return count;
}

/**
 * Row l of C12 at the sparse row's nonzero entries of M12 only, NaN elsewhere (c12Entry computes
 * such an entry when one is needed), and c11[l] from them: the same bits at those entries as over
 * every column. q2 nz^2 multiply-adds become nz^2.
 */
function c12SparseRow(m12: Float64Array, d1: Float64Array, C22: Float64Array, l: number, q2: number, c12: Float64Array, c11: Float64Array, nz: Int32Array): void {
  const o = l * q2, dinv = 1 / d1[l], count = nonzeros(m12, l, q2, nz);
  c12.fill(NaN, o, o + q2);
  let s = 0;
  for (let y = 0; y < count; y++) {
    const b = nz[y], ob = b * q2;
    let t = 0;
    for (let x = 0; x < count; x++) t += C22[ob + nz[x]] * m12[o + nz[x]];
    const v = -t * dinv;
    c12[o + b] = v;
    s += v * m12[o + b];
  }
  c11[l] = (1 - s) * dinv;
}

/**
 * C12[l, c] = -(C22 m)_c / d1[l] (m = M12's row l) where rowsTimesSymmetric left it NaN (a sparse
 * row's zero entry of M12: a pair of levels whose rows' terms cancel, or that no row with weight has).
 */
export function c12Entry(m12: Float64Array, d1: Float64Array, C22: Float64Array, l: number, c: number, q2: number): number {
  const o = l * q2, oc = c * q2;
  let t = 0;
  for (let a = 0; a < q2; a++) if (m12[o + a] !== 0) t += C22[oc + a] * m12[o + a];
  return -t / d1[l];
}

/**
 * Where each row of M12 can be nonzero: columns cols[start[l] .. start[l + 1]) (ascending) of the
 * first `width`, and every column from `width` on (the fixed effects' in a joint run).
 */
export interface RowPattern {
  start: Int32Array;
  cols: Int32Array;
  width: number;
}

/** Row l's possible nonzero columns by the pattern into nz (ascending); returns their count. */
function patternColumns(pattern: RowPattern, l: number, r: number, nz: Int32Array): number {
  const { start, cols, width } = pattern;
  let count = 0;
  for (let k = start[l]; k < start[l + 1]; k++) nz[count++] = cols[k];
  for (let c = width; c < r; c++) nz[count++] = c;
  return count;
}

/** S -= m m' / d1[l] over the pairs of row l's columns nz[0 .. count) (the others hold zeros: the same bits). */
function schurPairs(S: Float64Array, m12: Float64Array, d1: Float64Array, l: number, r: number, nz: Int32Array, count: number): void {
  const o = l * r, inv = 1 / d1[l];
  for (let x = 0; x < count; x++) {
    const c = nz[x], vc = m12[o + c] * inv, oc = c * r;
    if (vc === 0) continue;
    for (let y = x; y < count; y++) S[oc + nz[y]] -= vc * m12[o + nz[y]];
  }
}

/**
 * S -= M12' D1^-1 M12 on the lower triangle of S (column-major, order and leading dimension r:
 * column c holds rows c..r-1 at S[c r + c ..]); M12 is q1 x r row-major. With the rows' pattern
 * (crossedSystem.ts), a sparse row's columns, and whether four rows are dense, are read from it
 * instead of from the rows.
 */
export function schurLower(S: Float64Array, m12: Float64Array, d1: Float64Array, q1: number, r: number, pattern: RowPattern | null = null): void {
  const nz = columnsOf(r);
  // For the kernels, dense rows scaled by D1^-1/2 into B (r x count, column-major), for S -= B B'.
  const B = r >= KERNEL_MIN ? panelOf(CHUNK * r) : null;
  let count = 0;
  for (let l = 0; l < q1; ) {
    const dense = l + 4 <= q1 && (pattern === null
      ? mostlyNonzero(m12, l * r, r)
      : 2 * (pattern.start[l + 4] - pattern.start[l] + 4 * (r - pattern.width)) >= 4 * r);
    if (!dense) {
      for (const end = Math.min(l + 4, q1); l < end; l++) {
        schurPairs(S, m12, d1, l, r, nz, pattern === null ? nonzeros(m12, l, r, nz) : patternColumns(pattern, l, r, nz));
      }
      continue;
    }
    if (B === null) {
      schurFourRows(S, m12, d1, l, r);
    } else {
      for (let k = 0; k < 4; k++) {
        const scale = 1 / Math.sqrt(d1[l + k]), o = (l + k) * r, ob = (count + k) * r;
        for (let c = 0; c < r; c++) B[ob + c] = m12[o + c] * scale;
      }
      count += 4;
      if (count + 4 > CHUNK) {
        syrkLowerSub(r, count, B, 0, r, S, 0, r);
        count = 0;
      }
    }
    l += 4;
  }
  if (B !== null && count > 0) syrkLowerSub(r, count, B, 0, r, S, 0, r);
}

/** S -= sum over rows l..l+3 of m m' / d1 by plain loops: each element of S read and written once. */
function schurFourRows(S: Float64Array, m12: Float64Array, d1: Float64Array, l: number, r: number): void {
  const o0 = l * r, o1 = o0 + r, o2 = o1 + r, o3 = o2 + r;
  const i0 = 1 / d1[l], i1 = 1 / d1[l + 1], i2 = 1 / d1[l + 2], i3 = 1 / d1[l + 3];
  for (let c = 0; c < r; c++) {
    const v0 = m12[o0 + c] * i0, v1 = m12[o1 + c] * i1, v2 = m12[o2 + c] * i2, v3 = m12[o3 + c] * i3;
    const oc = c * r;
    for (let e = c; e < r; e++) S[oc + e] -= v0 * m12[o0 + e] + v1 * m12[o1 + e] + v2 * m12[o2 + e] + v3 * m12[o3 + e];
  }
}

/**
 * c12 = -D1^-1 M12 C22 (q1 x q2, row-major as M12) and c11[l] = (1 - sum_b c12[l, b] m12[l, b]) / d1[l],
 * for C22 symmetric (q2 x q2; both triangles filled).
 */
export function rowsTimesSymmetric(m12: Float64Array, d1: Float64Array, C22: Float64Array, q1: number, q2: number, c12: Float64Array, c11: Float64Array): void {
  // For the kernels, a run of consecutive dense rows [first, first + count), scaled by D1^-1 into Bt
  // (count x q2, column-major): their rows of C12 (q2 x count column-major at c12[first q2]) -= C22 Bt'.
  const Bt = q2 >= KERNEL_MIN ? panelOf(CHUNK * q2) : null, nz = columnsOf(q2);
  let first = 0, count = 0;
  const flush = (): void => {
    if (Bt === null || count === 0) return;
    for (let j = 0; j < count; j++) {
      const o = (first + j) * q2, inv = 1 / d1[first + j];
      for (let a = 0; a < q2; a++) Bt[j + a * count] = m12[o + a] * inv;
    }
    c12.fill(0, first * q2, (first + count) * q2);
    symmLowerNTSub(q2, count, C22, q2, Bt, 0, count, c12, first * q2, q2);
    for (let l = first; l < first + count; l++) {
      const o = l * q2;
      let s = 0;
      for (let b = 0; b < q2; b++) s += c12[o + b] * m12[o + b];
      c11[l] = (1 - s) / d1[l];
    }
    count = 0;
  };
  let l = 0;
  while (l < q1) {
    if (l + 4 > q1 || !mostlyNonzero(m12, l * q2, q2)) {
      flush();
      const end = Math.min(l + 4, q1);
      for (; l < end; l++) c12SparseRow(m12, d1, C22, l, q2, c12, c11, nz);
      continue;
    }
    if (Bt === null) {
      c12FourRows(m12, d1, C22, l, q2, c12, c11);
    } else {
      if (count === 0) first = l;
      count += 4;
      if (count + 4 > CHUNK) {
        l += 4;
        flush();
        continue;
      }
    }
    l += 4;
  }
  flush();
}

/** Rows l..l+3 of C12 and c11 by plain loops: four dot products with each row of C22 (its column). */
function c12FourRows(m12: Float64Array, d1: Float64Array, C22: Float64Array, l: number, q2: number, c12: Float64Array, c11: Float64Array): void {
  const o0 = l * q2, o1 = o0 + q2, o2 = o1 + q2, o3 = o2 + q2;
  const i0 = 1 / d1[l], i1 = 1 / d1[l + 1], i2 = 1 / d1[l + 2], i3 = 1 / d1[l + 3];
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let b = 0; b < q2; b++) {
    const ob = b * q2;
    let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    for (let a = 0; a < q2; a++) {
      const v = C22[ob + a];
      t0 += v * m12[o0 + a];
      t1 += v * m12[o1 + a];
      t2 += v * m12[o2 + a];
      t3 += v * m12[o3 + a];
    }
    c12[o0 + b] = -i0 * t0;
    c12[o1 + b] = -i1 * t1;
    c12[o2 + b] = -i2 * t2;
    c12[o3 + b] = -i3 * t3;
    s0 += t0 * m12[o0 + b];
    s1 += t1 * m12[o1 + b];
    s2 += t2 * m12[o2 + b];
    s3 += t3 * m12[o3 + b];
  }
  c11[l] = (1 + i0 * s0) * i0;
  c11[l + 1] = (1 + i1 * s1) * i1;
  c11[l + 2] = (1 + i2 * s2) * i2;
  c11[l + 3] = (1 + i3 * s3) * i3;
}
