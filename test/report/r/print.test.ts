// R's console printing: strwrap, cat(fill = TRUE), print() of matrices and named vectors at width 80.
// References: R 4.2.2 (strwrap cases in test/fixtures/r/rformat.json; the layouts below printed by R
// as noted beside each).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catFill, printMatrix, printNamedVector, strwrap } from '../../../src/report/r/print.js';
import { R } from './rformat.js';

test('strwrap(text, width, exdent) wraps as R does', () => {
  for (const c of R.strwrap) assert.deepEqual(strwrap(c.text[0], c.width[0], c.exdent[0]), c.value);
});

test('catFill(items, sep) breaks before an item that would pass 80 characters', () => {
  // R: cat(strrep("a", 70), strrep("c", 9), fill = 80) prints two lines; with 8 c's, one.
  assert.deepEqual(catFill(['a'.repeat(70), 'c'.repeat(9)]), ['a'.repeat(70), 'c'.repeat(9)]);
  assert.deepEqual(catFill(['a'.repeat(70), 'c'.repeat(8)]), ['a'.repeat(70) + ' ' + 'c'.repeat(8)]);
  // R: cat(c(strrep("a", 50), strrep("b", 30)), " [", "cls", "]", sep = "", fill = TRUE)
  assert.deepEqual(catFill(['a'.repeat(50), 'b'.repeat(30), ' [', 'cls', ']'], ''), ['a'.repeat(50) + 'b'.repeat(30), ' [cls]']);
});

test('printMatrix(cells) aligns columns left or right and continues columns that do not fit in a second block', () => {
  // R: m <- matrix(c("1", "22", "333", "4"), 2, dimnames = list(c("a", "bb"), c("x", "yyyy"))); print(m, quote = FALSE)
  assert.deepEqual(printMatrix([['1', '333'], ['22', '4']], { rowNames: ['a', 'bb'], colNames: ['x', 'yyyy'] }), ['   x  yyyy', 'a  1  333', 'bb 22 4']);
  assert.deepEqual(printMatrix([['1', '333'], ['22', '4']], { rowNames: ['a', 'bb'], colNames: ['x', 'yyyy'], right: true }), ['    x yyyy', 'a   1  333', 'bb 22    4']);
  // R: print(matrix(sprintf("v%04d", 0:11), 1, dimnames = list(strrep("r", 11), paste0("c", 0:11))), quote = FALSE):
  // a block takes columns while 11 + sum(width + 1) stays below 80, so 11 columns, then the 12th.
  const cells = [Array.from({ length: 12 }, (_, j) => `v${String(j).padStart(4, '0')}`)];
  assert.deepEqual(printMatrix(cells, { rowNames: ['r'.repeat(11)], colNames: cells[0].map((_, j) => `c${j}`) }), [
    '            c0    c1    c2    c3    c4    c5    c6    c7    c8    c9    c10',
    'rrrrrrrrrrr v0000 v0001 v0002 v0003 v0004 v0005 v0006 v0007 v0008 v0009 v0010',
    '            c11',
    'rrrrrrrrrrr v0011',
  ]);
});

test('printNamedVector(values, names, gap) right-aligns names and values to one width', () => {
  // R: print(c(Min = -3.9536, `1Q` = -0.4634), digits = 4)
  assert.deepEqual(printNamedVector(['-3.9536', '-0.4634'], ['Min', '1Q']), ['    Min      1Q', '-3.9536 -0.4634']);
  // print.default(..., print.gap = 2), as summary.glm prints its deviance residuals
  assert.deepEqual(printNamedVector(['-3.5194', '3.3865'], ['Min', 'Max'], 2), ['    Min      Max', '-3.5194   3.3865']);
  // R: print(setNames(rep(123456789, 10), paste0("n", 0:9))): 8 entries of width 9 + 1 per line.
  const many = printNamedVector(Array.from({ length: 10 }, () => '123456789'), Array.from({ length: 10 }, (_, i) => `n${i}`));
  assert.deepEqual(many.map((l) => l.length), [79, 79, 19, 19]);
  assert.equal(many[2], '       n8        n9');
});
