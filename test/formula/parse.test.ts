import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FormulaError } from '../../src/errors.js';
import { parseFormula } from '../../src/formula/parse.js';
import { deparse } from '../../src/formula/deparse.js';
import { caretColumn, formulaError, sexpr } from './helpers.js';

const rhs = (text: string) => sexpr(parseFormula(text).rhs);

test("parseFormula('y ~ x') gives lhs y and rhs x with positions", () => {
  const f = parseFormula('y ~ x');
  assert.deepEqual(f.lhs, { kind: 'name', name: 'y', start: 0, end: 1 });
  assert.deepEqual(f.rhs, { kind: 'name', name: 'x', start: 4, end: 5 });
  assert.equal(f.text, 'y ~ x');
});

test("parseFormula('~ x + z') gives a one-sided formula (lhs null)", () => {
  const f = parseFormula('~ x + z');
  assert.equal(f.lhs, null);
  assert.equal(sexpr(f.rhs), '(+ x z)');
});

const precedence: [string, string][] = [
  ['y ~ a + b * c', '(+ a (* b c))'],
  ['y ~ a * b + c', '(+ (* a b) c)'],
  ['y ~ a * b:c', '(* a (: b c))'],
  ['y ~ a / b %in% c', '(/ a (%in% b c))'],
  ['y ~ a %in% b:c', '(%in% a (: b c))'],
  ['y ~ a - b - c', '(- (- a b) c)'],
  ['y ~ a / b / c', '(/ (/ a b) c)'],
  ['y ~ a:b:c', '(: (: a b) c)'],
  ['y ~ a^b^c', '(^ a (^ b c))'],
  ['y ~ -a^2', '(- (^ a 2))'],
  ['y ~ -a:b', '(: (- a) b)'],
  ['y ~ -1 + x', '(+ (- 1) x)'],
  ['y ~ a^-b', '(^ a (- b))'],
  ['y ~ a - -b', '(- a (- b))'],
  ['y ~ +a', '(+ a)'],
  ['y ~ x + 1 | g', '(| (+ x 1) g)'],
  ['y ~ a | b || c', '(|| (| a b) c)'],
  ['y ~ x + (1 | g)', '(+ x [(| 1 g)])'],
  ['y ~ (a + b)^2', '(^ [(+ a b)] 2)'],
  ['y ~ x + (0 + x || g/h)', '(+ x [(|| (+ 0 x) (/ g h))])'],
];
for (const [text, expected] of precedence) {
  test(`parseFormula('${text}') groups as ${expected}`, () => assert.equal(rhs(text), expected));
}

test("parseFormula('y ~ log(x + 1) + poly(x, 2)') gives calls with their arguments", () => {
  assert.equal(rhs('y ~ log(x + 1) + poly(x, 2)'), '(+ log((+ x 1)) poly(x 2))');
});

test("parseFormula('y ~ poly(x, 2, raw = TRUE)') records argument names", () => {
  const call = parseFormula('y ~ poly(x, 2, raw = TRUE)').rhs;
  assert.equal(call.kind === 'call' && JSON.stringify(call.argNames), '[null,null,"raw"]');
});

test("parseFormula('y ~ f()') gives a call with no arguments", () => {
  assert.equal(rhs('y ~ f()'), 'f()');
});

test("parseFormula('y ~ log (x)') allows space before the call's parenthesis", () => {
  assert.equal(rhs('y ~ log (x)'), 'log(x)');
});

test('parseFormula reads backtick-quoted names with escapes', () => {
  assert.equal(rhs('y ~ `my col` + `a\\`b`'), '(+ my col a`b)');
});

test('parseFormula reads numbers: 1, 0, 2.5, 1e-3, .5, 1E+2', () => {
  const f = parseFormula('y ~ 1 + 0 + 2.5 + 1e-3 + .5 + 1E+2');
  assert.equal(sexpr(f.rhs), '(+ (+ (+ (+ (+ 1 0) 2.5) 0.001) 0.5) 100)');
});

test("parseFormula('y ~ . + .x + x.1 + ..') tells the dot from names starting with a dot", () => {
  assert.equal(rhs('y ~ . + .x + x.1 + ..'), '(+ (+ (+ . .x) x.1) ..)');
  assert.equal(parseFormula('y ~ .').rhs.kind, 'dot');
});

test("parseFormula('cbind(s, n - s) ~ x') parses a call as the response", () => {
  assert.equal(sexpr(parseFormula('cbind(s, n - s) ~ x').lhs!), 'cbind(s (- n s))');
});

