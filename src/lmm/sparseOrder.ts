import type { SparseBlock } from './blocks.js';

/**
 * The entries of a sparse block (CSC by column level) grouped by row level:
 * the entries with row level a are entry[rowptr[a] .. rowptr[a+1]-1], in
 * increasing column order; colOf[e] is the column level of entry e.
 * Products that write one dense column per row level (L_i0 L_j0' in
 * updateL, W-weighted sums in the gradient) walk this order so that their
 * writes stay within one column instead of jumping across a large matrix.
 */
export interface RowOrder {
  rowptr: Int32Array;
  entry: Int32Array;
  colOf: Int32Array;
  /** stop[x] = colptr[colOf[entry[x]] + 1]: the end of entry x's column (saves two random reads). */
  stop: Int32Array;
}

export function rowOrderOf(nlCol: number, colptr: Int32Array, rowidx: Int32Array, nlRow: number): RowOrder {
  const nnz = colptr[nlCol];
  const rowptr = new Int32Array(nlRow + 1);
  for (let e = 0; e < nnz; e++) rowptr[rowidx[e] + 1]++;
  for (let a = 0; a < nlRow; a++) rowptr[a + 1] += rowptr[a];
  const next = rowptr.slice(0, nlRow);
  const entry = new Int32Array(nnz), colOf = new Int32Array(nnz), stop = new Int32Array(nnz);
  for (let b = 0; b < nlCol; b++) {
    for (let e = colptr[b]; e < colptr[b + 1]; e++) {
      colOf[e] = b;
      const x = next[rowidx[e]]++;
      entry[x] = e;
      stop[x] = colptr[b + 1];
    }
  }
  return { rowptr, entry, colOf, stop };
}

const cache = new WeakMap<SparseBlock, RowOrder>();

/** rowOrderOf for a block of A, computed once per block. */
export function rowOrder(S: SparseBlock): RowOrder {
  let o = cache.get(S);
  if (!o) {
    o = rowOrderOf(S.nlCol, S.colptr, S.rowidx, S.nlRow);
    cache.set(S, o);
  }
  return o;
}
