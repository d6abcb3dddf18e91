import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toTable } from '../../src/data/table.js';
import { MixedModelsError } from '../../src/errors.js';
import { lme4Order } from '../../src/frame/reTerms.js';
import { modelFrameFromText, type ModelFrameOptions } from '../../src/frame/modelFrame.js';
import type { DataTable } from '../../src/data/types.js';
import { readFixture, readRef } from './helpers.js';

function reTermsOf(text: string, data: DataTable, options?: ModelFrameOptions) {
  return modelFrameFromText(text, data, options).reTerms;
}

test('reTerms(1 | batch/cask) orders cask:batch (30 levels) before batch (10) with "a:A"-style levels (pastes_nested)', () => {
  const ref = readRef('pastes_nested');
  const [nested, batch] = reTermsOf(ref.formula, readFixture('Pastes', ref.factors));
  assert.deepEqual(Object.keys(ref.ngrps), [nested.group, batch.group]);
  assert.equal(nested.levels.length, ref.ngrps['cask:batch']);
  assert.deepEqual(nested.levels.slice(0, 11), ['a:A', 'a:B', 'a:C', 'a:D', 'a:E', 'a:F', 'a:G', 'a:H', 'a:I', 'a:J', 'b:A']);
  assert.deepEqual(batch.levels, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J']);
  // Pastes rows 1-2 are batch A, cask a.
  assert.deepEqual([nested.refs[0], batch.refs[0]], [0, 0]);
  assert.deepEqual(nested.cnames, ['(Intercept)']);
});

test('reTerms(a:b) drops level combinations that do not occur', () => {
  const data = toTable({ y: [1, 2, 3, 4, 5], a: ['x', 'x', 'y', 'y', 'y'], b: ['p', 'q', 'q', 'q', 'q'] });
  const [t] = reTermsOf('y ~ 1 + (1 | a:b)', data);
  assert.deepEqual(t.levels, ['x:p', 'x:q', 'y:q']);
  assert.deepEqual([...t.refs], [0, 1, 2, 2, 2]);
});

test('reTerms(a:b) with many possible combinations codes the used ones in order (a slowest)', () => {
  const a = Array.from({ length: 6000 }, (_, i) => `a${String(i % 3000).padStart(4, '0')}`);
  const b = Array.from({ length: 6000 }, (_, i) => `b${String(2999 - (i % 3000)).padStart(4, '0')}`);
  const data = toTable({ y: a.map((_, i) => i % 7), a, b });
  const [t] = reTermsOf('y ~ 1 + (1 | a:b)', data);
  assert.equal(t.levels.length, 3000);
  assert.deepEqual([t.levels[0], t.levels[2999]], ['a0000:b2999', 'a2999:b0000']);
  assert.deepEqual([t.refs[0], t.refs[1234], t.refs[4234]], [0, 1234, 1234]);
});

test('reTerms(Days | Subject) gives an intercept and a slope per row, row-major (sleepstudy)', () => {
  const data = readFixture('sleepstudy', ['Subject']);
  const [t] = reTermsOf('Reaction ~ Days + (Days | Subject)', data);
  assert.equal(t.group, 'Subject');
  assert.deepEqual(t.cnames, ['(Intercept)', 'Days']);
  assert.equal(t.k, 2);
  assert.equal(t.levels.length, 18);
  assert.deepEqual(t.levels.slice(0, 3), ['308', '309', '310']);
  assert.deepEqual([...t.z.subarray(0, 6)], [1, 0, 1, 1, 1, 2]);
  assert.equal(t.z.length, 360);
});

test('reTerms(Days || Subject) splits into two terms on the same factor, formula order kept (sleepstudy_zerocorr)', () => {
  const ref = readRef('sleepstudy_zerocorr');
  const terms = reTermsOf(ref.formula, readFixture('sleepstudy', ref.factors));
  assert.deepEqual(terms.map((t) => [t.group, t.cnames]), [['Subject', ['(Intercept)']], ['Subject', ['Days']]]);
});

test('reTerms(1 | plate) + (1 | sample) keeps the order of decreasing levels (penicillin_crossed)', () => {
  const ref = readRef('penicillin_crossed');
  const terms = reTermsOf(ref.formula, readFixture('Penicillin', ref.factors));
  assert.deepEqual(terms.map((t) => [t.group, t.levels.length]), Object.entries(ref.ngrps));
});

test('reTerms(0 + f | g) gives one column per level of f', () => {
  const data = toTable({ y: [1, 2, 3, 4, 5, 6, 7], f: ['A', 'B', 'A', 'B', 'A', 'B', 'A'], g: [1, 1, 2, 2, 3, 3, 3] });
  const [t] = reTermsOf('y ~ 1 + (0 + f | g)', data);
  assert.deepEqual(t.cnames, ['fA', 'fB']);
  assert.deepEqual([...t.z.subarray(0, 4)], [1, 0, 0, 1]);
  assert.deepEqual(t.levels, ['1', '2', '3']);
});

test('reTerms(1 | g) turns a numeric grouping column into a factor in numeric order', () => {
  const data = toTable({ y: [1, 2, 3, 4, 5, 6], g: [10, 2, 10, 2, 9, 9] });
  const [t] = reTermsOf('y ~ 1 + (1 | g)', data);
  assert.deepEqual(t.levels, ['2', '9', '10']);
  assert.deepEqual([...t.refs], [2, 0, 2, 0, 1, 1]);
});

test('lme4Order(nl) reorders by decreasing levels only when needed, ties reversed as rev(order(nl)) does', () => {
  assert.deepEqual(lme4Order([10, 5, 5]), [0, 1, 2]);
  assert.deepEqual(lme4Order([5, 10, 5]), [1, 2, 0]);
  assert.deepEqual(lme4Order([3, 7, 3, 7]), [3, 1, 2, 0]);
  assert.deepEqual(lme4Order([4]), [0]);
});

test('reTerms(...) enforces lme4\'s checks on the number of levels', () => {
  const data = toTable({ y: [1, 2, 3, 4], one: ['a', 'a', 'a', 'a'], id: [1, 2, 3, 4], pair: [1, 1, 2, 2] });
  const fails = (text: string, pattern: RegExp, options?: ModelFrameOptions) =>
    assert.throws(() => reTermsOf(text, data, options), (e: Error) => e instanceof MixedModelsError && pattern.test(e.message));
  fails('y ~ 1 + (1 | one)', /^grouping factors must have > 1 sampled level: 'one' has 1/);
  fails('y ~ 1 + (1 | id)', /^number of levels of each grouping factor must be < number of observations: 'id' has 4 levels for 4 observations/);
  fails('y ~ 1 + (1 + id | pair)', /^number of observations \(=4\) <= number of random effects \(=4\)/);
  // glmer allows one level per observation (an observation-level random effect).
  assert.equal(reTermsOf('y ~ 1 + (1 | id)', data, { family: 'poisson' })[0].levels.length, 4);
});

test('reTerms((1 | a) + (1 | b)) shares one column of ones between the terms and the intercept of X; (0 + z | b) keeps its own z', () => {
  const data = toTable({ y: [1, 2, 3, 4, 5, 6], x: [0.5, 1, 2, 3, 4, 5], z: [2, 1, 2, 1, 2, 3], a: ['p', 'p', 'q', 'q', 'r', 'r'], b: ['u', 'v', 'u', 'v', 'u', 'v'] });
  const frame = modelFrameFromText('y ~ x + (1 | a) + (1 | b)', data);
  const [ta, tb] = frame.reTerms;
  assert.equal(ta.z, tb.z);
  assert.deepEqual([...ta.z], [1, 1, 1, 1, 1, 1]);
  assert.equal(ta.z.buffer, frame.X.buffer);
  const [, tz] = reTermsOf('y ~ x + (1 | a) + (0 + z | b)', data);
  assert.deepEqual([...tz.z], [2, 1, 2, 1, 2, 3]);
  const [, tx] = modelFrameFromText('y ~ x + (1 | a) + (0 + x | b)', data).reTerms;
  assert.deepEqual([...tx.z], [0.5, 1, 2, 3, 4, 5]);
});

test('reTerms((1 + x | g)) lays z out row by row (k = 2)', () => {
  const data = toTable({ y: [1, 2, 3, 4, 5, 6], x: [5, 6, 7, 8, 9, 10], g: ['a', 'a', 'a', 'b', 'b', 'b'] });
  const [t] = reTermsOf('y ~ x + (1 + x | g)', data);
  assert.deepEqual([...t.z], [1, 5, 1, 6, 1, 7, 1, 8, 1, 9, 1, 10]);
});
