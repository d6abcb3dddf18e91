/**
 * Finite-difference gradient and Hessian, for convergence checks after an
 * optimisation (lme4's deriv12 and checkConv: scaled gradient, positive definite
 * Hessian).
 *
 * Coordinate i uses the step h_i = h max(1, |x_i|) (default h = 1e-4, lme4's
 * deriv12 delta; lme4 uses the unscaled delta, the same for |x_i| <= 1). It is
 * differenced centrally unless x_i - h_i is below lower_i (then forwards) or
 * x_i + h_i is above upper_i (then backwards), so f is never evaluated outside
 * the bounds (a variance parameter on its bound of 0 stays >= 0). With sign
 * sigma = +1 forwards, -1 backwards:
 *
 *   gradient, central   (f(x + h e_i) - f(x - h e_i)) / 2h
 *   gradient, one-sided sigma (-3 f(x) + 4 f(x + sigma h e_i) - f(x + 2 sigma h e_i)) / 2h
 *   H_ii, central       (f(x + h e_i) - 2 f(x) + f(x - h e_i)) / h^2
 *   H_ii, one-sided     (f(x) - 2 f(x + sigma h e_i) + f(x + 2 sigma h e_i)) / h^2
 *   H_ij, both central  (f(++) - f(+-) - f(-+) + f(--)) / 4 h_i h_j
 *   H_ij, otherwise     (f(x + a + b) - f(x + a) - f(x + b) + f(x)) / (sigma_i h_i sigma_j h_j),
 *                       a = sigma_i h_i e_i, b = sigma_j h_j e_j (sigma = +1 for a central coordinate)
 *
 * Central formulas have error O(h^2), the one-sided gradient O(h^2), the
 * one-sided second differences O(h); all are exact for quadratics. Repeated
 * points are evaluated once.
 */
export type ScalarFunction = (x: Float64Array) => number;

export interface FdDerivatives {
  gradient: Float64Array;
  /** Row-major n x n, symmetric. */
  hessian: Float64Array;
  /** Evaluations of f made. */
  evaluations: number;
}

export function fdGradient(
  f: ScalarFunction, x: ArrayLike<number>, h = 1e-4, lower?: ArrayLike<number>, upper?: ArrayLike<number>,
): Float64Array {
  const st = new Stencil(f, x, h, lower, upper);
  return st.gradient();
}

export function fdHessian(
  f: ScalarFunction, x: ArrayLike<number>, h = 1e-4, lower?: ArrayLike<number>, upper?: ArrayLike<number>,
): Float64Array {
  const st = new Stencil(f, x, h, lower, upper);
  return st.hessian();
}

/** Gradient and Hessian sharing evaluations (1 + 2n + 2n(n - 1) at most). */
export function fdDerivatives(
  f: ScalarFunction, x: ArrayLike<number>, h = 1e-4, lower?: ArrayLike<number>, upper?: ArrayLike<number>,
): FdDerivatives {
  const st = new Stencil(f, x, h, lower, upper);
  const gradient = st.gradient();
  const hessian = st.hessian();
  return { gradient, hessian, evaluations: st.evaluations };
}

/** f at x + offsets, memoised by offset. */
class Stencil {
  readonly n: number;
  readonly x: Float64Array;
  readonly step: Float64Array;
  /** +1 forwards, -1 backwards, 0 central. */
  readonly side: Int8Array;
  evaluations = 0;
  /** f at the offsets of `slot`, and whether it is known. */
  private readonly values: Float64Array;
  private readonly known: Uint8Array;
  private readonly point: Float64Array;

  constructor(
    private readonly f: ScalarFunction, x: ArrayLike<number>, h: number,
    lower?: ArrayLike<number>, upper?: ArrayLike<number>,
  ) {
    const n = x.length;
    this.n = n;
    this.x = Float64Array.from(x);
    this.point = new Float64Array(n);
    this.step = new Float64Array(n);
    this.side = new Int8Array(n);
    this.values = new Float64Array(25 * (n + 1) * (n + 1));
    this.known = new Uint8Array(this.values.length);
    for (let i = 0; i < n; i++) {
      const hi = h * Math.max(1, Math.abs(this.x[i]));
      this.step[i] = hi;
      if (lower !== undefined && this.x[i] - hi < lower[i]) this.side[i] = 1;
      else if (upper !== undefined && this.x[i] + hi > upper[i]) this.side[i] = -1;
    }
  }

  /** The memo's slot of offset (i, a, j, b): i, j in -1 .. n-1, a, b in -2 .. 2. */
  private slot(i: number, a: number, j: number, b: number): number {
    return (((i + 1) * 5 + a + 2) * (this.n + 1) + j + 1) * 5 + b + 2;
  }

  /** f(x + a h_i e_i + b h_j e_j) */
  at(i: number, a: number, j = -1, b = 0): number {
    const key = this.slot(i, a, j, b);
    if (this.known[key] === 1) return this.values[key];
    this.point.set(this.x);
    if (i >= 0) this.point[i] += a * this.step[i];
    if (j >= 0) this.point[j] += b * this.step[j];
    this.evaluations++;
    const v = this.f(this.point);
    this.values[key] = v;
    this.known[key] = 1;
    return v;
  }

  centre(): number {
    return this.at(-1, 0);
  }

  gradient(): Float64Array {
    const g = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const h = this.step[i];
      const sg = this.side[i];
      g[i] = sg === 0
        ? (this.at(i, 1) - this.at(i, -1)) / (2 * h)
        : (sg * (-3 * this.centre() + 4 * this.at(i, sg) - this.at(i, 2 * sg))) / (2 * h);
    }
    return g;
  }

  hessian(): Float64Array {
    const n = this.n;
    const H = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const h = this.step[i];
      const sg = this.side[i];
      H[i * n + i] = sg === 0
        ? (this.at(i, 1) - 2 * this.centre() + this.at(i, -1)) / (h * h)
        : (this.centre() - 2 * this.at(i, sg) + this.at(i, 2 * sg)) / (h * h);
      for (let j = 0; j < i; j++) {
        H[i * n + j] = H[j * n + i] = this.mixed(i, j);
      }
    }
    return H;
  }

  private mixed(i: number, j: number): number {
    const hi = this.step[i];
    const hj = this.step[j];
    if (this.side[i] === 0 && this.side[j] === 0) {
      return (this.at(i, 1, j, 1) - this.at(i, 1, j, -1) - this.at(i, -1, j, 1) + this.at(i, -1, j, -1))
        / (4 * hi * hj);
    }
    const si = this.side[i] || 1;
    const sj = this.side[j] || 1;
    return (this.at(i, si, j, sj) - this.at(i, si) - this.at(j, sj) + this.centre()) / (si * hi * sj * hj);
  }
}
