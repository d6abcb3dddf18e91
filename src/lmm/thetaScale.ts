import type { LmmBlocks } from './blocks.js';
import type { ReTerm } from '../frame/types.js';
import type { FactorBlock } from './factorBlocks.js';
import type { LambdaMap } from './lambda.js';

/**
 * Scale-free coordinates for the relative covariance parameters, shared by the
 * LMM and GLMM optimisers.
 *
 * Multiplying column r of a factor block's random-effects matrix by a (z_r ->
 * a z_r, say Days -> Days * 1e-12) changes nothing in the model but its
 * parametrisation: b_r -> b_r / a, T -> A^{-1} T with A = diag(a), i.e. every
 * theta in row r of T is divided by a. The optimisers and every tolerance on
 * theta (bounds, boundary and singularity checks, finite-difference steps)
 * therefore work on
 *
 *   phi_e = s_{j,r} theta_e,   s_{j,r} = sqrt(sum_i w_i z_{ir}^2 / n)
 *
 * for theta_e in row r of factor block j (w the prior weights, 1 without):
 * the root mean square of the weighted column, so that phi is the standard
 * deviation of column r's contribution to the linear predictor relative to the
 * residual standard deviation, whatever units z_r (and the weights) are in.
 * A column that is 0 throughout (or not finite) keeps s = 1.
 *
 * With phi the optimisation of a model with rescaled columns (or weights) takes
 * the same steps as the original, so that its estimates are the original's
 * transformed exactly as the algebra says, up to rounding.
 *
 * The LMM keeps theta in its problem and optimises over phi (lmm/scaledProblem.ts);
 * the GLMM builds its problem on the columns z_r / s_{j,r} (scaledReTerms), whose
 * theta is phi, and reports theta = phi / s (glmm/problem.ts, glmm/finish.ts).
 */
export function thetaScale(factors: readonly FactorBlock[], map: LambdaMap, weights: Float64Array | null): Float64Array {
  return thetaFromColumns(map, columnScales(factors, weights));
}

/** s per theta element (its row's) from the per-block column scales. */
export function thetaFromColumns(map: LambdaMap, perBlock: readonly Float64Array[]): Float64Array {
  return Float64Array.from(map.where, ({ block, row }) => perBlock[block][row]);
}

/** s_{j,r} for each factor block's k columns (z / max|z| summed, so that huge columns do not overflow). */
export function columnScales(factors: readonly FactorBlock[], weights: Float64Array | null): Float64Array[] {
  return factors.map((f) => {
    const k = f.k, n = f.refs.length, big = new Float64Array(k), sums = new Float64Array(k);
    // A scalar term's sums without the modulo and the inner loop (two passes over 1e6 rows).
    if (k === 1) scalarColumnSums(f.z, weights, big, sums);
    else {
      for (let i = 0; i < n * k; i++) big[i % k] = Math.max(big[i % k], Math.abs(f.z[i]));
      for (let i = 0; i < n; i++) {
        const w = weights ? weights[i] : 1;
        for (let r = 0; r < k; r++) {
          const z = f.z[i * k + r] / big[r];
          sums[r] += w * z * z;
        }
      }
    }
    return sums.map((s, r) => {
      const rms = big[r] * Math.sqrt(s / n);
      return rms > 0 && Number.isFinite(rms) ? rms : 1;
    });
  });
}

/** columnScales's max |z| and sum of w (z / max)^2 for a single column z, into big[0] and sums[0]. */
function scalarColumnSums(z: Float64Array, weights: Float64Array | null, big: Float64Array, sums: Float64Array): void {
  const n = z.length;
  let b = 0, s = 0;
  for (let i = 0; i < n; i++) b = Math.max(b, Math.abs(z[i]));
  if (weights === null) {
    // w = 1: 1 * v * v is v * v to the bit.
    for (let i = 0; i < n; i++) {
      const v = z[i] / b;
      s += v * v;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = z[i] / b;
      s += weights[i] * v * v;
    }
  }
  big[0] = b;
  sums[0] = s;
}

/** s_{j,r} per factor block from the per-theta scale (each column's diagonal element carries its row's s). */
export function columnsFromTheta(factors: readonly FactorBlock[], map: LambdaMap, scale: Float64Array): Float64Array[] {
  return factors.map((f, j) => Float64Array.from({ length: f.k }, (_, r) => scale[map.index[j][r * (f.k + 1)]]));
}

/** The terms (frame.reTerms order) with each column divided by its s (from `perBlock`, the blocks of `factors`). */
export function scaledReTerms(reTerms: readonly ReTerm[], factors: readonly FactorBlock[], perBlock: readonly Float64Array[]): ReTerm[] {
  const out = reTerms.slice();
  factors.forEach((f, j) => {
    for (const slot of f.terms) {
      const t = reTerms[slot.term], k = t.k, s = perBlock[j].subarray(slot.offset, slot.offset + k);
      // Columns whose s is 1 (an intercept's) are unchanged: the term is kept, not copied.
      if (s.some((v) => v !== 1)) out[slot.term] = { ...t, z: t.z.map((v, i) => v / s[i % k]) };
    }
  });
  return out;
}

/** Per level, k values of block j in phi's units (b_int = s b) back to the user's: b = b_int / s. In place. */
export function unscaleEffects(s: Float64Array, values: Float64Array): Float64Array {
  const k = s.length;
  for (let e = 0; e < values.length; e++) values[e] /= s[e % k];
  return values;
}

/** Per level, a k x k (column-major) covariance of b_int back to b's: C[r, c] / (s_r s_c). In place. */
export function unscaleCovariances(s: Float64Array, values: Float64Array): Float64Array {
  const k = s.length, kk = k * k;
  for (let e = 0; e < values.length; e++) values[e] /= s[e % k] * s[Math.floor((e % kk) / k)];
  return values;
}

/**
 * columnScales for blocks formed without rows (sums from a database): the same
 * root mean squares from A's diagonal blocks, sum_i w_i z_ir^2 = sum over levels
 * of the blocks' (r, r) elements, over the n rows.
 */
export function columnScalesFromBlocks(A: LmmBlocks): Float64Array[] {
  return A.diag.map((d) => {
    const k = d.k, kk = k * k, sums = new Float64Array(k);
    for (let l = 0; l < d.nl; l++) for (let r = 0; r < k; r++) sums[r] += d.values[l * kk + r * (k + 1)];
    return sums.map((s) => {
      const rms = Math.sqrt(s / A.nobs);
      return rms > 0 && Number.isFinite(rms) ? rms : 1;
    });
  });
}
