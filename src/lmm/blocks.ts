import type { ModelFrame } from '../frame/types.js';
import type { FactorBlock } from './factorBlocks.js';
import { expectArgument } from '../errors.js';

/**
 * A = [Z_1 ... Z_m X y]' W [Z_1 ... Z_m X y], formed once, by blocks
 * (Bates, Alday, Kokandakar; MixedModels.jl). W = diag(prior weights); the
 * response enters as y - offset. Block row/column j < m belongs to factor
 * block j (q_j = nl_j * k_j columns, level-major: column lev*k + c); the last
 * block row/column is [X y] (P = p + 1 columns, y last).
 *
 * Storage, by kind:
 * - A_jj (j < m): block diagonal, nl_j blocks of k_j x k_j (column-major, full).
 * - A_ij (j < i < m): sparse by level pairs: for column level b, the pairs
 *   colptr[b] .. colptr[b+1]-1 hold the row level rowidx[e] and a k_i x k_j
 *   block at values[e*k_i*k_j] (counts of co-occurring levels when k = 1).
 * - A_Tj: dense P x q_j, column-major.  A_TT: dense P x P (both triangles).
 */
export interface BlockDiagonal {
  kind: 'blockdiag';
  nl: number;
  k: number;
  values: Float64Array;
}

export interface SparseBlock {
  kind: 'sparse';
  /** Levels of the row factor and of the column factor. */
  nlRow: number;
  nlCol: number;
  kRow: number;
  kCol: number;
  colptr: Int32Array;
  rowidx: Int32Array;
  values: Float64Array;
}

export interface LmmBlocks {
  factors: readonly FactorBlock[];
  nobs: number;
  p: number;
  /** A_jj. */
  diag: BlockDiagonal[];
  /** off[i][j] = A_ij for j < i (off[i] has length i). */
  off: SparseBlock[][];
  /** A_Tj: P x q_j. */
  xz: Float64Array[];
  /** A_TT: P x P. */
  xx: Float64Array;
  /** sum(log w) over the prior weights (0 without weights). */
  ldW: number;
  /**
   * c when the response column holds y - offset - X c instead of y - offset
   * (conditioning/responseShift.ts; beta = beta~ + c), else null.
   */
  yShift: Float64Array | null;
}

/** Rows grouped by level of one factor (counting sort): rows of level b are order[ptr[b] .. ptr[b+1]-1], increasing. */
function rowsByLevel(refs: Int32Array, nl: number): { ptr: Int32Array; order: Int32Array } {
  const ptr = new Int32Array(nl + 1);
  for (let r = 0; r < refs.length; r++) ptr[refs[r] + 1]++;
  for (let b = 0; b < nl; b++) ptr[b + 1] += ptr[b];
  const next = ptr.slice(0, nl), order = new Int32Array(refs.length);
  for (let r = 0; r < refs.length; r++) order[next[refs[r]]++] = r;
  return { ptr, order };
}

/**
 * A_ij (i > j) by column level of factor j: the rows' levels of factor i in the order of
 * their level of factor j (a scatter in one pass over the rows, the order of rowsByLevel),
 * then for each column level b the distinct ones counted (the pattern, so the arrays are
 * made at their size), gathered and sorted, and the k_i x k_j products summed into their
 * slots. No hashing, no per-pair objects. Two scalar terms whose z is all ones, without
 * weights, are counts: their sums then read no row's z. (lmm_crossed_1e6, 1e6 rows over
 * 50,000 x 2,000 levels: 0.12 s, from 0.18 s when each row's level was read through
 * rowsByLevel's order, a random read, and the arrays grew by doubling.)
 * `w2`: the prior weights (or null).
 */
