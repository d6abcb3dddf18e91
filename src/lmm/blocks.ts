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
 * A_ij (i > j) by column level of factor j: for each level b, its rows' levels
 * of factor i are collected and sorted, then the k_i x k_j products summed into
 * their slots. Two passes over each level's rows; no hashing, no per-pair objects.
 * `w2`: the prior weights (or null).
 */
function pairBlock(fi: FactorBlock, fj: FactorBlock, byCol: { ptr: Int32Array; order: Int32Array }, w2: Float64Array | null): SparseBlock {
  const ki = fi.k, kj = fj.k, size = ki * kj, n = fi.refs.length;
  const colptr = new Int32Array(fj.nl + 1);
  let rowidx = new Int32Array(Math.min(n, 1024));
  let values = new Float64Array(rowidx.length * size);
  const mark = new Int32Array(fi.nl).fill(-1), slot = new Int32Array(fi.nl);
  let nnz = 0;
  for (let b = 0; b < fj.nl; b++) {
    const start = nnz, x0 = byCol.ptr[b], x1 = byCol.ptr[b + 1];
    for (let x = x0; x < x1; x++) {
      const a = fi.refs[byCol.order[x]];
      if (mark[a] === b) continue;
      mark[a] = b;
      if (nnz === rowidx.length) {
        const len = Math.min(n, 2 * rowidx.length);
        const r2 = new Int32Array(len), v2 = new Float64Array(len * size);
        r2.set(rowidx);
        v2.set(values);
        rowidx = r2;
        values = v2;
      }
      rowidx[nnz++] = a;
    }
    rowidx.subarray(start, nnz).sort();
    for (let e = start; e < nnz; e++) slot[rowidx[e]] = e;
    for (let x = x0; x < x1; x++) {
      const r = byCol.order[x], o = slot[fi.refs[r]] * size, w = w2 ? w2[r] : 1;
      for (let c = 0; c < kj; c++) {
        const zc = fj.z[r * kj + c] * w;
        for (let a = 0; a < ki; a++) values[o + a + c * ki] += fi.z[r * ki + a] * zc;
      }
    }
    colptr[b + 1] = nnz;
  }
  return { kind: 'sparse', nlRow: fi.nl, nlCol: fj.nl, kRow: ki, kCol: kj, colptr, rowidx: rowidx.slice(0, nnz), values: values.slice(0, nnz * size) };
}

/**
 * Forms A: the diagonal blocks and the [X y] blocks in one pass over the rows,
 * each off-diagonal block by pairBlock. Weights must be positive (validated by the caller).
 */
export function formBlocks(frame: ModelFrame, factors: readonly FactorBlock[]): LmmBlocks {
  const n = frame.nobs, p = frame.p, P = p + 1, m = factors.length;
  const { X, y, weights, offset } = frame;
  const diag: BlockDiagonal[] = factors.map((f) => ({ kind: 'blockdiag', nl: f.nl, k: f.k, values: new Float64Array(f.nl * f.k * f.k) }));
  const xz = factors.map((f) => new Float64Array(P * f.nl * f.k));
  const xx = new Float64Array(P * P);
  const xrow = new Float64Array(P);
  const zs = factors.map((f) => new Float64Array(f.k));
  const lev = new Int32Array(m);
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
      const f = factors[j], k = f.k, z = zs[j];
      lev[j] = f.refs[r];
      for (let c = 0; c < k; c++) z[c] = f.z[r * k + c] * w;
      const d = diag[j].values, o = lev[j] * k * k;
      for (let c = 0; c < k; c++) for (let a = 0; a < k; a++) d[o + a + c * k] += z[a] * z[c];
      const xzj = xz[j];
      for (let c = 0; c < k; c++) {
        const col = (lev[j] * k + c) * P, zc = z[c];
        for (let t = 0; t < P; t++) xzj[col + t] += xrow[t] * zc;
      }
    }
    for (let c = 0; c < P; c++) {
      const xc = xrow[c];
      for (let a = c; a < P; a++) xx[a + c * P] += xrow[a] * xc;
    }
  }
  for (let c = 0; c < P; c++) for (let a = c + 1; a < P; a++) xx[c + a * P] = xx[a + c * P];
  const byCol = factors.map((f, j) => (j < m - 1 ? rowsByLevel(f.refs, f.nl) : null));
  const off = factors.map((fi, i) => factors.slice(0, i).map((fj, j) => pairBlock(fi, fj, byCol[j]!, weights)));
  return { factors, nobs: n, p, diag, off, xz, xx, ldW, yShift: null };
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