test('parseFormula records start/end of every node', () => {
  const f = parseFormula('y ~ log(x) + (1 | g)');
  assert.equal(f.rhs.kind, 'binary');
  if (f.rhs.kind !== 'binary') return;
  assert.deepEqual([f.rhs.start, f.rhs.end], [4, 20]);
  assert.deepEqual([f.rhs.left.start, f.rhs.left.end], [4, 10]);
  assert.deepEqual([f.rhs.right.start, f.rhs.right.end], [13, 20]);
  const bar = f.rhs.right.kind === 'paren' ? f.rhs.right.expr : f.rhs.right;
  assert.deepEqual([bar.start, bar.end], [14, 19]);
});

test('parseFormula allows newlines and tabs as space', () => {
  assert.equal(rhs('y ~\n\ta +\n b'), '(+ a b)');
});

const errors: [string, string, number][] = [
  ['', 'empty formula', 0],
  ['   ', 'empty formula', 0],
  ['y + x', "formula has no '~'", 0],
  ['y ~ (a + b', "unclosed '('", 4],
  ['y ~ log(a', "unclosed '(' in call to log()", 7],
  ['y ~ a + b)', "unmatched ')'", 9],
  ['y ~ a b', "unexpected name 'b'", 6],
  ['y ~ a 2', "unexpected number '2'", 6],
  ['y ~ a +', "formula ends after '+'", 6],
  ['y ~', "formula ends after '~'", 2],
  ['y ~ f(a, )', 'empty argument in call to f()', 9],
  ['y ~ f(, a)', 'empty argument in call to f()', 6],
  ['y ~ a $ b', "unexpected character '$'", 6],
  ['y ~ a ~ b', "a formula has only one '~'", 6],
  ['y ~ (a ~ b)', "'~' can appear only once", 7],
  ['y ~ (1 | )', "missing grouping factor after '|'", 9],
  ['y ~ ()', 'empty parentheses', 4],
  ['y ~ * a', "unexpected '*'", 4],
  ['y ~ a %o% b', 'operator %o% has no meaning', 6],
  ['y ~ a % b', "unexpected '%'", 6],
  ['y ~ `a', 'unclosed backtick', 4],
  ['y ~ ``', 'empty backtick-quoted name', 4],
  ['y ~ a == b', "comparison '=='", 6],
  ['y ~ a = b', "unexpected '='", 6],
  ['y ~ (a + b))', "unmatched ')'", 11],
  ['y ~ a,b', "unexpected ','", 5],
];
for (const [text, reason, column] of errors) {
  test(`parseFormula('${text.replace(/\n/g, '\\n')}') throws "${reason}" with the caret at column ${column}`, () => {
    const e = formulaError(() => parseFormula(text));
    assert.ok(e.reason.startsWith(reason), e.reason);
    assert.equal(e.start, column);
    assert.equal(caretColumn(e), column);
  });
}

test('parseFormula throws FormulaError, not a stack overflow, for 10000 nested parentheses', () => {
  const text = 'y ~ ' + '('.repeat(10000) + 'a' + ')'.repeat(10000);
  assert.match(formulaError(() => parseFormula(text)).reason, /nested more than/);
});

test('parseFormula throws FormulaError for a 100000-term chain and for 10000 unary minuses', () => {
  assert.match(formulaError(() => parseFormula('y ~ ' + 'a + '.repeat(100000) + 'a')).reason, /nested more than/);
  assert.match(formulaError(() => parseFormula('y ~ ' + '-'.repeat(10000) + 'a')).reason, /nested more than/);
});

test('parseFormula accepts a 1500-term sum', () => {
  const text = 'y ~ ' + Array.from({ length: 1500 }, (_, i) => `x${i}`).join(' + ');
  assert.equal(parseFormula(text).rhs.kind, 'binary');
});

const ALPHABET = ['y', 'x', 'a', 'g', '1', '0', '2.5', '.', '~', '+', '-', '*', '/', ':', '^', '|', '||', '(', ')', ',', ' ', '%in%', '%', 'log', 'I', '`', 'e', '=', '$', '\n', '1e-3'];

test('parseFormula(random string) returns or throws FormulaError, never anything else', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 40 }), (parts) => {
      try {
        parseFormula(parts.join(''));
      } catch (e) {
        if (!(e instanceof FormulaError)) throw e;
      }
    }),
    { numRuns: 3000 },
  );
});

test('parseFormula(arbitrary unicode string) returns or throws FormulaError', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
      try {
        parseFormula(text);
      } catch (e) {
        if (!(e instanceof FormulaError)) throw e;
      }
    }),
    { numRuns: 2000 },
  );
});

test("parseFormula('y ~ días + ñandú') reads bare non-ASCII names as R does in a UTF-8 locale", () => {
  const f = parseFormula('peso ~ días + ñandú:Ωmega + (1 | grupo_été)');
  assert.equal(deparse(f.rhs), 'días + ñandú:Ωmega + (1 | grupo_été)');
  assert.equal(deparse(parseFormula('y ~ `a b` + x2').rhs), '`a b` + x2');
});
