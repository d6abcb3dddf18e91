/**
 * Exact decimal rounding of doubles, as C's printf (glibc) does it: a double
 * is m * 2^e exactly, so |x| = N / 10^s with N = m * 5^-e and s = -e when
 * e < 0 (N = m * 2^e, s = 0 otherwise). Rounding N / 10^s to d decimals is an
 * integer division with the remainder compared to half the divisor, ties to
 * even: `sprintf("%.2f", 0.125)` is `0.12`, and `2.675` (2.67499999...) gives
 * `2.67`. JavaScript's toFixed breaks ties upwards, hence this file.
 *
 * Symbols: N = `num`, s = `scale` (|x| = num / 10^scale).
 */

interface Exact {
  num: bigint;
  scale: number;
}

const view = new DataView(new ArrayBuffer(8));

/** |x| = num / 10^scale exactly, for finite x. */
function exact(x: number): Exact {
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e = biased - 1075;
  if (biased === 0) e = -1074;
  else m |= 1n << 52n;
  if (m === 0n) return { num: 0n, scale: 0 };
  if (e >= 0) return { num: m << BigInt(e), scale: 0 };
  return { num: m * 5n ** BigInt(-e), scale: -e };
}

/** round(|x| * 10^d) as an integer, ties to even (d may be negative). */
export function scaledRound(x: number, d: number): bigint {
  const { num, scale } = exact(x);
  const shift = scale - d;
  if (shift <= 0) return num * 10n ** BigInt(-shift);
  const div = 10n ** BigInt(shift);
  const q = num / div;
  const twice = 2n * (num % div);
  if (twice > div || (twice === div && q % 2n === 1n)) return q + 1n;
  return q;
}

/** The power of ten of the leading digit of |x| (x finite, non-zero): |x| in [10^k, 10^(k+1)). */
export function decimalExponent(x: number): number {
  const { num, scale } = exact(x);
  return num.toString().length - 1 - scale;
}

/** C's `sprintf("%.*f", d, x)`: d decimals, exact, ties to even; `-` kept on a negative that rounds to 0. */
export function fixedC(x: number, d: number): string {
  const digits = scaledRound(x, d).toString().padStart(d + 1, '0');
  const body = d > 0 ? `${digits.slice(0, -d)}.${digits.slice(-d)}` : digits;
  return (x < 0 || Object.is(x, -0) ? '-' : '') + body;
}

/** C's `sprintf("%.*e", d, x)`: a mantissa with d decimals and a signed exponent of at least two digits. */
export function exponentialC(x: number, d: number): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}${d > 0 ? '0.' + '0'.repeat(d) : '0'}e+00`;
  let k = decimalExponent(x);
  let q = scaledRound(x, d - k);
  if (q.toString().length > d + 1) {
    k += 1;
    q = scaledRound(x, d - k);
  }
  const digits = q.toString();
  const mantissa = d > 0 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mantissa}e${k < 0 ? '-' : '+'}${String(Math.abs(k)).padStart(2, '0')}`;
}
