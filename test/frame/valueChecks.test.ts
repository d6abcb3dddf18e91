// The frame's checks on the model's variables: no bad value becomes a dropped row or a wrong fit silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toTable } from '../../src/data/table.js';
import { MixedModelsError } from '../../src/errors.js';
import { modelFrameFromText } from '../../src/frame/modelFrame.js';
import { parseCsv } from '../../src/io/csv.js';
import { readFixture } from './helpers.js';

function refused(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (e: Error) => e instanceof MixedModelsError && pattern.test(e.message), String(pattern));
}

test("modelFrame('log(Reaction - 300) ~ Days') refuses the rows where the log is undefined, naming the first and the count", () => {
  const data = readFixture('sleepstudy', ['Subject']);
  refused(
    () => modelFrameFromText('log(Reaction - 300) ~ Days', data),
    /^'log\(Reaction - 300\)' is not defined \(NaN\) in row 1 \(where Reaction = 249\.56\) and in 101 more rows: .*R would drop those 102 rows/,
  );
});

test("modelFrame('exp(Reaction) ~ Days') refuses numbers too large to square, naming the row and the data value", () => {
  const data = readFixture('sleepstudy', ['Subject']);
  refused(() => modelFrameFromText('exp(Reaction) ~ Days + (1 | Subject)', data), /^'exp\(Reaction\)' is 9\.52382e\+154 in row 5 \(where Reaction = 356\.852\): numbers beyond ±1e\+150 overflow/);
});

test('modelFrame(...) refuses 0/0 and sqrt of a negative number but keeps rows whose data are missing', () => {
  const data = toTable({ y: [1, 2, 3, 4], a: [0, 1, null, 3], b: [0, 1, 2, -1] });
  refused(() => modelFrameFromText('y ~ I(a / b)', data), /^'I\(a\/b\)' is not defined \(NaN\) in row 1 \(where a = 0, b = 0\):/);
  refused(() => modelFrameFromText('y ~ sqrt(b)', data), /^'sqrt\(b\)' is not defined \(NaN\) in row 4 \(where b = -1\):/);
  const frame = modelFrameFromText('y ~ log(a + 1)', data);
  assert.equal(frame.nobs, 3);
  assert.equal(frame.nDropped, 1);
});

test('modelFrame(...) refuses a value beyond 1e150 in a data column', () => {
  refused(() => modelFrameFromText('y ~ x', toTable({ y: [1, 2, 3], x: [1, 2e200, 3] })), /^column 'x' is 2e\+200 in row 2: numbers beyond ±1e\+150/);
});

test('modelFrame(...) refuses a CSV column of numbers with some text used as a number, but not under factor() or as a group', () => {
  const data = parseCsv('y,x,g\n1,2,a\n2,n/a,b\n3,4,a\n5,5,b\n6,4,a\n');
  refused(() => modelFrameFromText('y ~ x', data), /^column 'x' holds numbers and text \(row 2 is "n\/a"\), and the model uses it as a number: .*--factor x/);
  refused(() => modelFrameFromText('x ~ y', data), /^column 'x' holds numbers and text/);
  refused(() => modelFrameFromText('y ~ log(x)', data), /^column 'x' holds numbers and text/);
  assert.equal(modelFrameFromText('y ~ factor(x)', data).p, 4);
  assert.equal(modelFrameFromText('y ~ x', data, { factors: ['x'] }).p, 4);
  assert.equal(modelFrameFromText('y ~ 1 + (1 | x)', data).reTerms[0].levels.length, 4);
});

test('modelFrame(...) refuses weights that are zero in every row used', () => {
  const data = toTable({ y: [1, 2, 3], x: [1, 2, 4], w: [0, 0, 0], v: [0, 1, 0] });
  refused(() => modelFrameFromText('y ~ x', data, { weights: 'w' }), /^weights column 'w' is zero in every row used/);
  refused(() => modelFrameFromText('y ~ x', data, { weights: [0, 0, 0] }), /^the weights is zero in every row used/);
  assert.equal(modelFrameFromText('y ~ x', data, { weights: 'v' }).nobs, 3);
});

test("modelFrame('y ~ y + x') drops the response from the right-hand side with a note, as R does", () => {
  const data = toTable({ y: [1, 2, 3, 5], x: [1, 2, 4, 3] });
  const frame = modelFrameFromText('y ~ y + x', data);
  assert.deepEqual(frame.colnames, ['(Intercept)', 'x']);
  assert.ok(frame.messages.some((m) => /the response 'y' also appears on the right-hand side of the formula: that term was dropped/.test(m)), frame.messages.join('; '));
  assert.ok(!modelFrameFromText('y ~ x', data).messages.some((m) => /response/.test(m)));
});
