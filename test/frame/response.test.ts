import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MixedModelsError } from '../../src/errors.js';
import { parseFormula } from '../../src/formula/parse.js';
import { response } from '../../src/frame/response.js';
import type { Value } from '../../src/frame/value.js';

const cbind = parseFormula('cbind(s, f) ~ 1').lhs!;

test('response(cbind(s, f)) gives s / (s + f), and 0 for rows without trials', () => {
  const value: Value = { kind: 'matrix', values: Float64Array.from([1, 0, 3, 3, 0, 1]), ncol: 2, suffixes: ['s', 'f'] };
  const r = response(cbind, new Map([['cbind(s, f)', value]]), 'binomial');
  assert.deepEqual([...r.y], [0.25, 0, 0.75]);
  assert.deepEqual([...r.trials!], [4, 0, 4]);
  assert.equal(r.responseLevels, null);
});

test('response(cbind(s, f)) rejects negative counts and matrices without two columns', () => {
  const negative: Value = { kind: 'matrix', values: Float64Array.from([1, -1]), ncol: 2, suffixes: ['s', 'f'] };
  assert.throws(() => response(cbind, new Map([['cbind(s, f)', negative]]), 'binomial'), /negative count in row 1/);
  const three: Value = { kind: 'matrix', values: Float64Array.from([1, 2, 3]), ncol: 3, suffixes: ['1', '2', '3'] };
  assert.throws(
    () => response(cbind, new Map([['cbind(s, f)', three]]), 'binomial'),
    (e: Error) => e instanceof MixedModelsError && /must have two columns, successes and failures/.test(e.message),
  );
});

test('response(cbind(s, f)) is refused for every family but binomial', () => {
  const value: Value = { kind: 'matrix', values: Float64Array.from([1, 2, 3, 4]), ncol: 2, suffixes: ['s', 'f'] };
  for (const family of [undefined, 'gaussian', 'poisson']) {
    assert.throws(
      () => response(cbind, new Map([['cbind(s, f)', value]]), family),
      (e: Error) => e instanceof MixedModelsError && /'cbind\(s, f\)' means successes and failures, for binomial models only/.test(e.message),
    );
  }
});

test('response(g) codes a two-level categorical response as 0 / 1 under the binomial family', () => {
  const g = parseFormula('g ~ 1').lhs!;
  const value: Value = { kind: 'categorical', codes: Int32Array.from([1, 0, 1]), levels: ['FALSE', 'TRUE'] };
  const r = response(g, new Map([['g', value]]), 'binomial');
  assert.deepEqual([...r.y], [1, 0, 1]);
  assert.deepEqual(r.responseLevels, ['FALSE', 'TRUE']);
  assert.throws(() => response(g, new Map([['g', value]]), 'poisson'), /response 'g' is not numeric/);
});
