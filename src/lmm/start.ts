import { potrf } from '../linalg/potrf.js';
import { trsmLeftLower, trsmLeftLowerTrans } from '../linalg/trsm.js';
import type { LmmBlocks } from './blocks.js';
import type { LambdaMap } from './lambda.js';
import { vectorTermStart, type VectorStart } from './vectorStart.js';

/**
 * A cheap starting point for the BFGS fit (lmer.ts), from the blocks of A alone.
 *
 * For every factor block with a single scalar term (k = 1), the ANOVA
 * (method-of-moments) estimate of its variance from the OLS residuals r of y on X:
 * with s_g = z_g'r and c_g = z_g'z_g per level (A_Tj and A_jj), G levels and
 * N = sum c_g,
 *
 *   MSB = sum s_g^2 / c_g / (G - 1),  MSW = (r'r - sum s_g^2 / c_g) / (n - G),
 *   n0 = (N - sum c_g^2 / N) / (G - 1),  sigma_b^2 = (MSB - MSW) / n0,
 *
 * and theta = sigma_b / sigma_e with sigma_e^2 = r'r / (n - p) minus those
 * sigma_b^2 s^2 (each term's share of the weighted residual variance, s the
 * root mean square of its weighted column, so that the start does not depend
 * on the units of z or of the weights; at least a tenth of r'r / (n - p));
 * phi = s theta (thetaScale.ts,
 * `scale`) is kept in [0.05, 10] so that the start is off the bound. A block
 * with one vector-valued term starts from its levels' own regressions
 * (vectorStart.ts); other terms start at lme4's theta0 taken in phi (theta =
 * theta0 / s).
 *
 * `hinv`: when every term is such a scalar term, a diagonal estimate of the
 * inverse Hessian of the criterion over log theta at the start: per term, the
 * curvature of its one-way layout's part of the deviance (sigma^2 held at the
 * start's), with a_g = c_g theta^2, lambda_g = a_g / (1 + a_g) (the shrinkage
 * factor) and w_g = s_g^2 / (c_g sigma_e^2),
 *
 *   sum_g 4 lambda_g (1 - lambda_g) - 4 w_g a_g (1 - a_g) / (1 + a_g)^3
 *
 * (of log(1 + a_g) + w_g / (1 + a_g), twice in log theta), or, where that is
 * not above a quarter of it, its expectation 4 sum_g lambda_g^2 (E w_g = 1 +
 * a_g at the optimum: twice the Fisher information of log sigma_b^2, times 4
 * for log theta = log sigma_b^2 / 2). The observed curvature follows a start
 * far from the optimum (InstEval's 14 departments), the expected one was
 * taken at half its size before (the first BFGS step then went twice too far:
 * lmm_crossed_1e6 6 -> 4 evaluations). With vector-valued terms among
 * them, the whole matrix: those terms' blocks the inverse of their information
 * in the same units (vectorStart.ts), the scalar terms' diagonal as before, 0
 * between blocks. Otherwise null.
 * Returns null when X'X is not positive definite.
 */
