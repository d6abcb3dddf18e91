/**
 * CSV text of y = 1 + 0.5 x + a_g + b_h + c_h x + e, 640 rows: a scalar term of 40 levels
 * (g) and a vector-valued one of 8 levels (h), from deterministic draws; its fit
 * `y ~ x + (1 | g) + (1 + x | h)` is not singular. For tests of derivatives that cross
 * factor blocks with k = 2 in a later one and the fixed effects' rows.
 */
export function twoFactorCsv(): string {
  let s = 20261205;
  const unif = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
  const normal = (): number => Math.sqrt(-2 * Math.log(unif())) * Math.cos(2 * Math.PI * unif());
  const a = Array.from({ length: 40 }, () => 0.8 * normal()), b = Array.from({ length: 8 }, () => normal()), c = Array.from({ length: 8 }, () => 0.4 * normal());
  const rows = ['y,x,g,h'];
  for (let i = 0; i < 640; i++) {
    const g = i % 40, h = Math.floor(i / 80), x = 2 * unif() - 1;
    rows.push(`${1 + 0.5 * x + a[g] + b[h] + c[h] * x + 0.6 * normal()},${x},g${g},h${h}`);
  }
  return rows.join('\n');
}
