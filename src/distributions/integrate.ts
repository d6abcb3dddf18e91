/**
 * Adaptive Gauss-Kronrod quadrature of a smooth function on a finite interval
 * (Piessens et al. 1983, QUADPACK's QAG strategy with the 7/15-point pair).
 *
 * On [a, b] with centre c and half-width h, the 15-point Kronrod rule
 * K = h sum_i wk_i f(c + h x_i) extends the 7-point Gauss rule G (its
 * odd-indexed nodes). |K - G| bounds the error of G, far above that of K, so
 * as QUADPACK the estimate is scaled: with A = h sum_i wk_i |f_i - K / 2h|,
 * err = A min(1, (200 |K - G| / A)^1.5), and at least 50 eps h sum wk |f|.
 * The interval with the largest estimate is bisected until the sum of
 * estimates is below max(absTol, relTol |integral|) or `maxIntervals` is reached.
 */

/** Kronrod nodes in [0, 1) (the odd-indexed ones are the Gauss nodes), largest first, and 0 last. */
const XK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0,
];
const WK = [
  0.022935322010529224963732008058970, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
/** Gauss weights for XK[1], XK[3], XK[5], XK[7]. */
const WG = [0.129484966168869693270611432679082, 0.279705391489276667901467771423780, 0.381830050505118944950369775488975, 0.417959183673469387755102040816327];

interface Piece {
  a: number;
  b: number;
  value: number;
  error: number;
}

const EPS = 2.220446049250313e-16;

function kronrod(f: (x: number) => number, a: number, b: number): Piece {
  const c = 0.5 * (a + b), h = 0.5 * (b - a);
  const values = new Float64Array(15);
  values[7] = f(c);
  for (let i = 0; i < 7; i++) {
    values[i] = f(c - h * XK[i]);
    values[14 - i] = f(c + h * XK[i]);
  }
  const weight = (j: number) => WK[j < 8 ? j : 14 - j];
  let k = 0, g = 0, abs = 0;
  for (let j = 0; j < 15; j++) {
    k += weight(j) * values[j];
    abs += weight(j) * Math.abs(values[j]);
    const i = j < 8 ? j : 14 - j;
    if (i % 2 === 1) g += WG[(i - 1) / 2] * values[j];
  }
  let asc = 0;
  for (let j = 0; j < 15; j++) asc += weight(j) * Math.abs(values[j] - k / 2);
  asc *= Math.abs(h);
  let error = Math.abs((k - g) * h);
  if (asc > 0 && error > 0) error = asc * Math.min(1, Math.pow((200 * error) / asc, 1.5));
  error = Math.max(error, 50 * EPS * Math.abs(h) * abs);
  return { a, b, value: k * h, error };
}

export interface IntegrateOptions {
  absTol?: number;
  relTol?: number;
  maxIntervals?: number;
}

/** The integral of f over [a, b] (module comment), starting from the given breakpoints if any. */
export function integrate(f: (x: number) => number, a: number, b: number, options: IntegrateOptions = {}, breaks: readonly number[] = []): number {
  const absTol = options.absTol ?? 0, relTol = options.relTol ?? 1e-10, maxIntervals = options.maxIntervals ?? 200;
  const points = [a, ...breaks.filter((x) => x > a && x < b).sort((x, y) => x - y), b];
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < points.length; i++) pieces.push(kronrod(f, points[i], points[i + 1]));
  for (;;) {
    let value = 0, error = 0, worst = 0;
    pieces.forEach((p, i) => {
      value += p.value;
      error += p.error;
      if (p.error > pieces[worst].error) worst = i;
    });
    if (error <= Math.max(absTol, relTol * Math.abs(value)) || pieces.length >= maxIntervals) return value;
    const { a: lo, b: hi } = pieces[worst];
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) return value;
    pieces.splice(worst, 1, kronrod(f, lo, mid), kronrod(f, mid, hi));
  }
}
