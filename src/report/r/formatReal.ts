/**
 * R's `format(x, digits, nsmall)` of a numeric vector (R 4.2's formatReal and
 * encodeReal, src/main/format.c): the common layout that gives every element
 * at least `digits` significant digits, fixed unless scientific is narrower.
 *
 * Per finite element (scientific()): alpha = |x| rounded to `digits`
 * significant digits, nsig = its significant digits once trailing zeros are
 * dropped, kpower = its power of ten; left = kpower + 1 digits before the
 * point (one less when rounding carried into a new digit that fixed notation
 * does not show: R's roundingwidens), right = nsig - left digits after it.
 * Over the vector: rgt = max right (>= 0), mxsl = max left with sign (>= 1),
 * fixed width wF = mxsl + rgt + (rgt > 0); scientific width
 * wE = neg + (mxns > 1) + (mxns - 1) + 4 + e, mxns the largest nsig and e
 * the exponent's digits - 1. Fixed is used when wF <= wE (R_print.scipen = 0);
 * nsmall raises the decimals of fixed notation afterwards. Each element is then
 * printed by sprintf with that width (right-justified): `%w.df` or `%#w.de`.
 * NA is `NA`, NaN `NaN`, infinities `Inf`/`-Inf`.
 */
import { decimalExponent, exponentialC, fixedC, scaledRound } from './decimal.js';
import { maxOf } from '../../data/extent.js';

/** A number or R's NA (null). */
export type RNumber = number | null;

const KP_MAX = 27;

interface Scientific {
  neg: boolean;
  kpower: number;
  nsig: number;
  roundingWidens: boolean;
}

function scientific(x: number, digits: number): Scientific {
  if (x === 0) return { neg: false, kpower: 0, nsig: 1, roundingWidens: false };
  const r = Math.abs(x);
  let kp = decimalExponent(r) - digits + 1;
  let alpha = scaledRound(r, -kp);
  if (alpha.toString().length > digits) {
    kp += 1;
    alpha = scaledRound(r, -kp);
  }
  let nsig = digits;
  for (let j = 1; j <= digits && alpha % 10n === 0n; j++) {
    alpha /= 10n;
    nsig--;
  }
  if (nsig === 0 && digits > 0) {
    nsig = 1;
    kp += 1;
  }
  const kpower = kp + digits - 1;
  const rgt = Math.min(KP_MAX, Math.max(0, digits - kpower));
  const roundingWidens = kpower > 0 && kpower <= KP_MAX && r < 10 ** kpower - 0.5 / 10 ** rgt;
  return { neg: x < 0, kpower, nsig, roundingWidens };
}

/** R's common layout of a vector: width, decimals (or mantissa decimals), scientific or not. */
export interface RLayout {
  width: number;
  decimals: number;
  /** 0 for fixed notation, else the exponent's number of digits - 1. */
  e: number;
}

export function formatLayout(xs: readonly RNumber[], digits = 7, nsmall = 0): RLayout {
  let neg = false, rgt = -Infinity, mxl = -Infinity, mnl = Infinity, mxsl = -Infinity, mxns = -Infinity;
  let na = false, nan = false, posInf = false, negInf = false;
  for (const x of xs) {
    if (x === null) na = true;
    else if (Number.isNaN(x)) nan = true;
    else if (x === Infinity) posInf = true;
    else if (x === -Infinity) negInf = true;
    else {
      const s = scientific(x, digits);
      const left = s.kpower + 1 - (s.roundingWidens ? 1 : 0);
      const sleft = (s.neg ? 1 : 0) + (left <= 0 ? 1 : left);
      if (s.neg) neg = true;
      rgt = Math.max(rgt, s.nsig - left);
      mxl = Math.max(mxl, left);
      mnl = Math.min(mnl, left);
      mxsl = Math.max(mxsl, sleft);
      mxns = Math.max(mxns, s.nsig);
    }
  }
  let layout: RLayout = { width: 0, decimals: 0, e: 0 };
  if (mxns > -Infinity) {
    if (mxl < 0) mxsl = 1 + (neg ? 1 : 0);
    rgt = Math.max(0, rgt);
    const wF = mxsl + rgt + (rgt !== 0 ? 1 : 0);
    const e = mxl > 100 || mnl <= -99 ? 2 : 1;
    const d = mxns - 1;
    const wE = (neg ? 1 : 0) + (d > 0 ? 1 : 0) + d + 4 + e;
    if (wF <= wE) {
      const decimals = Math.max(rgt, nsmall);
      layout = { width: mxsl + decimals + (decimals !== 0 ? 1 : 0), decimals, e: 0 };
    } else layout = { width: wE, decimals: d, e };
  }
  let width = layout.width;
  if (na) width = Math.max(width, 2);
  if (nan || posInf) width = Math.max(width, 3);
  if (negInf) width = Math.max(width, 4);
  return { ...layout, width };
}