function pairBlock(fi: FactorBlock, fj: FactorBlock, byCol: { ptr: Int32Array; order: Int32Array }, w2: Float64Array | null): SparseBlock {
  const ki = fi.k, kj = fj.k, size = ki * kj, n = fi.refs.length, nl = fj.nl;
  const { ptr, order } = byCol;
  // levels[x] is the level of factor i of row order[x]: the same stable counting sort as rowsByLevel's.
  const levels = new Int32Array(n), next = ptr.slice(0, nl), refsI = fi.refs, refsJ = fj.refs;
  for (let r = 0; r < n; r++) levels[next[refsJ[r]]++] = refsI[r];
  const mark = new Int32Array(fi.nl).fill(-1), colptr = new Int32Array(nl + 1);
  for (let b = 0; b < nl; b++) {
    let count = 0;
    for (let x = ptr[b]; x < ptr[b + 1]; x++) {
      const a = levels[x];
      if (mark[a] !== b) {
        mark[a] = b;
        count++;
      }
    }
    colptr[b + 1] = colptr[b] + count;
  }
  const nnz = colptr[nl], rowidx = new Int32Array(nnz), values = new Float64Array(nnz * size), slot = new Int32Array(fi.nl);
  const counts = size === 1 && w2 === null && allOnes(fi.z) && allOnes(fj.z);
  mark.fill(-1);
  for (let b = 0; b < nl; b++) {
    const x0 = ptr[b], x1 = ptr[b + 1];
    let e = colptr[b];
    for (let x = x0; x < x1; x++) {
      const a = levels[x];
      if (mark[a] !== b) {
        mark[a] = b;
        rowidx[e++] = a;
      }
    }
    sortRun(rowidx, colptr[b], e);
    for (let f = colptr[b]; f < e; f++) slot[rowidx[f]] = f;
    if (counts) {
      for (let x = x0; x < x1; x++) values[slot[levels[x]]] += 1;
      continue;
    }
    for (let x = x0; x < x1; x++) {
      const r = order[x], o = slot[levels[x]] * size, w = w2 ? w2[r] : 1;
      for (let c = 0; c < kj; c++) {
        const zc = fj.z[r * kj + c] * w;
        for (let a = 0; a < ki; a++) values[o + a + c * ki] += fi.z[r * ki + a] * zc;
      }
    }
  }
  return { kind: 'sparse', nlRow: fi.nl, nlCol: nl, kRow: ki, kCol: kj, colptr, rowidx, values };
}

/** Whether every element is 1 (a (1 | g) term's z). */
function allOnes(z: Float64Array): boolean {
  for (let r = 0; r < z.length; r++) if (z[r] !== 1) return false;
  return true;
}

/** Sorts a[from .. to) increasingly: by insertion when short (most levels' runs), else by the typed array's sort. */
function sortRun(a: Int32Array, from: number, to: number): void {
  if (to - from > 32) {
    a.subarray(from, to).sort();
    return;
  }
  for (let e = from + 1; e < to; e++) {
    const v = a[e];
    let q = e - 1;
    while (q >= from && a[q] > v) {
      a[q + 1] = a[q];
      q--;
    }
    a[q + 1] = v;
  }
}

/**
 * Forms A: the diagonal blocks and the [X y] blocks from the rows, each
 * off-diagonal block by pairBlock. Weights must be positive (validated by the caller).
 */
export function formBlocks(frame: ModelFrame, factors: readonly FactorBlock[]): LmmBlocks {
  const n = frame.nobs, p = frame.p, P = p + 1, m = factors.length;
  const diag: BlockDiagonal[] = factors.map((f) => ({ kind: 'blockdiag', nl: f.nl, k: f.k, values: new Float64Array(f.nl * f.k * f.k) }));
  const xz = factors.map((f) => new Float64Array(P * f.nl * f.k));
  const xx = new Float64Array(P * P);
  const ldW = factors.every((f) => f.k === 1) ? scalarSums(frame, factors, diag, xz, xx) : rowSums(frame, factors, diag, xz, xx);
  for (let c = 0; c < P; c++) for (let a = c + 1; a < P; a++) xx[c + a * P] = xx[a + c * P];
  const byCol = factors.map((f, j) => (j < m - 1 ? rowsByLevel(f.refs, f.nl) : null));
  const off = factors.map((fi, i) => factors.slice(0, i).map((fj, j) => pairBlock(fi, fj, byCol[j]!, frame.weights)));
  return { factors, nobs: n, p, diag, off, xz, xx, ldW, yShift: null };
}

/** A_jj, A_Tj and A_TT's lower triangle in one pass over the rows, for blocks of any k; returns sum(log w). */
function rowSums(frame: ModelFrame, factors: readonly FactorBlock[], diag: BlockDiagonal[], xz: Float64Array[], xx: Float64Array): number {
  const n = frame.nobs, p = frame.p, P = p + 1, m = factors.length;
  const { X, y, weights, offset } = frame;
  const xrow = new Float64Array(P);
  const zs = factors.map((f) => new Float64Array(f.k));
  let ldW = 0;
  for (let r = 0; r < n; r++) {
    let w = 1;
    if (weights) {
      ldW += Math.log(weights[r]);
      w = Math.sqrt(weights[r]);
    }
    for (let t = 0; t < p; t++) xrow[t] = X[r + t * n] * w;
    xrow[p] = (offset ? y[r] - offset[r] : y[r]) * w;
    for (let j = 0; j < m; j++) {
      const f = factors[j], k = f.k, z = zs[j], lev = f.refs[r];
      for (let c = 0; c < k; c++) z[c] = f.z[r * k + c] * w;
      const d = diag[j].values, o = lev * k * k;
      for (let c = 0; c < k; c++) for (let a = 0; a < k; a++) d[o + a + c * k] += z[a] * z[c];
      const xzj = xz[j];
      for (let c = 0; c < k; c++) {
        const col = (lev * k + c) * P, zc = z[c];
        for (let t = 0; t < P; t++) xzj[col + t] += xrow[t] * zc;
      }
    }
    for (let c = 0; c < P; c++) {
      const xc = xrow[c];
      for (let a = c; a < P; a++) xx[a + c * P] += xrow[a] * xc;
    }
  }
  return ldW;
}

