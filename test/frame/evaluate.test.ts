import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toTable } from '../../src/data/table.js';
import { FormulaError } from '../../src/errors.js';
import { parseFormula } from '../../src/formula/parse.js';
import { evaluate, type EvalContext } from '../../src/frame/evaluate.js';
import type { Value } from '../../src/frame/value.js';

const table = toTable({
  y: [1, 2, 4, 8, NaN],
  x: [1, 2, 3, 4, 5],
  g: ['b', 'a', 'c', 'a', 'b'],
  n: [10, 20, 30, 40, 50],
});

/** Evaluates the right-hand side of `~ text` on `rows` (all rows by default). */
function run(text: string, rows?: number[], ctx: Partial<EvalContext> = {}): Value {
  const ast = parseFormula(`~ ${text}`);
  const all = rows ?? [...Array(table.nrow).keys()];
  return evaluate(ast.rhs, { table, text: ast.text, rows: Int32Array.from(all), ...ctx });
}

function numbers(v: Value): number[] {
  assert.equal(v.kind, 'numeric');
  return [...(v as Extract<Value, { kind: 'numeric' }>).values];
}

function close(actual: number[], expected: number[], tol = 1e-12): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= tol, `entry ${i}: ${a} vs ${expected[i]}`));
}

test('evaluate(name) gives a numeric column on the requested rows', () => {
  assert.deepEqual(numbers(run('y', [1, 3])), [2, 8]);
});

test('evaluate(name) gives a categorical column with only the levels its rows use', () => {
  assert.deepEqual(run('g'), { kind: 'categorical', codes: Int32Array.from([1, 0, 2, 0, 1]), levels: ['a', 'b', 'c'] });
  assert.deepEqual(run('g', [0, 2]), { kind: 'categorical', codes: Int32Array.from([0, 1]), levels: ['b', 'c'] });
});

test('evaluate(name) puts the reference level first', () => {
  const v = run('g', undefined, { reference: { g: 'c' } });
  assert.deepEqual(v, { kind: 'categorical', codes: Int32Array.from([2, 1, 0, 1, 2]), levels: ['c', 'a', 'b'] });
});

test('evaluate(unknown name) points at it and suggests the closest column', () => {
  const ast = parseFormula('Reaction ~ Days + Reacton');
  const data = toTable({ Reaction: [1], Days: [0] });
  const node = ast.rhs.kind === 'binary' ? ast.rhs.right : ast.rhs;
  assert.throws(
    () => evaluate(node, { table: data, text: ast.text, rows: Int32Array.from([0]) }),
    (e: Error) =>
      e instanceof FormulaError &&
      e.message === "unknown column 'Reacton' (did you mean 'Reaction'?)\n  Reaction ~ Days + Reacton\n                    ^^^^^^^",
  );
});

test('evaluate(I(...)) does arithmetic with R precedence', () => {
  assert.deepEqual(numbers(run('I(x^2)')), [1, 4, 9, 16, 25]);
  assert.deepEqual(numbers(run('I(-x^2 + 2 * x / 4 - 1)')), [-1.5, -4, -8.5, -15, -23.5]);
  assert.deepEqual(numbers(run('I(2^x^0)')), [2, 2, 2, 2, 2]);
  assert.deepEqual(numbers(run('I((x - 1) * 2)')), [0, 2, 4, 6, 8]);
});

test('evaluate(log(x)) and the other functions of one argument', () => {
  close(numbers(run('log(x)')), [1, 2, 3, 4, 5].map(Math.log));
  close(numbers(run('log(n, 10)')), [1, 2, 3, 4, 5].map((i) => Math.log10(10 * i)));
  close(numbers(run('log(x, base = 2)')), [1, 2, 3, 4, 5].map(Math.log2));
  close(numbers(run('log2(x)')), [1, 2, 3, 4, 5].map(Math.log2));
  close(numbers(run('log10(n)')), [1, 2, 3, 4, 5].map((i) => Math.log10(10 * i)));
  close(numbers(run('log1p(x)')), [1, 2, 3, 4, 5].map(Math.log1p));
  close(numbers(run('exp(-x)')), [1, 2, 3, 4, 5].map((i) => Math.exp(-i)));
  close(numbers(run('sqrt(n - 10)')), [0, 10, 20, 30, 40].map(Math.sqrt));
  assert.deepEqual(numbers(run('abs(3 - x)')), [2, 1, 0, 1, 2]);
  assert.deepEqual(numbers(run('offset(log(n) * 0 + x)')), [1, 2, 3, 4, 5]);
});

