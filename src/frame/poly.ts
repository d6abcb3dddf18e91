import { MixedModelsError } from '../errors.js';
import { orthogonalise } from './orthogonalise.js';

/**
 * R's `poly(x, degree)`: orthogonal polynomials evaluated at x.
 *
 * R takes the QR decomposition X = QR of the Vandermonde matrix of the
 * centred x (columns 1, x, ..., x^degree) and returns the columns of
 * Q diag(R) scaled to unit length, without the constant. Column j is thus the
 * part of x^j orthogonal to 1, x, ..., x^(j-1), normalised: the monic
 * orthogonal polynomial p_j evaluated at the data, divided by its norm. The
 * sign of R_jj cancels, so the result is unique.
 *
 * Here q_0 = 1 / sqrt(m) and q_j is t * q_(j-1) (t = x - mean(x)) orthogonalised against
 * q_0 .. q_(j-1) (see `orthogonalise`) and normalised; t * q_(j-1) has a
 * positive leading coefficient, so q_j = p_j / |p_j| as in R. Rows where x is
 * NaN get NaN; the others (m of them) define the inner product.
 *
 * Returns the column-major n x degree matrix.
 */
export function poly(x: Float64Array, degree: number, label = 'x'): Float64Array {
  const rows: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) rows.push(i);
  const m = rows.length;
  if (new Set(rows.map((i) => x[i])).size <= degree) {
    throw new MixedModelsError(`poly(${label}, ${degree}): the degree must be less than the number of distinct values of ${label}`);
  }
  const mean = rows.reduce((s, i) => s + x[i], 0) / m;
  const xs = Float64Array.from(rows, (i) => x[i] - mean);
  const basis: Float64Array[] = [new Float64Array(m).fill(1 / Math.sqrt(m))];
  for (let j = 1; j <= degree; j++) {
    const prev = basis[j - 1];
    const v = xs.map((xi, i) => xi * prev[i]);
    const length = orthogonalise(v, basis);
    basis.push(v.map((vi) => vi / length));
  }
  const out = new Float64Array(x.length * degree).fill(NaN);
  for (let j = 1; j <= degree; j++) {
    rows.forEach((row, i) => (out[row + (j - 1) * x.length] = basis[j][i]));
  }
  return out;
}
