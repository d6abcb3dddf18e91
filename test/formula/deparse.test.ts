import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BinaryOp, Node } from '../../src/formula/ast.js';
import { deparse, formatFormula } from '../../src/formula/deparse.js';
import { parseFormula } from '../../src/formula/parse.js';
import { expandFormula } from '../../src/formula/terms.js';
import { shape } from './helpers.js';

const rhsText = (text: string) => deparse(parseFormula(text).rhs);

const printed: [string, string][] = [
  ['y ~ a+b', 'a + b'],
  ['y ~ a-b', 'a - b'],
  ['y ~ a*b', 'a * b'],
  ['y ~ a / b', 'a/b'],
  ['y ~ a : b', 'a:b'],
  ['y ~ a ^ 2', 'a^2'],
  ['y ~ - a', '-a'],
  ['y ~ f( a,b )', 'f(a, b)'],
  ['y ~ ( a+b )', '(a + b)'],
  ['y ~ (a|g)', '(a | g)'],
  ['y ~ (a||g)', '(a || g)'],
  ['y ~ a%in%b', 'a %in% b'],
  ['y ~ I(Days^2)', 'I(Days^2)'],
  ['y ~ poly(x,2,raw=TRUE)', 'poly(x, 2, raw = TRUE)'],
  ['y ~ (1|batch/cask)', '(1 | batch/cask)'],
  ['y ~ .', '.'],
];
for (const [text, expected] of printed) {
  test(`deparse(parseFormula('${text}').rhs) gives '${expected}'`, () => assert.equal(rhsText(text), expected));
}

const numbers: [string, string][] = [
  ['2', '2'],
  ['2.0', '2'],
  ['0.5', '0.5'],
  ['.5', '0.5'],
  ['1e-4', '1e-04'],
  ['0.0001', '1e-04'],
  ['1e-3', '0.001'],
  ['100000', '1e+05'],
  ['123456', '123456'],
  ['1e15', '1e+15'],
  ['2.5e-7', '2.5e-07'],
  ['0.1234567890123456789', '0.123456789012346'],
];
for (const [text, expected] of numbers) {
  test(`deparse of the number ${text} gives '${expected}' as R prints it`, () => assert.equal(rhsText(`y ~ ${text}`), expected));
}

test('deparse re-quotes non-syntactic names in backticks', () => {
  assert.equal(rhsText('y ~ `my col` + `2x` + `a\\`b` + `.` + `.2a` + ok.name_1'), '`my col` + `2x` + `a\\`b` + `.` + `.2a` + ok.name_1');
});

const at = { start: 0, end: 0 };
const name = (n: string): Node => ({ kind: 'name', name: n, ...at });
const bin = (op: BinaryOp, left: Node, right: Node): Node => ({ kind: 'binary', op, left, right, ...at });
const neg = (arg: Node): Node => ({ kind: 'unary', op: '-', arg, ...at });

const built: [string, Node, string][] = [
  ['c:(b:a) for a right-nested interaction (lme4 group names)', bin(':', name('c'), bin(':', name('b'), name('a'))), 'c:(b:a)'],
  ['a - (b + c) for a right-nested sum', bin('-', name('a'), bin('+', name('b'), name('c'))), 'a - (b + c)'],
  ['(a + b) * c for a sum under a product', bin('*', bin('+', name('a'), name('b')), name('c')), '(a + b) * c'],
  ['(a^b)^c for a left-nested power', bin('^', bin('^', name('a'), name('b')), name('c')), '(a^b)^c'],
  ['a^b^c for a right-nested power', bin('^', name('a'), bin('^', name('b'), name('c'))), 'a^b^c'],
  ['(-a)^2 for a negated base', bin('^', neg(name('a')), { kind: 'number', value: 2, text: '2', ...at }), '(-a)^2'],
  ['-(a:b) for a negated interaction', neg(bin(':', name('a'), name('b'))), '-(a:b)'],
  ['a^-b for a negative exponent', bin('^', name('a'), neg(name('b'))), 'a^-b'],
  ['--a for a double negation', neg(neg(name('a'))), '--a'],
];
for (const [title, node, expected] of built) {
  test(`deparse(tree) gives ${title}`, () => assert.equal(deparse(node), expected));
}