test('evaluate(scale(x)) centres and scales on the rows requested, ignoring missing values', () => {
  // rows 0..3 of y: 1, 2, 4, 8 -> mean 3.75, sd sqrt(((2.75)^2 + 1.75^2 + 0.25^2 + 4.25^2) / 3)
  const sd = Math.sqrt((2.75 ** 2 + 1.75 ** 2 + 0.25 ** 2 + 4.25 ** 2) / 3);
  const scaled = numbers(run('scale(y)'));
  close(scaled.slice(0, 4), [1, 2, 4, 8].map((v) => (v - 3.75) / sd));
  assert.ok(Number.isNaN(scaled[4]));
  close(numbers(run('scale(x)', [0, 1, 2])), [-1, 0, 1]);
});

test('evaluate(factor(x)) makes numbers categorical in numeric order', () => {
  const data = toTable({ x: [10, 2, 2.5, 10] });
  const ast = parseFormula('~ factor(x) + factor(x * 2)');
  const ctx = { table: data, text: ast.text, rows: Int32Array.from([0, 1, 2, 3]) };
  const [a, b] = ast.rhs.kind === 'binary' ? [ast.rhs.left, ast.rhs.right] : [ast.rhs, ast.rhs];
  assert.deepEqual(evaluate(a, ctx), { kind: 'categorical', codes: Int32Array.from([2, 0, 1, 2]), levels: ['2', '2.5', '10'] });
  assert.deepEqual(evaluate(b, ctx), { kind: 'categorical', codes: Int32Array.from([2, 0, 1, 2]), levels: ['4', '5', '20'] });
});

test('evaluate(poly(x, 2)) gives a two-column matrix computed on the requested rows', () => {
  const v = run('poly(x, 2)', [0, 1, 2]);
  assert.equal(v.kind, 'matrix');
  const m = v as Extract<Value, { kind: 'matrix' }>;
  assert.deepEqual(m.suffixes, ['1', '2']);
  // x = 1, 2, 3: linear (-1, 0, 1) / sqrt(2), quadratic (1, -2, 1) / sqrt(6)
  close([...m.values], [-Math.SQRT1_2, 0, Math.SQRT1_2, 1 / Math.sqrt(6), -2 / Math.sqrt(6), 1 / Math.sqrt(6)]);
  const named = run('poly(x, degree = 2)', [0, 1, 2]) as Extract<Value, { kind: 'matrix' }>;
  assert.deepEqual(named.values, m.values);
});

test('evaluate(cbind(a, b)) gives a matrix named by its arguments', () => {
  const v = run('cbind(x, n - x)') as Extract<Value, { kind: 'matrix' }>;
  assert.equal(v.kind, 'matrix');
  assert.deepEqual(v.suffixes, ['x', '2']);
  assert.deepEqual([...v.values], [1, 2, 3, 4, 5, 9, 18, 27, 36, 45]);
});

