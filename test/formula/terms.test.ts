import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FormulaError } from '../../src/errors.js';
import type { ModelFormula, RandomTerm } from '../../src/formula/ast.js';
import { deparse } from '../../src/formula/deparse.js';
import { parseFormula } from '../../src/formula/parse.js';
import { expandFormula } from '../../src/formula/terms.js';
import { caretColumn, formulaError } from './helpers.js';

const expand = (text: string, columns?: readonly string[]): ModelFormula => expandFormula(parseFormula(text), columns);
const labels = (text: string, columns?: readonly string[]) => expand(text, columns).fixed.terms.map((t) => t.label);

/** Term labels as R's attr(terms(f), "term.labels") gives them (R 4.x). */
const rTermLabels: [string, string[]][] = [
  ['y ~ a * b', ['a', 'b', 'a:b']],
  ['y ~ a * b * c', ['a', 'b', 'c', 'a:b', 'a:c', 'b:c', 'a:b:c']],
  ['y ~ a * b + c', ['a', 'b', 'c', 'a:b']],
  ['y ~ b:a + a', ['a', 'b:a']],
  ['y ~ a + b:a', ['a', 'a:b']],
  ['y ~ a:b + b:a', ['a:b']],
  ['y ~ a:b:a', ['a:b']],
  ['y ~ a:a', ['a']],
  ['y ~ a + a', ['a']],
  ['y ~ c + a:b + b', ['c', 'b', 'a:b']],
  ['y ~ a / b', ['a', 'a:b']],
  ['y ~ (a + b) / c', ['a', 'b', 'a:b:c']],
  ['y ~ a / (b + c)', ['a', 'a:b', 'a:c']],
  ['y ~ a / b / c', ['a', 'a:b', 'a:b:c']],
  ['y ~ (a + b + c)^2', ['a', 'b', 'c', 'a:b', 'a:c', 'b:c']],
  ['y ~ (a + b + c)^3', ['a', 'b', 'c', 'a:b', 'a:c', 'b:c', 'a:b:c']],
  ['y ~ (a + b)^5', ['a', 'b', 'a:b']],
  ['y ~ a^2', ['a']],
  ['y ~ a %in% b', ['a:b']],
  ['y ~ (a + b) %in% c', ['a:c', 'b:c']],
  ['y ~ a * b - a', ['b', 'a:b']],
  ['y ~ a * b - a:b', ['a', 'b']],
  ['y ~ (a + b + c)^2 - a:b', ['a', 'b', 'c', 'a:c', 'b:c']],
  ['y ~ a - a', []],
  ['y ~ (a + b):c', ['a:c', 'b:c']],
  ['y ~ (a + b) * (c + d)', ['a', 'b', 'c', 'd', 'a:c', 'a:d', 'b:c', 'b:d']],
  ['y ~ recipe * temp', ['recipe', 'temp', 'recipe:temp']],
  ['y ~ log(x) + I(x^2)', ['log(x)', 'I(x^2)']],
  ['y ~ I(Days^2) + Days', ['I(Days^2)', 'Days']],
  ['y ~ I(a*b) + poly(x,2)', ['I(a * b)', 'poly(x, 2)']],
  ['y ~ factor(g):x', ['factor(g):x']],
  ['y ~ scale(x) * g', ['scale(x)', 'g', 'scale(x):g']],
  ['y ~ log(x+1) + log(x + 1)', ['log(x + 1)']],
  ['y ~ (x)', ['x']],
  ['y ~ `my var` * b', ['`my var`', 'b', '`my var`:b']],
  ['y ~ x:y', ['y:x']],
  ['~ b + a', ['b', 'a']],
];
for (const [text, expected] of rTermLabels) {
  test(`expandFormula('${text}') gives ${expected.length ? expected.join(', ') : 'no terms'}`, () => {
    assert.deepEqual(labels(text), expected);
  });
}

/** attr(terms(f), "intercept") in R. */
const rIntercepts: [string, boolean][] = [
  ['y ~ x', true],
  ['y ~ 1', true],
  ['y ~ 0', false],
  ['y ~ -1', false],
  ['y ~ x - 1', false],
  ['y ~ -1 + x', false],
  ['y ~ 0 + x', false],
  ['y ~ x + 0', false],
  ['y ~ x - 0', true],
  ['y ~ 0 + x + 1', true],
  ['y ~ 1 + x - 1', false],
  ['y ~ x + (-1)', false],
];
for (const [text, intercept] of rIntercepts) {
  test(`expandFormula('${text}') has intercept ${intercept}`, () => assert.equal(expand(text).fixed.intercept, intercept));
}

test("expandFormula('y ~ y + x') drops the response from the terms (R's terms() keeps it; model.matrix drops it)", () => {
  assert.deepEqual(labels('y ~ y + x'), ['x']);
});

