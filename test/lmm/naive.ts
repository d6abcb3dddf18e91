/**
 * A dense reference for the blocked computations: Z and Lambda built
 * explicitly from the frame (lme4's term order, level-major columns), the
 * whole matrix [Lambda'Z'WZ Lambda + I, ...; ...] formed and factored densely.
 */
import type { ModelFrame } from '../../src/frame/types.js';
import { potrfUnblocked } from '../../src/linalg/potrf.js';

export interface Dense {
  /** Order q + p + 1, column-major, lower Cholesky factor. */
  L: Float64Array;
  size: number;
  q: number;
}

export function denseFactor(frame: ModelFrame, theta: number[]): Dense {
  const n = frame.nobs, p = frame.p;
  const cols: Float64Array[] = [];
  const lam: { col: number; rows: number[]; vals: number[] }[] = [];
  let ti = 0;
  for (const t of frame.reTerms) {
    const base = cols.length, k = t.k;
    const T = new Float64Array(k * k);
    for (let c = 0; c < k; c++) for (let r = c; r < k; r++) T[r + c * k] = theta[ti++];
    for (let lev = 0; lev < t.levels.length; lev++) {
      for (let c = 0; c < k; c++) {
        const z = new Float64Array(n);
        for (let i = 0; i < n; i++) if (t.refs[i] === lev) z[i] = t.z[i * k + c];
        cols.push(z);
        const rows: number[] = [], vals: number[] = [];
        for (let r = c; r < k; r++) {
          rows.push(base + lev * k + r);
          vals.push(T[r + c * k]);
        }
        lam.push({ col: base + lev * k + c, rows, vals });
      }
    }
  }
  const q = cols.length;
  // Columns of Z Lambda, then X, then y - offset, each times sqrt(w).
  const zl = Array.from({ length: q }, () => new Float64Array(n));
  for (const { col, rows, vals } of lam) rows.forEach((r, e) => zl[col].forEach((_, i) => (zl[col][i] += cols[r][i] * vals[e])));
  const all = [...zl];
  for (let t = 0; t < p; t++) all.push(frame.X.slice(t * n, (t + 1) * n));
  all.push(frame.y.map((y, i) => y - (frame.offset ? frame.offset[i] : 0)));
  const w = frame.weights;
  const size = q + p + 1;
  const M = new Float64Array(size * size);
  for (let a = 0; a < size; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += all[a][i] * all[b][i] * (w ? w[i] : 1);
      M[a + b * size] = s + (a === b && a < q ? 1 : 0);
    }
  }
  if (potrfUnblocked(size, M, 0, size) !== 0) throw new Error('not positive definite');
  return { L: M, size, q };
}