export function momentStart(A: LmmBlocks, map: LambdaMap, scale: Float64Array): { theta: Float64Array; hinv: Float64Array | null } | null {
  const p = A.p, P = p + 1, n = A.nobs;
  if (n <= p + 1) return null;
  const xx = new Float64Array(p * p), beta = new Float64Array(p);
  for (let c = 0; c < p; c++) {
    beta[c] = A.xx[p + c * P];
    for (let r = 0; r < p; r++) xx[r + c * p] = A.xx[r + c * P];
  }
  if (p > 0) {
    if (potrf(p, xx, 0, p) !== 0) return null;
    trsmLeftLower(p, 1, xx, 0, p, beta, 0, p);
    trsmLeftLowerTrans(p, 1, xx, 0, p, beta, 0, p);
  }
  let rr = A.xx[p + p * P];
  for (let t = 0; t < p; t++) rr -= beta[t] * A.xx[t + p * P];
  if (!(rr > 0)) return null;
  const total = rr / (n - p);
  const theta = Float64Array.from(map.theta0, (t, e) => t / scale[e]);
  const nb = A.factors.length;
  const sb = new Float64Array(nb).fill(NaN);
  const vector = new Map<number, VectorStart>();
  let covered = true, sumSb = 0;
  for (let j = 0; j < nb; j++) {
    const f = A.factors[j];
    if (f.k !== 1 || f.nl < 2 || f.nl >= n) {
      const v = f.k > 1 && f.terms.length === 1 ? vectorTermStart(A, map, scale, j, beta, rr, theta) : null;
      if (v === null) covered = false;
      else vector.set(j, v);
      continue;
    }
    const xz = A.xz[j], c = A.diag[j].values, G = f.nl;
    let between = 0, N = 0, c2 = 0;
    for (let g = 0; g < G; g++) {
      let s = xz[p + g * P];
      for (let t = 0; t < p; t++) s -= beta[t] * xz[t + g * P];
      if (c[g] > 0) between += (s * s) / c[g];
      N += c[g];
      c2 += c[g] * c[g];
    }
    const msb = between / (G - 1), msw = Math.max(rr - between, 0) / (n - G), n0 = (N - c2 / N) / (G - 1);
    const v = n0 > 0 ? (msb - msw) / n0 : NaN;
    if (!Number.isFinite(v)) continue;
    sb[j] = Math.max(v, 0);
    const s0 = scale[map.index[j][0]];
    sumSb += sb[j] * s0 * s0;
  }
  const se = Math.max(total - sumSb, 0.1 * total);
  for (let j = 0; j < nb; j++) {
    if (!Number.isFinite(sb[j])) continue;
    const e = map.index[j][0];
    theta[e] = Math.min(10, Math.max(0.05, scale[e] * Math.sqrt(sb[j] / se))) / scale[e];
  }
  if (!covered || sb.some((v, j) => !vector.has(j) && !Number.isFinite(v))) return { theta, hinv: null };
  const hinv = new Float64Array(theta.length).fill(1);
  for (let j = 0; j < nb; j++) {
    if (vector.has(j)) continue;
    const t = map.index[j][0], t2 = theta[t] * theta[t], c = A.diag[j].values, xz = A.xz[j];
    let expected = 0, observed = 0;
    for (let g = 0; g < c.length; g++) {
      const a = c[g] * t2, l = a / (1 + a);
      let s = xz[p + g * P];
      for (let q = 0; q < p; q++) s -= beta[q] * xz[q + g * P];
      const w = c[g] > 0 ? (s * s) / (c[g] * se) : 0;
      expected += 4 * l * l;
      observed += 4 * l * (1 - l) - (4 * w * a * (1 - a)) / (1 + a) ** 3;
    }
    const h = observed > expected / 4 ? observed : expected;
    if (h > 0) hinv[t] = 1 / h;
  }
  return { theta, hinv: vector.size === 0 ? hinv : withVectorBlocks(hinv, vector) };
}

/** The whole inverse Hessian (m x m, row-major): the scalar terms' diagonal, each vector term's block the inverse of its information; null when one is not positive definite. */
function withVectorBlocks(diagonal: Float64Array, vector: Map<number, VectorStart>): Float64Array | null {
  const m = diagonal.length, out = new Float64Array(m * m);
  for (let e = 0; e < m; e++) out[e * (m + 1)] = diagonal[e];
  for (const { elements, info } of vector.values()) {
    const k = elements.length, inv = new Float64Array(k * k);
    if (potrf(k, info, 0, k) !== 0) return null;
    for (let d = 0; d < k; d++) inv[d * (k + 1)] = 1;
    trsmLeftLower(k, k, info, 0, k, inv, 0, k);
    trsmLeftLowerTrans(k, k, info, 0, k, inv, 0, k);
    elements.forEach((a, x) => elements.forEach((b, y) => { out[a * m + b] = (inv[x + y * k] + inv[y + x * k]) / 2; }));
  }
  return out;
}
