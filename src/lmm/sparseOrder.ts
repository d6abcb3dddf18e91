import type { SparseBlock } from './blocks.js';

/**
 * The entries of a sparse block (CSC by column level) grouped by row level:
 * the entries with row level a are entry[rowptr[a] .. rowptr[a+1]-1], in
 * increasing column order; colOf[e] is the column level of entry e.
 * The product L_i0 L_j0' of two different blocks (updateL) walks this order
 * so that its writes stay within one column instead of jumping across a
 * large matrix.
 */
export interface RowOrder {
  rowptr: Int32Array;
  entry: Int32Array;
  colOf: Int32Array;
}

export function rowOrderOf(nlCol: number, colptr: Int32Array, rowidx: Int32Array, nlRow: number): RowOrder {
  const nnz = colptr[nlCol];
  const rowptr = new Int32Array(nlRow + 1);
  for (let e = 0; e < nnz; e++) rowptr[rowidx[e] + 1]++;
  for (let a = 0; a < nlRow; a++) rowptr[a + 1] += rowptr[a];
  const next = rowptr.slice(0, nlRow);
  const entry = new Int32Array(nnz), colOf = new Int32Array(nnz);
  for (let b = 0; b < nlCol; b++) {
    for (let e = colptr[b]; e < colptr[b + 1]; e++) {
      colOf[e] = b;
      const x = next[rowidx[e]]++;
      entry[x] = e;
    }
  }
  return { rowptr, entry, colOf };
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
