/**
 * The two dense products of the crossed layout (crossedSystem.ts, crossedGradient.ts) over the
 * rows of M12 (q1 x r, row-major; row l couples level l of the largest factor with the rest):
 *
 *   schurLower:  S -= M12' D1^-1 M12, the Schur complement of D1, on S's lower triangle;
 *   rowsTimesSymmetric:  C12 = -D1^-1 M12 C22 (C22 symmetric), and with it
 *                 diag C11 = (1 - rowsum(C12 .* M12)) / D1.
 *
 * Both cost q1 r^2 multiply-adds when M12 is dense (VerbAgg: every subject meets every item) and
 * far less when its rows are sparse (a user meets few of the items), where only a row's nonzero
 * entries are taken. Rows that are at least half nonzero are taken four at a time: each element
 * of S (or of C22) is then read and written once for four rows, not once a row, which makes the
 * dense case 2 to 2.5 times faster. The four rows' terms are added before they are subtracted,
 * so the results differ from row-by-row sums in the last bits.
 */

/** Whether the four rows of width r at offset o hold at least 2r nonzero entries. */
function mostlyNonzero(m12: Float64Array, o: number, r: number): boolean {
  let zeros = 0;
  for (let k = o, end = o + 4 * r; k < end; k++) if (m12[k] === 0) zeros++;
  return zeros <= 2 * r;
}

/**
 * S -= M12' D1^-1 M12 on the lower triangle of S (column-major, order and leading dimension r:
 * column c holds rows c..r-1 at S[c r + c ..]); M12 is q1 x r row-major.
 */
export function schurLower(S: Float64Array, m12: Float64Array, d1: Float64Array, q1: number, r: number): void {
  let l = 0;
  while (l < q1) {
    const o0 = l * r;
    if (l + 4 <= q1 && mostlyNonzero(m12, o0, r)) {
      const o1 = o0 + r, o2 = o1 + r, o3 = o2 + r;
      const i0 = 1 / d1[l], i1 = 1 / d1[l + 1], i2 = 1 / d1[l + 2], i3 = 1 / d1[l + 3];
      for (let c = 0; c < r; c++) {
        const v0 = m12[o0 + c] * i0, v1 = m12[o1 + c] * i1, v2 = m12[o2 + c] * i2, v3 = m12[o3 + c] * i3;
        const oc = c * r;
        for (let e = c; e < r; e++) S[oc + e] -= v0 * m12[o0 + e] + v1 * m12[o1 + e] + v2 * m12[o2 + e] + v3 * m12[o3 + e];
      }
      l += 4;
      continue;
    }
    const inv = 1 / d1[l];
    for (let c = 0; c < r; c++) {
      const vc = m12[o0 + c] * inv;
      if (vc === 0) continue;
      const oc = c * r;
      for (let e = c; e < r; e++) S[oc + e] -= vc * m12[o0 + e];
    }
    l++;
  }
}

/**
 * c12 = -D1^-1 M12 C22 (q1 x q2, row-major as M12) and c11[l] = (1 - sum_b c12[l, b] m12[l, b]) / d1[l],
 * for C22 symmetric (q2 x q2; both triangles filled).
 */
export function rowsTimesSymmetric(m12: Float64Array, d1: Float64Array, C22: Float64Array, q1: number, q2: number, c12: Float64Array, c11: Float64Array): void {
  let l = 0;
  while (l < q1) {
    const o0 = l * q2;
    if (l + 4 <= q1 && mostlyNonzero(m12, o0, q2)) {
      // Row b of C22 is its column b: four dot products with it per b.
      const o1 = o0 + q2, o2 = o1 + q2, o3 = o2 + q2;
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
      l += 4;
      continue;
    }
    // A sparse row: C22's rows at its nonzero entries only.
    const dinv = 1 / d1[l];
    c12.fill(0, o0, o0 + q2);
    for (let a = 0; a < q2; a++) {
      const v = m12[o0 + a];
      if (v === 0) continue;
      const oa = a * q2;
      for (let b = 0; b < q2; b++) c12[o0 + b] -= v * C22[oa + b];
    }
    let s = 0;
    for (let b = 0; b < q2; b++) {
      c12[o0 + b] *= dinv;
      s += c12[o0 + b] * m12[o0 + b];
    }
    c11[l] = (1 - s) * dinv;
    l++;
  }
}
