// Models whose dense random-effects system cannot be stored or factored in time are refused before any work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDenseSize } from '../../src/api/checks.js';
import { lmer } from '../../src/api/fit.js';
import { MixedModelsError } from '../../src/errors.js';
import type { ModelFrame } from '../../src/frame/types.js';

function frame(groups: [string, number, number][], p = 1): ModelFrame {
  return { p, reTerms: groups.map(([group, nl, k]) => ({ group, levels: new Array<string>(nl), k })) } as unknown as ModelFrame;
}

test('checkDenseSize(frame) accepts InstEval-sized crossed models and any number of levels in the largest factor', () => {
  assert.doesNotThrow(() => checkDenseSize(frame([['s', 2972, 1], ['d', 1128, 1], ['dept:service', 28, 1]], 2)));
  assert.doesNotThrow(() => checkDenseSize(frame([['id', 1e6, 2]])));
  assert.doesNotThrow(() => checkDenseSize(frame([['a', 1e5, 1], ['b', 1e4, 1]])));
});

test('checkDenseSize(frame) refuses two crossed factors of 30000 levels, naming the sizes and limits', () => {
  assert.throws(
    () => checkDenseSize(frame([['a', 30000, 1], ['b', 30000, 1]])),
    (e: Error) => e instanceof MixedModelsError && /^this model is too large to fit: besides the 30000 random effects of 'a', those of 'b' \(30000\) form a dense system of order 30002, which needs 6\.71 GiB of memory and about 63 hours for 50 evaluations; the limits are 4 GiB and 24 hours/.test(e.message),
  );
  assert.throws(() => checkDenseSize(frame([['a', 50000, 1], ['b', 12000, 2]])), /dense system of order 24002/);
});

test('lmer(...) with crossed factors of 26000 levels each is refused at once instead of running for days', () => {
  const n = 52000;
  const data = { y: Array.from({ length: n }, (_, i) => Math.sin(i)), a: Array.from({ length: n }, (_, i) => `a${i % 26000}`), b: Array.from({ length: n }, (_, i) => `b${(i * 7) % 26000}`) };
  const started = performance.now();
  assert.throws(() => lmer('y ~ 1 + (1 | a) + (1 | b)', data), /too large to fit/);
  assert.ok(performance.now() - started < 20000);
});

test('manyLevelsNote names the numeric grouping column and points to a slope on another grouping factor (not on itself)', async () => {
  const { manyLevelsNote } = await import('../../src/api/checks.js');
  assert.equal(manyLevelsNote('g', 100), null);
  const note = manyLevelsNote('g', 101)!;
  assert.match(note, /^grouping factor 'g' is a numeric column with 101 distinct values, each made a level; /);
  assert.ok(!note.includes('| g)'), note);
  assert.match(note, /\(1 \+ g \| <grouping factor>\)/);
});
