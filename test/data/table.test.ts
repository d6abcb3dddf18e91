import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnNames, toTable } from '../../src/data/table.js';
import type { Column } from '../../src/data/types.js';
import { MixedModelsError } from '../../src/errors.js';

function numeric(c: Column | undefined): number[] {
  assert.equal(c?.kind, 'numeric');
  return [...(c as Extract<Column, { kind: 'numeric' }>).values];
}

test('toTable(columns) reads numbers, text, booleans and missing values', () => {
  const t = toTable({ y: [1, null, 3, undefined, NaN], g: ['a', 'b', null, 'a', 'b'], ok: [true, false, null, true, true] });
  assert.deepEqual(t.names, ['y', 'g', 'ok']);
  assert.equal(t.nrow, 5);
  assert.deepEqual(numeric(t.columns.get('y')), [1, NaN, 3, NaN, NaN]);
  assert.deepEqual(t.columns.get('g'), { kind: 'categorical', values: ['a', 'b', null, 'a', 'b'] });
  assert.deepEqual(t.columns.get('ok'), { kind: 'categorical', values: ['TRUE', 'FALSE', null, 'TRUE', 'TRUE'] });
});

test('toTable(columns) uses a Float64Array without copying and converts other typed arrays', () => {
  const x = new Float64Array([1, 2, 3]);
  const t = toTable({ x, i: new Int32Array([4, 5, 6]), b: new BigInt64Array([7n, 8n, 9n]) });
  assert.equal((t.columns.get('x') as Extract<Column, { kind: 'numeric' }>).values, x);
  assert.deepEqual(numeric(t.columns.get('i')), [4, 5, 6]);
  assert.deepEqual(numeric(t.columns.get('b')), [7, 8, 9]);
});

test('toTable(rows) takes columns in order of first appearance; absent keys are missing', () => {
  const t = toTable([{ a: 1, b: 'x' }, { b: 'y', c: 2 }, { a: 3 }]);
  assert.deepEqual(columnNames(t), ['a', 'b', 'c']);
  assert.deepEqual(numeric(t.columns.get('a')), [1, NaN, 3]);
  assert.deepEqual(t.columns.get('b'), { kind: 'categorical', values: ['x', 'y', null] });
  assert.deepEqual(numeric(t.columns.get('c')), [NaN, 2, NaN]);
});

/** A minimal stand-in for an apache-arrow Table (the duck type toTable reads). */
function arrowTable(columns: Record<string, { data: ArrayLike<unknown>; valid?: boolean[] }>) {
  return {
    schema: { fields: Object.keys(columns).map((name) => ({ name })) },
    getChild(name: string) {
      const { data, valid } = columns[name];
      return {
        nullCount: valid ? valid.filter((v) => !v).length : 0,
        isValid: (i: number) => (valid ? valid[i] : true),
        toArray: () => data,
      };
    },
  };
}

test('toTable(arrowTable) reads numeric vectors without copying and marks nulls missing', () => {
  const x = new Float64Array([1.5, 2.5]);
  const t = toTable(
    arrowTable({
      x: { data: x },
      n: { data: new Int32Array([4, 0]), valid: [true, false] },
      s: { data: ['u', null] },
    }),
  );
  assert.equal((t.columns.get('x') as Extract<Column, { kind: 'numeric' }>).values, x);
  assert.deepEqual(numeric(t.columns.get('n')), [4, NaN]);
  assert.deepEqual(t.columns.get('s'), { kind: 'categorical', values: ['u', null] });
  assert.equal(t.nrow, 2);
});

test('toTable(data, { factors }) makes numeric columns categorical in numeric order', () => {
  const t = toTable({ Subject: [308, 10, 2.5, 308, NaN] }, { factors: ['Subject'] });
  assert.deepEqual(t.columns.get('Subject'), {
    kind: 'categorical',
    values: ['308', '10', '2.5', '308', null],
    levels: ['2.5', '10', '308'],
  });
});

test('toTable(data) never modifies its input', () => {
  const data = Object.freeze({ y: Object.freeze([1, 2]), g: Object.freeze(['a', 'b']) });
  const t = toTable(data, { factors: ['y'] });
  assert.deepEqual(data, { y: [1, 2], g: ['a', 'b'] });
  assert.equal(t.columns.get('y')?.kind, 'categorical');
});

test('toTable(data) rejects mixed and unusable columns, naming them', () => {
  const is = (pattern: RegExp) => (e: Error) => e instanceof MixedModelsError && pattern.test(e.message);
  assert.throws(() => toTable({ x: [1, 'a'] }), is(/^column 'x' mixes value types: row 1 is the number 1, row 2 is the string "a"$/));
  assert.throws(() => toTable({ x: [new Date(0)] }), is(/^column 'x' holds a Date in row 1/));
  assert.throws(() => toTable({ x: [1, 2], y: [1] }), is(/^column 'y' has 1 values but column 'x' has 2$/));
  assert.throws(() => toTable({ x: 3 }), is(/^column 'x' is not an array$/));
  assert.throws(() => toTable([{ a: 1 }, 5]), is(/^row 2 of the data is not an object$/));
  assert.throws(() => toTable('y,x'), is(/^data must be/));
  assert.throws(() => toTable({ Days: [1] }, { factors: ['days'] }), is(/unknown column 'days' in option 'factors' \(did you mean 'Days'\?\)/));
});

test('toTable(dataTable, { factors }) converts the named columns of an existing table', () => {
  const t = toTable(toTable({ g: [2, 1] }), { factors: ['g'] });
  assert.deepEqual(t.columns.get('g'), { kind: 'categorical', values: ['2', '1'], levels: ['1', '2'] });
});