test("expandFormula('y ~ x + offset(log(n))') puts log(n) in offsets, not terms", () => {
  const { fixed } = expand('y ~ x + offset(log(n))');
  assert.deepEqual(fixed.terms.map((t) => t.label), ['x']);
  assert.deepEqual(fixed.offsets.map(deparse), ['log(n)']);
});

test("expandFormula('y ~ b:a + a') gives each term's variables in R's variable order", () => {
  const [, ba] = expand('y ~ b:a + a').fixed.terms;
  assert.deepEqual(ba.variables.map(deparse), ['b', 'a']);
});

test("expandFormula('cbind(s, n - s) ~ period') keeps the call as the response", () => {
  const m = expand('cbind(s, n - s) ~ period + (1 | herd)');
  assert.equal(m.response && deparse(m.response), 'cbind(s, n - s)');
  assert.deepEqual(m.fixed.terms.map((t) => t.label), ['period']);
});

test("expandFormula('~ x') has a null response", () => assert.equal(expand('~ x').response, null));

const COLUMNS = ['y', 'x', 'z', 'g'];

test("expandFormula('y ~ .', columns) gives every column but the response", () => {
  assert.deepEqual(labels('y ~ .', COLUMNS), ['x', 'z', 'g']);
});

test("expandFormula('y ~ . + (1 | g)', columns) leaves the grouping factor out of '.'", () => {
  assert.deepEqual(labels('y ~ . + (1 | g)', COLUMNS), ['x', 'z']);
});

test("expandFormula('y ~ . - x', columns) removes x from '.'", () => assert.deepEqual(labels('y ~ . - x', COLUMNS), ['z', 'g']));

test("expandFormula('y ~ .^2', columns) gives all two-way interactions of the columns", () => {
  assert.deepEqual(labels('y ~ .^2', ['y', 'a', 'b', 'c']), ['a', 'b', 'c', 'a:b', 'a:c', 'b:c']);
});

test("expandFormula('y ~ x:z + .', columns) merges columns already in the formula, as R does", () => {
  assert.deepEqual(labels('y ~ x:z + .', COLUMNS), ['x', 'z', 'g', 'x:z']);
});

test("expandFormula('cbind(s, f) ~ .', columns) leaves out every response variable", () => {
  assert.deepEqual(labels('cbind(s, f) ~ .', ['s', 'f', 'x']), ['x']);
});

test("expandFormula('y ~ .', ['y', 'my col']) quotes non-syntactic column names in labels", () => {
  assert.deepEqual(labels('y ~ .', ['y', 'my col']), ['`my col`']);
});

/** A random term as `(lhs | group)` text with its group variables, for compact comparison. */
function showRandom(r: RandomTerm): string {
  const lhs = [r.lhs.intercept ? '1' : '0', ...r.lhs.terms.map((t) => t.label)].join(' + ');
  return `(${lhs} | ${r.groupLabel}) [${r.group.map(deparse).join(', ')}]`;
}
const randoms = (text: string, columns?: readonly string[]) => expand(text, columns).random.map(showRandom);

const lme4Random: [string, string[]][] = [
  ['Reaction ~ Days + (Days | Subject)', ['(1 + Days | Subject) [Subject]']],
  ['Reaction ~ Days + (1 + Days | Subject)', ['(1 + Days | Subject) [Subject]']],
  ['Reaction ~ Days + (Days || Subject)', ['(1 | Subject) [Subject]', '(0 + Days | Subject) [Subject]']],
  ['Reaction ~ Days + (1 | Subject) + (0 + Days | Subject)', ['(1 | Subject) [Subject]', '(0 + Days | Subject) [Subject]']],
  ['y ~ (0 + x | g)', ['(0 + x | g) [g]']],
  ['y ~ (x - 1 | g)', ['(0 + x | g) [g]']],
  ['y ~ (0 + x + z || g)', ['(0 + x | g) [g]', '(0 + z | g) [g]']],
  ['y ~ (a * b || g)', ['(1 | g) [g]', '(0 + a | g) [g]', '(0 + b | g) [g]', '(0 + a:b | g) [g]']],
  ['diameter ~ 1 + (1 | plate) + (1 | sample)', ['(1 | plate) [plate]', '(1 | sample) [sample]']],
  ['strength ~ 1 + (1 | batch/cask)', ['(1 | cask:batch) [cask, batch]', '(1 | batch) [batch]']],
  ['y ~ (1 | a/b/c)', ['(1 | c:(b:a)) [c, b, a]', '(1 | b:a) [b, a]', '(1 | a) [a]']],
  ['y ~ (1 | a:b)', ['(1 | a:b) [a, b]']],
  ['y ~ (1 | a:b/c)', ['(1 | c:(a:b)) [c, a, b]', '(1 | a:b) [a, b]']],
  ['y ~ (1 | (g))', ['(1 | g) [g]']],
  ['y ~ (1 | factor(g))', ['(1 | factor(g)) [factor(g)]']],
  ['y ~ (1 + x || g/h)', ['(1 | h:g) [h, g]', '(1 | g) [g]', '(0 + x | h:g) [h, g]', '(0 + x | g) [g]']],
  ['y ~ ((1 | g))', ['(1 | g) [g]']],
  ['y ~ ((1 | g) + (1 | h)) + x', ['(1 | g) [g]', '(1 | h) [h]']],
];
for (const [text, expected] of lme4Random) {
  test(`expandFormula('${text}') gives random terms ${expected.map((e) => e.replace(/ \[.*\]$/, '')).join(' + ')}`, () => {
    assert.deepEqual(randoms(text), expected);
  });
}

