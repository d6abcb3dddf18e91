/**
 * Householder QR with R's limited column pivoting (LINPACK dqrdc2, as used by
 * lm and glm.fit).
 *
 * X (n x p, column-major) = Q R P', with Q orthogonal (n x n), R upper
 * triangular and P a permutation. A column whose remaining norm (the part
 * orthogonal to the columns before it) falls below `tol` times its original
 * norm is moved to the end; the others keep their order. The first `rank`
 * columns of X P are the estimable ones, the rest are aliased.
 *
 * Storage (LINPACK's): `qr` holds R in its upper triangle; below the diagonal
 * of column j, with `qraux[j]` in place of the diagonal, the Householder
 * vector u_j of H_j = I - u_j u_j' / u_j[j], and Q = H_0 H_1 ... H_{m-1}.
 * `pivot[k]` is the original (0-based) index of column k of X P.
 */
export interface QR {
  readonly n: number;
  readonly p: number;
  readonly qr: Float64Array;
  readonly qraux: Float64Array;
  readonly pivot: Int32Array;
  readonly rank: number;
}

/** R's default relative tolerance for lm (glm.fit uses min(1e-7, epsilon / 1000)). */
export const QR_TOL = 1e-7;

/** QR decomposition of the n x p column-major X (X is not modified). */
export function qrDecompose(X: Float64Array, n: number, p: number, tol: number = QR_TOL): QR {
  if (X.length !== n * p) throw new RangeError(`qrDecompose: X has ${X.length} values, expected ${n} x ${p}`);
  const a = Float64Array.from(X);
  const qraux = new Float64Array(p);
  const normRef = new Float64Array(p);
  const pivot = new Int32Array(p);
  for (let j = 0; j < p; j++) {
    const nrm = norm2(a, j * n, n);
    qraux[j] = nrm;
    normRef[j] = nrm === 0 ? 1 : nrm;
    pivot[j] = j;
  }
  let k = p;
  const m = Math.min(n, p);
  for (let l = 0; l < m; l++) {
    while (l < k && qraux[l] < normRef[l] * tol) {
      moveToEnd(a, n, p, l, [qraux, normRef], pivot);
      k--;
    }
    if (l === n - 1) break;
    householderStep(a, n, p, l, qraux);
  }
  return { n, p, qr: a, qraux, pivot, rank: Math.min(k, n) };
}