test("formatFormula(parseFormula('Reaction~Days+(Days|Subject)')) gives 'Reaction ~ Days + (Days | Subject)'", () => {
  assert.equal(formatFormula(parseFormula('Reaction~Days+(Days|Subject)')), 'Reaction ~ Days + (Days | Subject)');
});

test("formatFormula(parseFormula('~ x')) gives '~x' as R prints one-sided formulas", () => {
  assert.equal(formatFormula(parseFormula('~ x')), '~x');
});

/** Random formula trees: names (some needing backticks), numbers, dots, calls, parentheses, unary and binary operators. */
const OPS: BinaryOp[] = ['+', '-', '*', '/', ':', '^', '|', '||', '%in%'];
const tree = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', 'x1', 'my col', '.hidden', 'x.y', 'TRUE', 'a`b').map((n): Node => ({ kind: 'name', name: n, ...at })),
    fc.constantFrom(0, 1, 2, 0.5, 1e-4, 1e5, 123456, 2.5, 0.001).map((v): Node => ({ kind: 'number', value: v, text: String(v), ...at })),
    fc.constant<Node>({ kind: 'dot', ...at }),
    fc.tuple(fc.constantFrom<'+' | '-'>('+', '-'), tie('node')).map(([op, arg]): Node => ({ kind: 'unary', op, arg, ...at })),
    fc.tuple(fc.constantFrom(...OPS), tie('node'), tie('node')).map(([op, left, right]): Node => ({ kind: 'binary', op, left, right, ...at })),
    tie('node').map((expr): Node => ({ kind: 'paren', expr, ...at })),
    fc
      .tuple(fc.constantFrom('log', 'I', 'poly'), fc.array(fc.tuple(tie('node'), fc.option(fc.constantFrom('raw', 'degree'))), { maxLength: 3 }))
      .map(([fn, args]): Node => {
        const call = { kind: 'call' as const, fn, args: args.map(([a]) => a), ...at };
        return args.some(([, n]) => n !== null) ? { ...call, argNames: args.map(([, n]) => n) } : call;
      }),
  ),
})).node;

test('parseFormula(formatFormula(tree)) gives back the tree, up to the parentheses deparse adds', () => {
  fc.assert(
    fc.property(fc.option(tree), tree, (lhs, rhs) => {
      const text = formatFormula({ text: '', lhs, rhs });
      const back = parseFormula(text);
      assert.deepEqual(shape(back.rhs, false), shape(rhs, false), text);
      assert.deepEqual(back.lhs && shape(back.lhs, false), lhs && shape(lhs, false), text);
    }),
    { numRuns: 2000 },
  );
});

test('parseFormula(formatFormula(parsed)) gives back a parsed tree exactly (ignoring positions)', () => {
  fc.assert(
    fc.property(tree, (rhs) => {
      const parsed = parseFormula(formatFormula({ text: '', lhs: null, rhs }));
      const again = parseFormula(formatFormula(parsed));
      assert.deepEqual(shape(again.rhs), shape(parsed.rhs));
      assert.equal(formatFormula(again), formatFormula(parsed));
    }),
    { numRuns: 2000 },
  );
});

test('deparse(relevel(style, "no flip")) prints strings in double quotes as R, escaping quotes and backslashes', () => {
  assert.equal(deparse(parseFormula("y ~ relevel(style, 'no flip')").rhs), 'relevel(style, "no flip")');
  assert.equal(deparse(parseFormula('y ~ f(x, "a\\"b\\\\c")').rhs), 'f(x, "a\\"b\\\\c")');
});

test('parseFormula refuses an unclosed string and a string standing as a term', () => {
  assert.throws(() => parseFormula('y ~ relevel(g, "a)'), /unclosed quoted string/);
  assert.throws(() => expandFormula(parseFormula('y ~ "a" + x')), /a quoted string is not a term/);
});