test("expandFormula('y ~ x + (x | g) - 1') drops the bar from the fixed part and keeps '- 1'", () => {
  const m = expand('y ~ x + (x | g) - 1');
  assert.deepEqual([m.fixed.intercept, m.fixed.terms.map((t) => t.label)], [false, ['x']]);
  assert.deepEqual(m.random.map(showRandom), ['(1 + x | g) [g]']);
});

test("expandFormula('y ~ (1 | g) - 1') leaves a fixed part with no intercept", () => {
  const m = expand('y ~ (1 | g) - 1');
  assert.deepEqual([m.fixed.intercept, m.fixed.terms.length, m.random.length], [false, 0, 1]);
});

test("expandFormula('y ~ (1 | g)') leaves an intercept-only fixed part", () => {
  const m = expand('y ~ (1 | g)');
  assert.deepEqual([m.fixed.intercept, m.fixed.terms.length], [true, 0]);
});

test("expandFormula('y ~ x + (1 | g)') gives the random term the position of its parentheses", () => {
  const [r] = expand('y ~ x + (1 | g)').random;
  assert.deepEqual([r.start, r.end], [8, 15]);
});

const errors: [string, string, number, (readonly string[])?][] = [
  ['y ~ x | g', 'put the random-effects term in parentheses: (x | g)', 4],
  ['y ~ x + z | g', 'put the random-effects term in parentheses: (x + z | g)', 4],
  ['y ~ a * (1 | g)', 'a random-effects term (... | g) must be in parentheses', 9],
  ['y ~ a - (1 | g)', 'a random-effects term (... | g) must be in parentheses', 9],
  ['y ~ .', "'.' needs the data's column names", 4],
  ['y | g ~ x', "the response cannot contain '|'", 0],
  ['. ~ x', "'.' cannot be used in the response", 0],
  ['y ~ foo(x)', 'unknown function foo() in formula', 4],
  ['y ~ x + sqr(x)', 'unknown function sqr() in formula (did you mean sqrt()?)', 8],
  ['y ~ cbind(a, b)', 'cbind() is allowed only in the response', 4],
  ['offset(y) ~ x', 'offset() belongs on the right of ~', 0],
  ['y ~ offset(a, b)', 'offset() takes exactly one argument', 4],
  ['y ~ log(.)', "'.' can only stand alone as a term", 8],
  ['y ~ (1 | 0)', 'a grouping factor must be a variable', 9],
  ['y ~ (1 | g + h)', 'a grouping factor must be a variable', 9],
  ['y ~ (0 | g)', 'random-effects term has neither an intercept nor any terms', 5],
  ['y ~ (offset(z) | g)', 'offset() cannot be part of a random-effects term', 5],
  ['y ~ x + 2', "'2' is not a term", 8],
  ['y ~ (a + b)^0', 'the power in (...)^n must be a whole number', 12],
  ['y ~ (a + b)^x', 'the power in (...)^n must be a whole number', 12],
  ['y ~ (a+b+c+d+e+f+g+h+i+j+k+l+m+n)^14', 'formula expands to more than 10000 terms', 4],
];
for (const [text, reason, column, columns] of errors) {
  test(`expandFormula('${text}') throws "${reason}" with the caret at column ${column}`, () => {
    const e = formulaError(() => expand(text, columns));
    assert.ok(e.reason.startsWith(reason), e.reason);
    assert.equal(caretColumn(e), column);
  });
}

test('expandFormula of a 1500-term sum gives 1500 terms', () => {
  const names = Array.from({ length: 1500 }, (_, i) => `x${i}`);
  assert.equal(expand('y ~ ' + names.join(' + ')).fixed.terms.length, 1500);
});

const ALPHABET = ['y', 'x', 'a', 'g', '1', '0', '2', '.', '~', '+', '-', '*', '/', ':', '^', '|', '||', '(', ')', ' ', '%in%', 'log(', 'I(', 'offset(', 'cbind(', ','];

test('expandFormula(parseFormula(random string)) returns or throws FormulaError, never anything else', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 30 }), fc.boolean(), (parts, withColumns) => {
      try {
        expand(parts.join(''), withColumns ? ['y', 'x', 'z', 'g'] : undefined);
      } catch (e) {
        if (!(e instanceof FormulaError)) throw e;
      }
    }),
    { numRuns: 5000 },
  );
});