/**
 * rowSums for scalar blocks (k = 1), one sum at a time over the rows: A_TT, then per factor
 * A_jj and each column of A_Tj. Each sum takes its rows in the same order and its terms as
 * rowSums forms them, so the blocks are the same to the bit; with one level read per row and
 * sum, a pass keeps few arrays in cache (lmm_crossed_1e6: formBlocks with pairBlock's change,
 * 0.31-0.36 s -> 0.15-0.19 s over three calls in one process).
 */
function scalarSums(frame: ModelFrame, factors: readonly FactorBlock[], diag: BlockDiagonal[], xz: Float64Array[], xx: Float64Array): number {
  const n = frame.nobs, P = frame.p + 1, weights = frame.weights;
  let ldW = 0;
  if (weights) for (let r = 0; r < n; r++) ldW += Math.log(weights[r]);
  // The weighted z and the columns of [X y], each made once for all sums.
  const sw = weights ? Float64Array.from(weights, Math.sqrt) : null;
  const cols = Array.from({ length: P }, (_, t) => weightedColumn(frame, t, sw));
  for (let c = 0; c < P; c++) {
    for (let a = c; a < P; a++) {
      const u = cols[a], v = cols[c];
      let s = 0;
      for (let r = 0; r < n; r++) s += u[r] * v[r];
      xx[a + c * P] = s;
    }
  }
  factors.forEach((f, j) => {
    const refs = f.refs, d = diag[j].values, xzj = xz[j];
    const z = sw === null ? f.z : f.z.map((v, r) => v * sw[r]);
    for (let r = 0; r < n; r++) {
      const zr = z[r];
      d[refs[r]] += zr * zr;
    }
    for (let t = 0; t < P; t++) {
      const col = cols[t];
      for (let r = 0; r < n; r++) xzj[refs[r] * P + t] += col[r] * z[r];
    }
  });
  return ldW;
}

/** Column t of the weighted [X y] (y less the offset): X's own column when there are no weights. */
function weightedColumn(frame: ModelFrame, t: number, sw: Float64Array | null): Float64Array {
  const { X, y, offset, nobs: n, p } = frame;
  if (t < p) return sw === null ? X.subarray(t * n, (t + 1) * n) : X.subarray(t * n, (t + 1) * n).map((x, r) => x * sw[r]);
  if (offset === null && sw === null) return y;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = (offset ? y[r] - offset[r] : y[r]) * (sw === null ? 1 : sw[r]);
  return out;
}

/**
 * The block structure of L (MixedModels.jl's BlockDescription): one row and
 * column per factor block, then the fixed effects with the response.
 * L_00 keeps A_00's (block) diagonal form, L_i0 keeps A_i0's sparsity,
 * everything to the right of the first block column fills in (dense).
 */
export function describeBlocks(blocks: LmmBlocks): string {
  expectArgument('describeBlocks', 'blocks', blocks, { object: "an LMM problem's blocks (lmmProblem(frame).A)", keys: ['factors', 'p'] });
  const f = blocks.factors;
  const names = [...f.map((b) => b.group), 'fixed'];
  const sizes = [...f.map((b) => b.nl * b.k), blocks.p + 1];
  const kind = (i: number, j: number): string => {
    if (i === f.length || j > 0) return 'Dense';
    if (i === 0) return f[0].k === 1 ? 'Diagonal' : 'BlkDiag';
    return 'Sparse';
  };
  const width = Math.max(9, ...names.map((s) => s.length + 1));
  const pad = (s: string): string => s.padEnd(width);
  const lines = ['rows:'.padEnd(14) + names.map(pad).join('')];
  for (let i = 0; i < names.length; i++) {
    const cells = names.slice(0, i + 1).map((_, j) => pad(kind(i, j)));
    lines.push(`${names[i]} (${sizes[i]}):`.padEnd(14) + cells.join(''));
  }
  return lines.map((l) => l.trimEnd()).join('\n');
}
