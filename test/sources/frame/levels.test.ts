/**
 * levelCoder's levels of a key column as R's factor() makes them: numbers
 * ascending and labelled as R prints them, the same from a typed column as
 * from a plain array, -0 as 0, NaN and null no level; the reference level
 * first; distinct numbers R labels alike refused (PushdownUnsupported).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { levelCoder } from '../../../src/sources/frame/levels.js';
import { PushdownUnsupported } from '../../../src/sources/frame/unsupported.js';

function same(values: number[]): void {
  const fast = levelCoder('g', Float64Array.from(values));
  const general = levelCoder('g', values);
  assert.deepEqual(fast.levels, general.levels);
  assert.deepEqual(fast.keys, general.keys);
  for (const v of [...values, -1e9, 0.5, NaN, 2 ** 40 + 1]) assert.equal(fast.code(v), general.code(v), `code(${v})`);
  assert.equal(fast.code(null), -1);
}

test('levelCoder(Float64Array of ids) gives the levels, keys and codes of the same plain array', () => {
  same([3, 1, 2, 3, 1, 10, 2]);
  same([0, -0, 5, -3, NaN, 5, 100000000000000]);
  same([]);
  same([7]);
});

test('levelCoder(random whole numbers) is the same from a typed column and a plain array', () => {
  let s = 12345;
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s;
  };
  for (let rep = 0; rep < 50; rep++) {
    const n = 1 + (next() % 300), span = 1 + (next() % 1000);
    same(Array.from({ length: n }, () => (next() % span) - Math.floor(span / 2)));
  }
});

test('levelCoder(numbers with fractions or beyond 1e15) labels them as R', () => {
  const c = levelCoder('g', Float64Array.of(0.25, 1.5, 2));
  assert.deepEqual(c.levels, ['0.25', '1.5', '2']);
  assert.equal(c.code(1.5), 1);
  const big = levelCoder('g', Float64Array.of(2 ** 60, 2 ** 60 + 4096, 1));
  assert.deepEqual(big.levels, ['1', '1152921504606846976', '1152921504606851072']);
});

test('levelCoder(ids, reference) puts the reference level first', () => {
  const c = levelCoder('g', Float64Array.of(3, 1, 2), { level: '2', column: 'g' });
  assert.deepEqual(c.levels, ['2', '1', '3']);
  assert.equal(c.code(2), 0);
  assert.equal(c.code(1), 1);
});

test('levelCoder(0.3 and 0.1 + 0.2) refuses the pushdown: R labels both 0.3, one level', () => {
  assert.throws(() => levelCoder('g', Float64Array.of(0.3, 0.1 + 0.2, 2)), (err: Error) => err instanceof PushdownUnsupported && /'g'.*0\.3 and 0\.30000000000000004 are both labelled 0\.3/.test(err.message));
});
