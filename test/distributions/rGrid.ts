// Reference grids computed by R 4.2.2 (r-grid.R beside this file writes r-grid.json; the R code
// and the reasons for each choice of reference are in that script).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertClose } from './close.js';

type Cell = number | string | null;
const grid = JSON.parse(readFileSync(new URL('./r-grid.json', import.meta.url), 'utf8')) as Record<string, Cell[][]>;

function num(v: Cell): number {
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v === null ? NaN : Number(v);
}

/** The rows of one grid: the arguments and R's value (for quantiles, the polished one). */
export function rows(name: string, nargs: number): { args: number[]; value: number }[] {
  return grid[name].map((r) => ({ args: r.slice(0, nargs).map(num), value: num(r[nargs]) }));
}

/**
 * Tolerance for a tail probability p: 1e-13 relative, plus 2e-15 per unit of |log p|. Tiny tails
 * are exp(L) with L summed from terms as large as |L| (690 at p = 1e-300), so each of R's value
 * and ours carries a few ulps of |L| (measured: at most 1.6e-15 |log p| apart on these grids).
 */
export function tailTolerance(p: number): number {
  return 1e-13 + 2e-15 * Math.abs(Math.log(p));
}

/** Asserts f(args) against every row of a grid, exact where R's value is 0 or infinite. */
export function checkGrid(name: string, nargs: number, f: (...a: number[]) => number, tolerance: (value: number, args: number[]) => number): void {
  for (const { args, value } of rows(name, nargs)) {
    const got = f(...args);
    if (!Number.isFinite(value) || value === 0) assert.equal(got, value, `${name}(${args})`);
    else assertClose(got, value, tolerance(value, args), `${name}(${args})`);
  }
}
