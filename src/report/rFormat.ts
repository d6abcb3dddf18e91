/**
 * R's format() of a numeric vector with `digits` significant digits (R's
 * formatReal, R 4.2): every element is rounded to `digits` significant
 * digits and stripped of trailing zeros, giving its significant digits s_i
 * and decimal exponent e_i; the common format is fixed notation with
 * max_i (s_i - e_i - 1) decimals (at least 0), unless scientific notation with
 * max_i s_i digits is narrower. Non-finite values print as NA, NaN, Inf, -Inf.
 */
import { maxOf } from '../data/extent.js';

interface Sci {
  negative: boolean;
  /** Significant digits after stripping trailing zeros (at least 1). */
  nsig: number;
  /** Decimal exponent of the rounded value. */
  exponent: number;
}

function scientific(x: number, digits: number): Sci {
  if (x === 0) return { negative: false, nsig: 1, exponent: 0 };
  const [mantissa, exp] = Math.abs(x).toExponential(digits - 1).split('e');
  const sig = mantissa.replace('.', '').replace(/0+$/, '');
  return { negative: x < 0, nsig: Math.max(1, sig.length), exponent: Number(exp) };
}

function nonFinite(x: number): string {
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Inf' : '-Inf';
}

/** The elements of `xs` formatted in R's common format (module comment), not padded. */
export function formatReal(xs: readonly number[], digits = 7): string[] {
  const finite = xs.filter(Number.isFinite);
  if (finite.length === 0) return xs.map(nonFinite);
  const sci = finite.map((x) => scientific(x, digits));
  const neg = sci.some((s) => s.negative) ? 1 : 0;
  const rgt = Math.max(0, maxOf(sci.map((s) => s.nsig - s.exponent - 1)));
  const left = maxOf(sci.map((s) => (s.negative ? 1 : 0) + Math.max(1, s.exponent + 1)));
  const fixedWidth = left + rgt + (rgt > 0 ? 1 : 0);
  const mxns = maxOf(sci.map((s) => s.nsig));
  const bigExponent = sci.some((s) => Math.abs(s.exponent) >= 100);
  const sciWidth = neg + (mxns > 1 ? mxns : 0) + 4 + (bigExponent ? 2 : 1);
  if (fixedWidth <= sciWidth) return xs.map((x) => (Number.isFinite(x) ? (x === 0 ? 0 : x).toFixed(rgt) : nonFinite(x)));
  return xs.map((x) => {
    if (!Number.isFinite(x)) return nonFinite(x);
    const [m, e] = x.toExponential(mxns - 1).split('e');
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(bigExponent ? 3 : 2, '0')}`;
  });
}

/** R's round(x, d) then format(nsmall = d): at least d decimals. */
export function formatFixed(xs: readonly number[], decimals: number): string[] {
  return xs.map((x) => (Number.isFinite(x) ? (Math.round(x * 10 ** decimals) / 10 ** decimals + 0).toFixed(decimals) : nonFinite(x)));
}
