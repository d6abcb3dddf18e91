import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percent, referenceRule, topLevel } from '../../src/plot/theme.js';

test('percent(level) prints a coverage without float noise', () => {
  assert.equal(percent(0.95), '95%');
  assert.equal(percent(0.999), '99.9%');
  assert.equal(percent(0.07), '7%');
});

test('referenceRule("y", 0) is one rule from its own one-row data', () => {
  assert.deepEqual(referenceRule('y', 0).data, { values: [{}] });
  assert.deepEqual(referenceRule('y', 0).encoding, { y: { datum: 0 } });
});

test('topLevel(spec) adds the shared config without touching the spec', () => {
  const spec = topLevel({ mark: 'point' });
  assert.equal(spec.mark, 'point');
  assert.ok(typeof spec.config === 'object');
});
