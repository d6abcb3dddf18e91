/**
 * Triangular solves with one right-hand side, L lower triangular n x n,
 * column-major at l[offL + i + j*ldl]; x is overwritten by the solution.
 *
 *   trsvLower:      L x = b   (forward substitution)
 *   trsvLowerTrans: L' x = b  (back substitution)
 */
export function trsvLower(n: number, l: Float64Array, offL: number, ldl: number, x: Float64Array, offX: number): void {
  for (let j = 0; j < n; j++) {
    const lj = offL + j * ldl;
    const v = x[offX + j] / l[lj + j];
    x[offX + j] = v;
    if (v === 0) continue;
    for (let i = j + 1; i < n; i++) x[offX + i] -= l[lj + i] * v;
  }
}

export function trsvLowerTrans(n: number, l: Float64Array, offL: number, ldl: number, x: Float64Array, offX: number): void {
  for (let j = n - 1; j >= 0; j--) {
    const lj = offL + j * ldl;
    let s = x[offX + j];
    for (let i = j + 1; i < n; i++) s -= l[lj + i] * x[offX + i];
    x[offX + j] = s / l[lj + j];
  }
}
