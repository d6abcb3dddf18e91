/** Euclidean norm. */
export function norm(v: Float64Array): number {
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += v[i] * v[i];
  return Math.sqrt(ss);
}

/**
 * Removes from v (in place) its components along the orthonormal vectors of
 * `basis` by classical Gram-Schmidt, repeated once when the first pass removed
 * most of v (norm below 1/sqrt(2) of before: Kahan's "twice is enough"), which
 * keeps v orthogonal to the basis to rounding error. Returns the final norm of v.
 *
 * The first pass's inner products touch only v's nonzero entries, so
 * indicator columns cost half as much.
 */
export function orthogonalise(v: Float64Array, basis: readonly Float64Array[]): number {
  const before = norm(v);
  subtract(v, basis, innerProducts(v, basis, nonzeros(v)));
  const after = norm(v);
  if (after >= before * Math.SQRT1_2) return after;
  subtract(v, basis, innerProducts(v, basis, null));
  return norm(v);
}

/** Indices of v's nonzero entries, or null when more than half are nonzero. */
function nonzeros(v: Float64Array): Int32Array | null {
  let count = 0;
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) count++;
  if (count > v.length / 2) return null;
  const idx = new Int32Array(count);
  for (let i = 0, k = 0; i < v.length; i++) if (v[i] !== 0) idx[k++] = i;
  return idx;
}

function innerProducts(v: Float64Array, basis: readonly Float64Array[], support: Int32Array | null): Float64Array {
  const coef = new Float64Array(basis.length);
  for (let k = 0; k < basis.length; k++) {
    const q = basis[k];
    let dot = 0;
    if (support === null) for (let i = 0; i < v.length; i++) dot += v[i] * q[i];
    else for (const i of support) dot += v[i] * q[i];
    coef[k] = dot;
  }
  return coef;
}

function subtract(v: Float64Array, basis: readonly Float64Array[], coef: Float64Array): void {
  for (let k = 0; k < basis.length; k++) {
    const q = basis[k];
    const c = coef[k];
    if (c === 0) continue;
    for (let i = 0; i < v.length; i++) v[i] -= c * q[i];
  }
}