test('evaluate(node) rejects what cannot be evaluated, with a caret', () => {
  const fails = (text: string, message: string) =>
    assert.throws(() => run(text), (e: Error) => e instanceof FormulaError && e.message.split('\n')[0] === message);
  fails('I(g * 2)', "column 'g' is categorical; arithmetic needs numbers");
  fails('I(x:n)', "operator ':' cannot be used in arithmetic; only + - * / ^");
  fails('lgo(x)', "unknown function 'lgo' (did you mean 'log'?)");
  fails('I(poly(x, 2))', 'poly() cannot be used inside an arithmetic expression');
  fails('poly(x, 1.5)', 'the degree of poly() must be a positive whole number');
  fails('poly(x, 2, raw = TRUE)', "poly() has no argument 'raw'; its arguments are x, degree");
  fails('sqrt(x, 2)', 'sqrt() takes at most 1 argument');
  fails('scale(3)', "cannot scale: 'scale(3)' needs at least two different values");
});

test('evaluate(relevel(x, ref)) refuses a level the variable lacks and C(x, kind) an unknown kind, with a caret', () => {
  const small = toTable({ g: ['a', 'b', 'a', 'c'], x: [1, 2, 3, 4] });
  const ctx = { table: small, text: '', rows: Int32Array.from([0, 1, 2, 3]) };
  const at = (text: string) => ({ ...ctx, text });
  const rhs = (text: string) => parseFormula(`y ~ ${text}`).rhs;
  assert.throws(() => evaluate(rhs('relevel(g, "z")'), at('y ~ relevel(g, "z")')), /reference level 'z' is not a level of 'g'/);
  assert.throws(() => evaluate(rhs('C(g, SAS)'), at('y ~ C(g, SAS)')), /C\(\): the contrasts must be one of/);
  assert.throws(() => evaluate(rhs('ns(x, df = "a")'), at('y ~ ns(x, df = "a")')), /ns\(\): df must be a number/);
  const v = evaluate(rhs('relevel(g, 2)'), at('y ~ relevel(g, 2)'));
  assert.ok(v.kind === 'categorical' && v.levels[0] === 'b');
  const o = evaluate(rhs('ordered(g, levels = c("c", "b", "a"))'), at(''));
  assert.ok(o.kind === 'categorical' && o.contrast === 'poly' && o.levels.join() === 'c,b,a');
});

test('evaluate(round / floor / ceiling / trunc / sign / sin) computes R math functions element-wise', () => {
  const t = toTable({ v: [-2.5, -1.25, 0.5, 1.5, 2.675, NaN] });
  const on = (text: string) => {
    const ast = parseFormula(`~ ${text}`);
    return numbers(evaluate(ast.rhs, { table: t, text: ast.text, rows: Int32Array.from([0, 1, 2, 3, 4, 5]) }));
  };
  // R: round(c(-2.5, -1.25, 0.5, 1.5, 2.675, NA)) and with digits = 1, 2; floor, ceiling, trunc, sign.
  assert.deepEqual(on('round(v)'), [-2, -1, 0, 2, 3, NaN]);
  assert.deepEqual(on('round(v, 1)'), [-2.5, -1.2, 0.5, 1.5, 2.7, NaN]);
  assert.deepEqual(on('round(v, digits = 2)'), [-2.5, -1.25, 0.5, 1.5, 2.67, NaN]);
  assert.deepEqual(on('floor(v)'), [-3, -2, 0, 1, 2, NaN]);
  assert.deepEqual(on('ceiling(v)'), [-2, -1, 1, 2, 3, NaN]);
  assert.deepEqual(on('trunc(v)'), [-2, -1, 0, 1, 2, NaN]);
  assert.deepEqual(on('sign(v)'), [-1, -1, 1, 1, 1, NaN]);
  close(on('sin(v)').slice(0, 5), [-2.5, -1.25, 0.5, 1.5, 2.675].map(Math.sin), 0);
  assert.throws(() => on('round(v, 1, 2)'), /round\(\) takes at most 2 arguments/);
});

test('evaluate(as.factor(x)) is factor(x): the same codes and levels, no levels argument', () => {
  assert.deepEqual(run('as.factor(x)'), run('factor(x)'));
  assert.deepEqual(run('as.factor(g)'), run('factor(g)'));
  assert.throws(() => run("as.factor(g, levels = c('a'))"), /as.factor\(\) has no argument 'levels'/);
});
