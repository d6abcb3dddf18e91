/**
 * The studentized range distribution (R's ptukey with nranges = 1): the
 * distribution of Q = R / S, R the range of k independent N(0, 1) variables
 * and nu S^2 ~ chi^2_nu independent of them. emmeans' "tukey" p-values are
 * P(Q > sqrt(2) |t|) with k the number of means compared.
 *
 * The algorithm is R's (Copenhaver & Holland 1988, J. Statist. Comput.
 * Simul. 30, 1-15, as in R's nmath), so that p-values agree with R's to the
 * last digits R gets right, including where R's are approximate:
 *
 * Range (wprob): with F(x) = Phi(x) - Phi(x - w), Hartley's form
 *
 *   P(R < w) = (2 Phi(w/2) - 1)^k + 2k int_{w/2}^{8} phi(x) F(x)^(k-1) dx,
 *
 * the integral by 12-point Gauss-Legendre on 3 equal panels (2 when w > 3),
 * nodes with x^2 > 60 or F^(k-1) < e^-30 skipped, the first term dropped below
 * e^-50, 1 for w >= 16.
 *
 * Studentized (ptukey): with u = 2 S^2, whose density is
 * g(u) = nu^(nu/2) / (2^nu Gamma(nu/2)) u^(nu/2 - 1) e^(-nu u / 4),
 *
 *   P(Q <= q) = int_0^inf P(R < q sqrt(u / 2)) g(u) du,
 *
 * by 16-point Gauss-Legendre on panels [2(i - 1) h, 2 i h], h = 1, 1/2, 1/4, 1/8
 * for nu <= 100, 800, 5000, above; nodes with log g(u) h < -30 skipped;
 * panels added (at most 50) until one adds <= 1e-14, after at least 1 / h
 * of them. nu > 25000 uses the range itself. The upper tail is 1 minus the
 * lower, as R computes it: below about 1e-12 it is rounding error.
 *
 * Accuracy (against the exact integral, test/distributions/ptukey.test.ts):
 * about 1e-8 for nu >= 12, 1e-5 at nu = 5, 3e-4 at nu = 2; R returns NaN for
 * nu < 2 and so does this. The number of means k may be fractional (emmeans'
 * dunnettx approximation uses (1 + sqrt(1 + 8 n)) / 2).
 */
import { lgamma } from './special/lgamma.js';
import { pnorm } from './normal.js';

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Gauss-Legendre nodes (descending, positive half) and weights on [-1, 1] for an even order n. */
function gaussLegendreHalf(n: number): { x: Float64Array; w: Float64Array } {
  const half = n / 2, x = new Float64Array(half), w = new Float64Array(half);
  for (let i = 0; i < half; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5)), dp = 1;
    for (let it = 0; it < 100; it++) {
      let p1 = 1, p0 = 0;
      for (let j = 1; j <= n; j++) {
        const pm = p0;
        p0 = p1;
        p1 = ((2 * j - 1) * z * p0 - (j - 1) * pm) / j;
      }
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const step = p1 / dp;
      z -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}

const RANGE_RULE = gaussLegendreHalf(12);
const OUTER_RULE = gaussLegendreHalf(16);

/** R's wprob: P(R < w) for the range of `cc` normals (module comment). */
export function prange(w: number, cc: number): number {
  const qsqz = w * 0.5;
  if (qsqz >= 8) return 1;
  let prW = 2 * pnorm(qsqz) - 1;
  prW = prW >= Math.exp(-50 / cc) ? Math.pow(prW, cc) : 0;
  const panels = w > 3 ? 2 : 3;
  const width = (8 - qsqz) / panels;
  const cc1 = cc - 1;
  const cut = Math.exp(-30 / cc1);
  let lower = qsqz, upper = qsqz + width, integral = 0;
  for (let panel = 1; panel <= panels; panel++) {
    let sum = 0;
    const a = 0.5 * (upper + lower), b = 0.5 * (upper - lower);
    for (let jj = 1; jj <= 12; jj++) {
      const j = jj <= 6 ? jj - 1 : 12 - jj;
      const x = jj <= 6 ? -RANGE_RULE.x[j] : RANGE_RULE.x[j];
      const ac = a + b * x;
      const qexpo = ac * ac;
      if (qexpo > 60) break;
      const F = pnorm(ac) - pnorm(ac - w);
      if (F >= cut) sum += RANGE_RULE.w[j] * Math.exp(-0.5 * qexpo) * Math.pow(F, cc1);
    }
    integral += sum * ((2 * b * cc) / SQRT_2PI);
    lower = upper;
    upper += width;
  }
  prW += integral;
  if (prW <= Math.exp(-30)) return 0;
  return prW >= 1 ? 1 : prW;
}

/** The panel half-width h of the outer rule for `df` degrees of freedom. */
function panelWidth(df: number): number {
  return df <= 100 ? 1 : df <= 800 ? 0.5 : df <= 5000 ? 0.25 : 0.125;
}

/** P(Q <= q), R's ptukey(q, nmeans, df) (module comment); NaN for df < 2 or nmeans < 2, as R. */
function lowerTail(q: number, nmeans: number, df: number): number {
  if (df > 25000) return prange(q, nmeans);
  const f2 = df * 0.5, f21 = f2 - 1, ff4 = df * 0.25;
  const h = panelWidth(df);
  const logConst = f2 * Math.log(df) - df * Math.LN2 - lgamma(f2) + Math.log(h);
  let total = 0;
  for (let i = 1; i <= 50; i++) {
    let sum = 0;
    const centre = (2 * i - 1) * h;
    for (let jj = 1; jj <= 16; jj++) {
      const j = jj <= 8 ? jj - 1 : jj - 9;
      const offset = OUTER_RULE.x[j] * h;
      const u = jj <= 8 ? centre - offset : centre + offset;
      const t1 = logConst + f21 * Math.log(u) - u * ff4;
      if (t1 >= -30) sum += prange(q * Math.sqrt(u * 0.5), nmeans) * OUTER_RULE.w[j] * Math.exp(t1);
    }
    if (i * h >= 1 && sum <= 1e-14) break;
    total += sum;
  }
  return Math.min(total, 1);
}

/**
 * P(Q <= q) (lowerTail, default) or P(Q > q), as R's
 * ptukey(q, nmeans, df, lower.tail) (module comment).
 */
export function ptukey(q: number, nmeans: number, df: number, lower = true): number {
  if (Number.isNaN(q) || Number.isNaN(nmeans) || Number.isNaN(df)) return NaN;
  if (q <= 0) return lower ? 0 : 1;
  if (df < 2 || nmeans < 2) return NaN;
  if (q === Infinity) return lower ? 1 : 0;
  const p = lowerTail(q, nmeans, df);
  return lower ? p : 0.5 - p + 0.5;
}
