import type { ModelFrame } from '../frame/types.js';
import type { FactorBlock } from './factorBlocks.js';

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
}

/** Growable pair table for one off-diagonal block while scanning the rows. */
class PairTable {
  readonly map = new Map<number, number>();
  rowLev: number[] = [];
  colLev: number[] = [];
  values: Float64Array;
  constructor(readonly nlRow: number, readonly size: number) {
    this.values = new Float64Array(64 * size);
  }
  slot(row: number, col: number): number {
    const key = col * this.nlRow + row;
    let e = this.map.get(key);
    if (e === undefined) {
      e = this.rowLev.length;
      this.map.set(key, e);
      this.rowLev.push(row);
      this.colLev.push(col);
      if ((e + 1) * this.size > this.values.length) {
        const grown = new Float64Array(this.values.length * 2);
        grown.set(this.values);
        this.values = grown;
      }
    }
    return e * this.size;
  }
}

function toSparse(t: PairTable, nlCol: number, kRow: number, kCol: number): SparseBlock {
  const npairs = t.rowLev.length;
  const order = Array.from({ length: npairs }, (_, e) => e).sort(
    (a, b) => t.colLev[a] - t.colLev[b] || t.rowLev[a] - t.rowLev[b],
  );
  const colptr = new Int32Array(nlCol + 1);
  for (const c of t.colLev) colptr[c + 1]++;
  for (let c = 0; c < nlCol; c++) colptr[c + 1] += colptr[c];
  const rowidx = new Int32Array(npairs);
  const values = new Float64Array(npairs * t.size);
  order.forEach((e, pos) => {
    rowidx[pos] = t.rowLev[e];
    values.set(t.values.subarray(e * t.size, (e + 1) * t.size), pos * t.size);
  });
  return { kind: 'sparse', nlRow: t.nlRow, nlCol, kRow, kCol, colptr, rowidx, values };
}

/** Forms A in one pass over the rows. Weights must be positive (validated by the caller). */
export function formBlocks(frame: ModelFrame, factors: readonly FactorBlock[]): LmmBlocks {
  const n = frame.nobs, p = frame.p, P = p + 1, m = factors.length;
  const { X, y, weights, offset } = frame;
  const diag: BlockDiagonal[] = factors.map((f) => ({ kind: 'blockdiag', nl: f.nl, k: f.k, values: new Float64Array(f.nl * f.k * f.k) }));
  const pairs: PairTable[][] = factors.map((fi, i) => factors.slice(0, i).map((fj) => new PairTable(fi.nl, fi.k * fj.k)));
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
      for (let i = 0; i < j; i++) {
        // A_ji: row factor j, column factor i (i < j).
        const tab = pairs[j][i], ki = factors[i].k, zi = zs[i];
        const o2 = tab.slot(lev[j], lev[i]);
        const v = tab.values;
        for (let c = 0; c < ki; c++) for (let a = 0; a < k; a++) v[o2 + a + c * k] += z[a] * zi[c];
      }
    }
    for (let c = 0; c < P; c++) {
      const xc = xrow[c];
      for (let a = c; a < P; a++) xx[a + c * P] += xrow[a] * xc;
    }
  }
  for (let c = 0; c < P; c++) for (let a = c + 1; a < P; a++) xx[c + a * P] = xx[a + c * P];
  const off = pairs.map((row, i) => row.map((tab, j) => toSparse(tab, factors[j].nl, factors[i].k, factors[j].k)));
  return { factors, nobs: n, p, diag, off, xz, xx, ldW };
}

/**
 * The block structure of L (MixedModels.jl's BlockDescription): one row and
 * column per factor block, then the fixed effects with the response.
 * L_00 keeps A_00's (block) diagonal form, L_i0 keeps A_i0's sparsity,
 * everything to the right of the first block column fills in (dense).
 */
export function describeBlocks(blocks: LmmBlocks): string {
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
