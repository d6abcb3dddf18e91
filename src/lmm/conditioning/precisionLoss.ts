/**
 * Digits the fixed effects lose to near-collinearity in double precision, read
 * from X'WX (the leading p x p block of A's [X y]'W[X y], column-major with
 * leading dimension p + 1).
 *
 * The profiled criterion goes through the Cholesky factor of X'V^{-1}X. When a
 * column x_j is nearly a combination of the columns before it, the part of it
 * they leave unexplained has a small share of its norm, rho_j^2 = R_jj^2 /
 * (X'WX)_jj (R the Cholesky factor), and the factor carries relative errors
 * of about eps / rho_j^2. The common case: a predictor far from 0 relative to
 * its spread beside the intercept (x = 1e5 + u, u of spread 0.2: rho^2 ~ 4e-12),
 * for which the criterion, theta and the estimates come out with errors of
 * 1e-6 or more although the model (the same as with x - 1e5) is well determined;
 * lme4 is no better there (it says nothing, or fails to converge). A column with
 * rho_j^2 below RHO2 gets a message naming it; when the column itself is far
 * from 0, the advice names its weighted mean, else (x:f with x far from 0,
 * nearly collinear with f) the variables it is made of. Columns dropped as aliased (rho below 1e-7, frame/aliased.ts)
 * are not here.
 */
import { potrf } from '../../linalg/potrf.js';

/**
 * Below this rho^2 (about 7 of the 16 digits left) a column is named: on the
 * sums of a database (src/sources) the errors at a given rho come out larger
 * than in memory (x = 1e4 + u above: logLik off by 7e-5 from the engine's sums,
 * 1e-6 in memory), and there they reach 1e-7 of the criterion near here.
 */
export const RHO2 = 1e-9;

/** rho_j^2 of every column (module comment), or null when X'WX is not positive definite (or p = 0). */
export function unexplainedShares(xy: Float64Array, p: number): Float64Array | null {
  if (p === 0) return null;
  const P = p + 1, g = new Float64Array(p * p);
  for (let c = 0; c < p; c++) for (let r = 0; r < p; r++) g[r + c * p] = xy[r + c * P];
  const R = g.slice();
  if (potrf(p, R, 0, p) !== 0) return null;
  return Float64Array.from({ length: p }, (_, j) => (R[j + j * p] * R[j + j * p]) / g[j + j * p]);
}

export function precisionMessages(xy: Float64Array, p: number, colnames: readonly string[]): string[] {
  const shares = p < 2 ? null : unexplainedShares(xy, p);
  if (shares === null) return [];
  const P = p + 1, intercept = colnames.indexOf('(Intercept)');
  const out: string[] = [];
  for (let j = 0; j < p; j++) {
    const rho2 = shares[j];
    if (!(rho2 < RHO2) || j === intercept) continue;
    const lost = Math.round(-Math.log10(rho2));
    // The column itself far from 0 (its share left by the intercept alone, 1 - (1'Wx)^2 / (1'W1 x'Wx), below 1e-6): centre it.
    const sw = intercept >= 0 ? xy[intercept + intercept * P] : NaN, swx = intercept >= 0 ? xy[intercept + j * P] : NaN;
    const far = 1 - (swx * swx) / (sw * xy[j + j * P]) < 1e-6;
    const advice = far
      ? `centre it (e.g. ${colnames[j]} - ${(swx / sw).toPrecision(3)}) or rescale it`
      : 'centre or rescale the variables it is made of (an interaction of a variable far from 0), or drop a near-duplicate column';
    out.push(
      `${colnames[j]} is nearly a combination of the fixed-effects columns before it (far from 0 relative to its spread, or nearly collinear): ` +
        `the fit loses about ${lost} of the 16 significant digits there, so the criterion, variance parameters and estimates may be off from about the ${Math.max(1, 16 - lost)}th digit; ${advice} for the exact fit of the same model`,
    );
  }
  return out;
}
