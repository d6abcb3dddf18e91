import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../src/io/csv.js';
import { toFactor } from '../../src/data/factor.js';
import { textCodesOf } from '../../src/data/textCodes.js';
import type { Column } from '../../src/data/types.js';

// A CSV text column comes with its reader's dictionary encoding; its factor from the
// encoding must be the factor of the same values without it (a copy of the array has none).

function categorical(csv: string, name: string): Extract<Column, { kind: 'categorical' }> {
  const column = parseCsv(csv).columns.get(name)!;
  assert.equal(column.kind, 'categorical');
  return column as Extract<Column, { kind: 'categorical' }>;
}

function sameAsPlain(column: Extract<Column, { kind: 'categorical' }>, encoded: boolean): void {
  const codes = textCodesOf(column.values);
  assert.equal(codes !== undefined, encoded, `encoding ${encoded ? 'kept' : 'dropped'}`);
  // The encoding holds row by row.
  if (codes !== undefined) column.values.forEach((v, i) => assert.equal(v, codes.codes[i] < 0 ? null : codes.dictionary[codes.codes[i]], `row ${i + 1}`));
  const copy: Column = { kind: 'categorical', values: [...column.values] };
  assert.equal(textCodesOf((copy as typeof column).values), undefined);
  assert.deepEqual(toFactor(column, 'g'), toFactor(copy, 'g'));
}

test('a text column\'s factor from its encoding: quoted and bare spellings, missing values, numeric-looking ties', () => {
  const rows = ['g,y', 'b,1', '"a",2', 'a,3', 'NA,4', ',5', '"b",6', 'c,7', 'a,8'];
  sameAsPlain(categorical(rows.join('\n') + '\n', 'g'), true);
  // Codes that sort as numbers, with ties ("1", "01", "1.0"): first appearance decides their order.
  const ties = ['g,y', '01,1', '2,2', '1,3', '1.0,4', '01,5', 'x1,6'];
  const column = categorical(ties.join('\n') + '\n', 'g');
  sameAsPlain(column, true);
  assert.deepEqual(toFactor(column, 'g').levels, ['01', '1', '1.0', '2', 'x1']);
});

test('a column that turns to text after numbers (its earlier fields read again) keeps an encoding that holds', () => {
  const rows = ['g,y', ...Array.from({ length: 40 }, (_, i) => `${i % 9 === 4 ? 'NA' : i % 7},${i}`), 'late,99', '3,100', 'NA,101'];
  const column = categorical(rows.join('\n') + '\n', 'g');
  sameAsPlain(column, true);
  assert.equal(toFactor(column, 'g').levels.length, 8);
});

test('a field longer than the text cache takes drops the encoding; the factor is the same', () => {
  const long = 'z'.repeat(40);
  const rows = ['g,y', 'a,1', `${long},2`, 'b,3', `"${long}",4`];
  sameAsPlain(categorical(rows.join('\n') + '\n', 'g'), false);
});
