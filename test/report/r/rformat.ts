/** The R reference of test/fixtures/r/rformat.json (R 4.2.2, made by test/fixtures/r/rformat.R). */
import { readFileSync } from 'node:fs';
import type { RNumber } from '../../../src/report/r/formatReal.js';

export const R = JSON.parse(readFileSync(new URL('../../fixtures/r/rformat.json', import.meta.url), 'utf8'));

/** A JSON value of that file as a number: R's NA as null, `NaN`/`Inf`/`-Inf` strings as numbers. */
export function rNumber(v: number | string): RNumber {
  if (v === 'NA') return null;
  if (typeof v === 'string') return Number(v.replace('Inf', 'Infinity'));
  return v;
}
