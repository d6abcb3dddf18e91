import assert from 'node:assert/strict';

/** Asserts |actual - expected| <= rel * |expected| (or <= rel when expected is 0). */
export function assertClose(actual: number, expected: number, rel: number, what = ''): void {
  const scale = expected === 0 ? 1 : Math.abs(expected);
  const err = Math.abs(actual - expected) / scale;
  assert.ok(err <= rel, `${what} ${actual} vs ${expected}: relative error ${err} > ${rel}`);
}
