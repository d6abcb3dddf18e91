/**
 * Numbers as R prints them with `as.character()` (R 4.2): at most 15
 * significant digits, fixed notation unless scientific notation is narrower
 * (`2.5`, `0.001`, `1e-04`, `1e+15`). Integer-valued numbers below 1e15 print
 * as plain integers, as R prints integer columns read from a CSV file
 * (`100000`, where R would print the double 1e5 as `1e+05`). A number of
 * 1e15 or more that prints in fixed notation shows every digit of the double
 * (R's %.0f: 2^60 is `1152921504606846976`, not `1152921504606850000`).
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NA';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x === 0 ? 0 : x);
  const [mantissa, exp] = x.toExponential(14).split('e');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace(/[-.]/g, '').replace(/0+$/, '') || '0';
  const e = Number(exp);
  const sign = negative ? '-' : '';
  // A whole number in fixed notation is printed by R as %.0f: every digit of the double, not 15 and zeros.
  const fixed = digits.length <= e + 1 && Math.abs(x) >= 1e15 ? BigInt(roundHalfEven(Math.abs(x))).toString() : fixedNotation(digits, e);
  const sci = `${digits[0]}${digits.length > 1 ? '.' + digits.slice(1) : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return sign + (fixed.length <= sci.length ? fixed : sci);
}

/** `digits` (d1 d2 d3 ...) times 10^(e - digits.length + 1), in fixed notation. */
function fixedNotation(digits: string, e: number): string {
  if (e < 0) return '0.' + '0'.repeat(-e - 1) + digits;
  if (digits.length <= e + 1) return digits + '0'.repeat(e + 1 - digits.length);
  return digits.slice(0, e + 1) + '.' + digits.slice(e + 1);
}

/** Nearest whole number, halves to even (R's nearbyint, C's default rounding). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
