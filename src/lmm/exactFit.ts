import { MixedModelsError } from '../errors.js';
import type { LmmBlocks } from './blocks.js';

/**
 * When the fixed and random effects together can reproduce any response, the
 * residual variance cannot be estimated: with rank([X Z]) = n the fitted
 * values reach y exactly as theta grows, sigma goes to 0 and the criterion
 * has no minimum (it falls without bound, or creeps towards an asymptote
 * along a ridge), so wherever an optimiser stops is arbitrary and differs
 * with the order of the rows. lme4 only compares n with each term's number of
 * random effects, and fits such models.
 *
 * The rank is that of the Gram matrix [Z X]'W[Z X], i.e. A without its
 * response row, by Cholesky with complete pivoting on its correlation form
 * (pivots below RANK_TOL count as 0). It can only reach n when p + q >= n, so
 * larger data cost nothing; above MAX_COLUMNS columns the check is not made.
 */
export const RANK_TOL = 1e-10;
export const MAX_COLUMNS = 3000;

/** The Gram matrix of [Z X] (size q + p) from A's blocks, dense, column-major. */
function gram(A: LmmBlocks): Float64Array {
  const qs = A.factors.map((f) => f.nl * f.k), q = qs.reduce((s, v) => s + v, 0), p = A.p, P = p + 1, m = q + p;
  const off = qs.map((_, j) => qs.slice(0, j).reduce((s, v) => s + v, 0));
  const G = new Float64Array(m * m);
  const set = (r: number, c: number, v: number) => {
    G[r + c * m] = v;
    G[c + r * m] = v;
  };
  A.factors.forEach((f, j) => {
    const d = A.diag[j].values, k = f.k;
    for (let l = 0; l < f.nl; l++) for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) set(off[j] + l * k + r, off[j] + l * k + c, d[l * k * k + r + c * k]);
    for (let i = j + 1; i < A.factors.length; i++) {
      const S = A.off[i][j], size = S.kRow * S.kCol;
      for (let b = 0; b < S.nlCol; b++) {
        for (let e = S.colptr[b]; e < S.colptr[b + 1]; e++) {
          for (let c = 0; c < S.kCol; c++) for (let r = 0; r < S.kRow; r++) set(off[i] + S.rowidx[e] * S.kRow + r, off[j] + b * S.kCol + c, S.values[e * size + r + c * S.kRow]);
        }
      }
    }
    for (let c = 0; c < f.nl * k; c++) for (let t = 0; t < p; t++) set(q + t, off[j] + c, A.xz[j][t + c * P]);
  });
  for (let c = 0; c < p; c++) for (let r = 0; r < p; r++) G[q + r + (q + c) * m] = A.xx[r + c * P];
  return G;
}

/** The rank of a symmetric positive semi-definite m x m matrix (column-major; overwritten). */
export function psdRank(m: number, G: Float64Array): number {
  const d = Float64Array.from({ length: m }, (_, i) => G[i * (m + 1)]);
  for (let c = 0; c < m; c++) {
    const s = d[c] > 0 ? 1 / Math.sqrt(d[c]) : 0;
    for (let r = 0; r < m; r++) {
      G[r + c * m] *= s;
      G[c + r * m] *= s;
    }
  }
  const diag = Float64Array.from({ length: m }, (_, i) => G[i * (m + 1)]);
  const perm = Int32Array.from({ length: m }, (_, i) => i);
  for (let k = 0; k < m; k++) {
    let best = k;
    for (let i = k + 1; i < m; i++) if (diag[perm[i]] > diag[perm[best]]) best = i;
    [perm[k], perm[best]] = [perm[best], perm[k]];
    const pk = perm[k], dk = diag[pk];
    if (!(dk > RANK_TOL)) return k;
    const piv = Math.sqrt(dk);
    // Column pk of the factor over the remaining rows: (G[i, pk] - sum over earlier columns) / piv, stored in G[., pk].
    for (let i = k + 1; i < m; i++) {
      const pi = perm[i];
      let v = G[pi + pk * m];
      for (let x = 0; x < k; x++) v -= G[pi + perm[x] * m] * G[pk + perm[x] * m];
      G[pi + pk * m] = v / piv;
      diag[pi] -= G[pi + pk * m] * G[pi + pk * m];
    }
  }
  return m;
}

/** Throws when rank([Z X]) reaches the number of observations (module comment). */
export function checkResidualDf(A: LmmBlocks): void {
  const q = A.factors.reduce((s, f) => s + f.nl * f.k, 0), m = q + A.p, n = A.nobs;
  if (m < n || m > MAX_COLUMNS) return;
  const rank = psdRank(m, gram(A));
  if (rank < n) return;
  throw new MixedModelsError(
    `the fixed and random effects can reproduce the response exactly (rank ${rank} of their ${m} columns for ${n} observations), ` +
      'so the residual variance cannot be estimated and the likelihood has no maximum: fit fewer effects or more data',
  );
}
