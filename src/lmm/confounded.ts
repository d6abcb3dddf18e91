import { MixedModelsError } from '../errors.js';
import { potrf } from '../linalg/potrf.js';
import type { LmmBlocks } from './blocks.js';

/**
 * A random-effects column that the fixed effects reproduce (y ~ x + (1 | g)
 * with x constant within each of two groups; y ~ g + (1 | g)) has a variance
 * the data cannot estimate: its effects are absorbed by beta, the criterion
 * does not change with it, and the optimiser stops wherever it started (so
 * the fit, and beta's standard errors, which do change with it, depend on the
 * order of the rows). lme4 fits such models silently.
 *
 * Column c of factor block j is reproduced when the part of its columns
 * z_(l,c) (one per level l) outside the span of X is 0, i.e. when
 *
 *   sum over l of (z_(l,c)' W z_(l,c) - |L_X^{-1} X'W z_(l,c)|^2) <= CONFOUNDED_TOL sum over l of z_(l,c)' W z_(l,c)
 *
 * with L_X the Cholesky factor of X'WX: the trace of the Schur complement of
 * X'WX in A, from A's blocks in O(q p^2).
 */
export const CONFOUNDED_TOL = 1e-10;

/** Throws when a random-effects column lies in the span of X (module comment). */
export function checkConfounded(A: LmmBlocks): void {
  const p = A.p, P = p + 1;
  if (p === 0) return;
  const LX = new Float64Array(p * p);
  for (let c = 0; c < p; c++) for (let r = 0; r < p; r++) LX[r + c * p] = A.xx[r + c * P];
  if (potrf(p, LX, 0, p) !== 0) return;
  const v = new Float64Array(p);
  A.factors.forEach((f, j) => {
    const k = f.k, d = A.diag[j].values, xz = A.xz[j];
    const total = new Float64Array(k), outside = new Float64Array(k);
    for (let l = 0; l < f.nl; l++) {
      for (let c = 0; c < k; c++) {
        const zz = d[l * k * k + c * (k + 1)];
        // s = |L_X^{-1} v|^2 by forward substitution: trsvLower's operations written out (20,000 levels, k = 2, p = 3: 10.4 -> 8.5 ms on the first call).
        const o = (l * k + c) * P;
        for (let t = 0; t < p; t++) v[t] = xz[o + t];
        let s = 0;
        for (let j = 0; j < p; j++) {
          const x = v[j] / LX[j * (p + 1)];
          s += x * x;
          if (x !== 0) for (let i = j + 1; i < p; i++) v[i] -= LX[i + j * p] * x;
        }
        total[c] += zz;
        outside[c] += zz - s;
      }
    }
    for (const term of f.terms) {
      for (let c = 0; c < term.k; c++) {
        const col = term.offset + c;
        if (!(total[col] > 0) || outside[col] > CONFOUNDED_TOL * total[col]) continue;
        throw new MixedModelsError(
          `the random effects of ${term.name}${term.k > 1 ? ` (its ${term.cnames[c]} column)` : ''} are reproduced by the fixed effects ` +
            `(each of the ${f.nl} levels of ${f.group} is a combination of them), so their variance cannot be estimated: ` +
            'drop the term, or the fixed effects that determine the groups',
        );
      }
    }
  });
}