/** One number in a layout (R's encodeReal), right-justified to the layout's width. */
export function encodeReal(x: RNumber, layout: RLayout): string {
  let s: string;
  if (x === null) s = 'NA';
  else if (Number.isNaN(x)) s = 'NaN';
  else if (!Number.isFinite(x)) s = x > 0 ? 'Inf' : '-Inf';
  else if (layout.e) s = exponentialC(x === 0 ? 0 : x, layout.decimals);
  else s = fixedC(x === 0 ? 0 : x, layout.decimals);
  return s.padStart(layout.width);
}

/** R's `format(xs, digits = digits, nsmall = nsmall)`: strings of one common width. */
export function formatReal(xs: readonly RNumber[], digits = 7, nsmall = 0): string[] {
  const layout = formatLayout(xs, digits, nsmall);
  return xs.map((x) => encodeReal(x, layout));
}

/** R's `round(x, digits)` (R 4's fround: the nearer of the two candidates x rounds to, ties to even). */
export function roundR(x: RNumber, digits: number): RNumber {
  if (x === null || !Number.isFinite(x) || x === 0) return x;
  if (digits === 0) return roundHalfEven(x);
  const dig = Math.floor(digits + 0.5);
  const sgn = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (Math.LOG10E * Math.LN2 * (0.5 + binaryExponent(a)) + dig > 15) return x;
  const pow10 = powDi(10, dig);
  const x10 = a * pow10;
  const i10 = Math.floor(x10);
  const xd = i10 / pow10;
  const xu = Math.ceil(x10) / pow10;
  const du = xu - a, dd = a - xd;
  return sgn * (du < dd || (i10 % 2 === 1 && du === dd) ? xu : xd);
}

/** C's logb: the power of two of the leading bit of a (> 0). */
function binaryExponent(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return e;
}

/** C's nearbyint: to the nearest integer, ties to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** R_pow_di: x^n by repeated squaring, as R computes the power of ten in round(). */
function powDi(x: number, n: number): number {
  let xn = 1;
  let k = Math.abs(n);
  let b = x;
  for (;;) {
    if (k & 1) xn *= b;
    k >>= 1;
    if (k === 0) break;
    b *= b;
  }
  return n < 0 ? 1 / xn : xn;
}

/** R 4.2's `zapsmall(x, digits)`: round to `digits - log10(max |x|)` decimals. */
export function zapsmall(xs: readonly RNumber[], digits: number): RNumber[] {
  const finite = xs.filter((x): x is number => x !== null && !Number.isNaN(x));
  if (finite.length === 0) return [...xs];
  const mx = maxOf(finite.map(Math.abs));
  const d = mx > 0 ? Math.max(0, digits - Math.log10(mx)) : digits;
  return xs.map((x) => roundR(x, d));
}

/** R's signif(x, digits): x rounded to `digits` significant digits. */
export function signifR(x: number, digits: number): number {
  return Number.isFinite(x) && x !== 0 ? Number(exponentialC(x, digits - 1)) : x;
}

/** R's formatC(x, digits): C's `%*.*g` at R's default width digits + 1 (significant digits, trailing zeros dropped, right-justified). */
export function formatG(x: number, digits: number): string {
  return gFormat(x, digits).padStart(digits + 1);
}

function gFormat(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  const sci = exponentialC(x, digits - 1);
  const exp = Number(sci.slice(sci.indexOf('e') + 1));
  if (exp < -4 || exp >= digits) return sci.replace(/\.?0+e/, 'e');
  const fixed = fixedC(x, Math.max(0, digits - 1 - exp));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
