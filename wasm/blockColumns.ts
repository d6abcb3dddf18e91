// Lower-triangle storage of an n x n matrix by block columns of NB columns (wasm/dense.ts):
// block column J holds rows j0 .. n - 1 of columns j0 .. j0 + NB - 1 (j0 = J NB), column-major
// with leading dimension n - j0, one block column after the other. About n^2 / 2 + n NB / 2
// doubles instead of n^2; element [i, j] exists for i >= j0 of j's block column (the diagonal
// blocks are stored whole, their upper parts unused).

/** Width of a block column; a multiple of 4, so that a 4-column tile never straddles two. */
export const NB: i32 = 64;

/** Doubles before block column J. */
function blockStart(n: i32, J: i32): i32 {
  return NB * (J * n - NB * ((J * (J - 1)) >> 1));
}

/** Doubles of the storage for order n. */
export function storage(n: i32): i32 {
  const J = (n - 1) / NB, w = n - J * NB;
  return blockStart(n, J) + w * w;
}

/** Index (in doubles) of element [0, j], so that element [i, j] is at column(n, j) + i (for stored i). */
export function column(n: i32, j: i32): i32 {
  const J = j / NB, j0 = J * NB;
  return blockStart(n, J) - j0 + (j - j0) * (n - j0);
}

/** Byte address of element [0, j] of the matrix stored at a. */
export function colAt(a: usize, n: i32, j: i32): usize {
  return a + (<usize>column(n, j) << 3);
}

/** Leading dimension (in doubles) of column j's block column. */
export function ldOf(n: i32, j: i32): i32 {
  return n - (j / NB) * NB;
}
