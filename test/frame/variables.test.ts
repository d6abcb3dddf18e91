import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandFormula } from '../../src/formula/terms.js';
import { parseFormula } from '../../src/formula/parse.js';
import { columnsOf, modelVariables } from '../../src/frame/variables.js';

test('modelVariables(formula) lists response, fixed variables, offsets, random lhs and groups once each', () => {
  const f = expandFormula(parseFormula('log(y) ~ x * g + offset(log(n)) + (x | s) + (1 | s:g)'));
  assert.deepEqual([...modelVariables(f).keys()], ['log(y)', 'x', 'g', 'log(n)', 's']);
});

test('columnsOf(node) gives the data columns an expression reads', () => {
  const ast = parseFormula('cbind(s, n - s) ~ I(x^2 + x * z)');
  assert.deepEqual(columnsOf(ast.lhs!), ['s', 'n']);
  assert.deepEqual(columnsOf(ast.rhs), ['x', 'z']);
});