/** Euclidean norm of a[off .. off + len), scaled to avoid overflow. */
function norm2(a: Float64Array, off: number, len: number): number {
  let scale = 0;
  for (let i = off; i < off + len; i++) scale = Math.max(scale, Math.abs(a[i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = off; i < off + len; i++) {
    const v = a[i] / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

/** Rotates column l to position p - 1 (shifting l+1.. left), with its bookkeeping. */
function moveToEnd(a: Float64Array, n: number, p: number, l: number, aux: Float64Array[], pivot: Int32Array): void {
  const col = a.slice(l * n, l * n + n);
  a.copyWithin(l * n, (l + 1) * n, p * n);
  a.set(col, (p - 1) * n);
  for (const v of aux) {
    const t = v[l];
    v.copyWithin(l, l + 1, p);
    v[p - 1] = t;
  }
  const t = pivot[l];
  pivot.copyWithin(l, l + 1, p);
  pivot[p - 1] = t;
}

/**
 * Householder reflection zeroing column l below the diagonal, applied to
 * columns l+1..p-1, downdating their remaining norms in `qraux` (recomputed
 * when the downdate loses accuracy, dqrdc2's rule).
 */
function householderStep(a: Float64Array, n: number, p: number, l: number, qraux: Float64Array): void {
  const cl = l * n;
  let nrmxl = norm2(a, cl + l, n - l);
  if (nrmxl === 0) return;
  if (a[cl + l] !== 0) nrmxl = Math.sign(a[cl + l]) * Math.abs(nrmxl);
  const inv = 1 / nrmxl;
  for (let i = cl + l; i < cl + n; i++) a[i] *= inv;
  a[cl + l] += 1;
  const ull = a[cl + l];
  let j = l + 1;
  for (; j + 3 < p; j += 4) reflectFour(a, n, l, j);
  for (; j < p; j++) reflectOne(a, n, l, j);
  for (let jj = l + 1; jj < p; jj++) downdateNorm(a, n, l, jj, qraux);
  qraux[l] = ull;
  a[cl + l] = -nrmxl;
}

/**
 * Applies the reflection stored in column l (u_l = a[l*n + l..], pivot element
 * a[l*n + l]) to columns j..j+3, rows l..n-1: four columns per pass share the
 * loads of u_l.
 */
function reflectFour(a: Float64Array, n: number, l: number, j: number): void {
  const cl = l * n;
  const c0 = j * n;
  const c1 = c0 + n;
  const c2 = c1 + n;
  const c3 = c2 + n;
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  for (let i = l; i < n; i++) {
    const u = a[cl + i];
    d0 += u * a[c0 + i];
    d1 += u * a[c1 + i];
    d2 += u * a[c2 + i];
    d3 += u * a[c3 + i];
  }
  const s = -1 / a[cl + l];
  const t0 = d0 * s;
  const t1 = d1 * s;
  const t2 = d2 * s;
  const t3 = d3 * s;
  for (let i = l; i < n; i++) {
    const u = a[cl + i];
    a[c0 + i] += t0 * u;
    a[c1 + i] += t1 * u;
    a[c2 + i] += t2 * u;
    a[c3 + i] += t3 * u;
  }
}

/** As reflectFour, for the single column j. */
function reflectOne(a: Float64Array, n: number, l: number, j: number): void {
  const cl = l * n;
  const cj = j * n;
  let d = 0;
  for (let i = l; i < n; i++) d += a[cl + i] * a[cj + i];
  const t = -d / a[cl + l];
  for (let i = l; i < n; i++) a[cj + i] += t * a[cl + i];
}

/** Downdates the remaining norm of column j after step l (recomputed when cancellation is severe, dqrdc2's rule). */
function downdateNorm(a: Float64Array, n: number, l: number, j: number, qraux: Float64Array): void {
  if (qraux[j] === 0) return;
  const cj = j * n;
  const r = Math.abs(a[cj + l]) / qraux[j];
  const tt = Math.max(1 - r * r, 0);
  if (tt < 1e-6) {
    qraux[j] = norm2(a, cj + l + 1, n - l - 1);
  } else {
    qraux[j] *= Math.sqrt(tt);
  }
}

/** Number of Householder reflections stored: min(rank, n - 1) (dqrsl's ju). */
function reflections(qr: QR): number {
  return Math.min(qr.rank, qr.n - 1);
}

/** Applies H_j to v in place. */
function reflect(qr: QR, j: number, v: Float64Array): void {
  const { n, qr: a, qraux } = qr;
  if (qraux[j] === 0) return;
  const cj = j * n;
  let dot = qraux[j] * v[j];
  for (let i = j + 1; i < n; i++) dot += a[cj + i] * v[i];
  const t = -dot / qraux[j];
  v[j] += t * qraux[j];
  for (let i = j + 1; i < n; i++) v[i] += t * a[cj + i];
}

/** Q'y (R's qr.qty; with y the response, lm's `effects`). */
export function qrQty(qr: QR, y: Float64Array): Float64Array {
  const v = Float64Array.from(y);
  const m = reflections(qr);
  for (let j = 0; j < m; j++) reflect(qr, j, v);
  return v;
}

/** Q v (R's qr.qy). */
export function qrQy(qr: QR, v: Float64Array): Float64Array {
  const out = Float64Array.from(v);
  for (let j = reflections(qr) - 1; j >= 0; j--) reflect(qr, j, out);
  return out;
}

/**
 * Least-squares coefficients b minimising |y - X b|, in the original column
 * order; aliased columns get 0 (the value LINPACK's dqrls leaves, so X b is
 * the fitted value). `effects` is Q'y when already computed.
 */
export function qrCoef(qr: QR, y: Float64Array, effects: Float64Array = qrQty(qr, y)): Float64Array {
  const { n, p, rank, qr: a, pivot } = qr;
  const b = new Float64Array(rank);
  for (let j = rank - 1; j >= 0; j--) {
    let s = effects[j];
    for (let k = j + 1; k < rank; k++) s -= a[k * n + j] * b[k];
    b[j] = s / a[j * n + j];
  }
  const coef = new Float64Array(p);
  for (let j = 0; j < rank; j++) coef[pivot[j]] = b[j];
  return coef;
}

/** Original indices of the aliased columns, in their original order. */
export function qrAliased(qr: QR): number[] {
  return Array.from(qr.pivot.subarray(qr.rank)).sort((x, y) => x - y);
}

/** R^-1 (rank x rank, upper triangular, column-major) for the estimable columns in pivot order. */
export function qrRInverse(qr: QR): Float64Array {
  const { n, rank: r, qr: a } = qr;
  const inv = new Float64Array(r * r);
  for (let j = 0; j < r; j++) {
    inv[j * r + j] = 1 / a[j * n + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += a[k * n + i] * inv[j * r + k];
      inv[j * r + i] = -s / a[i * n + i];
    }
  }
  return inv;
}

/**
 * (X'X)^-1 = R^-1 R^-T restricted to the estimable columns (rank x rank,
 * symmetric, column-major, pivot order = original order of the kept columns).
 * Scaled by sigma^2 it is the covariance of the coefficients (R's chol2inv).
 */
export function qrUnscaledCov(qr: QR): Float64Array {
  const r = qr.rank;
  const inv = qrRInverse(qr);
  const cov = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    for (let j = i; j < r; j++) {
      let s = 0;
      for (let k = j; k < r; k++) s += inv[k * r + i] * inv[k * r + j];
      cov[j * r + i] = s;
      cov[i * r + j] = s;
    }
  }
  return cov;
}
