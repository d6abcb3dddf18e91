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
 */
export function thetaScale(factors: readonly FactorBlock[], map: LambdaMap, weights: Float64Array | null): Float64Array {
  const perRow = factors.map((f) => columnScales(f, weights));
  return Float64Array.from(map.where, ({ block, row }) => perRow[block][row]);
}

/** s_r for each of a factor block's k columns (z / max|z| summed, so that huge columns do not overflow). */
function columnScales(f: FactorBlock, weights: Float64Array | null): Float64Array {
  const k = f.k, n = f.refs.length, big = new Float64Array(k), sums = new Float64Array(k);
  for (let i = 0; i < n * k; i++) big[i % k] = Math.max(big[i % k], Math.abs(f.z[i]));
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    for (let r = 0; r < k; r++) {
      const z = f.z[i * k + r] / big[r];
      sums[r] += w * z * z;
    }
  }
  return sums.map((s, r) => {
    const rms = big[r] * Math.sqrt(s / n);
    return rms > 0 && Number.isFinite(rms) ? rms : 1;
  });
}
