import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { toTable } from '../../src/data/table.js';
import { FormulaError, MixedModelsError } from '../../src/errors.js';
import { expandFormula } from '../../src/formula/terms.js';
import { parseFormula } from '../../src/formula/parse.js';
import { modelFrame, modelFrameFromText } from '../../src/frame/modelFrame.js';
import { readFixture, readRef } from './helpers.js';

const REFS = readdirSync(new URL('../fixtures/refs/', import.meta.url))
  .map((f) => readRef(f.replace(/\.json$/, '')))
  .filter((r) => typeof r.formula === 'string' && (r.fixef ?? r.coef) !== undefined && [undefined, 'lm', 'glm'].includes(r.kind));

test('modelFrameFromText(ref.formula, data) gives R\'s column names, aliased columns, nobs and groups for every reference', () => {
  assert.ok(REFS.length >= 25);
  for (const ref of REFS) {
    const frame = modelFrameFromText(ref.formula, readFixture(ref.data, ref.factors), { family: ref.family });
    const coef: Record<string, number | null> = ref.fixef ?? ref.coef;
    const names = Object.keys(coef);
    assert.deepEqual(frame.colnames, names.filter((k) => coef[k] !== null), ref.name);
    assert.deepEqual(frame.aliased, names.filter((k) => coef[k] === null), ref.name);
    if (ref.nobs !== undefined) assert.equal(frame.nobs, ref.nobs, ref.name);
    if (ref.df_residual !== undefined) assert.equal(frame.nobs - frame.p, ref.df_residual, ref.name);
    const groups = Object.fromEntries(frame.reTerms.map((t) => [t.group, t.levels.length]));
    assert.deepEqual(groups, ref.ngrps ?? {}, ref.name);
  }
});

test('modelFrame(expandFormula(...), data) builds y, X and the random-effects terms (sleepstudy)', () => {
  const data = readFixture('sleepstudy', ['Subject']);
  const frame = modelFrame(expandFormula(parseFormula('Reaction ~ Days + (Days | Subject)'), data.names), data);
  assert.equal(frame.nobs, 180);
  assert.equal(frame.responseName, 'Reaction');
  assert.equal(frame.y[0], 249.56);
  assert.equal(frame.p, 2);
  assert.deepEqual([...frame.X.subarray(0, 3)], [1, 1, 1]);
  assert.deepEqual([...frame.X.subarray(180, 183)], [0, 1, 2]);
  assert.deepEqual([...frame.assign], [0, 1]);
  assert.equal(frame.weights, null);
  assert.equal(frame.offset, null);
  assert.equal(frame.trials, null);
  assert.equal(frame.nDropped, 0);
  assert.deepEqual(frame.messages, []);
});

test('modelFrame(...) on every row takes a numeric response column as is (no copy) and a mixed-model fit leaves the table unchanged', async () => {
  const { lmer, glmer } = await import('../../src/api/fit.js');
  const data = readFixture('sleepstudy', ['Subject']);
  const before = new Map([...data.columns].map(([name, c]) => [name, [...c.values]]));
  const frame = modelFrame(expandFormula(parseFormula('Reaction ~ Days + (Days | Subject)'), data.names), data);
  const reaction = data.columns.get('Reaction')!;
  assert.equal(frame.y, reaction.values);
  lmer('Reaction ~ Days + (Days | Subject)', data);
  glmer('Days ~ Reaction + (1 | Subject)', data, { family: 'poisson' });
  for (const [name, c] of data.columns) assert.deepEqual([...c.values], before.get(name), name);
});

const withMissing = toTable({
  y: [1, 2, null, 4, 5, 6],
  x: [1, 2, 3, 4, 100, 6],
  g: ['a', 'b', 'a', null, 'b', 'a'],
  w: [1, 2, 3, 4, NaN, 1],
});

test('modelFrame(...) drops rows where a used variable is missing and says how many', () => {
  const frame = modelFrameFromText('y ~ x + g', withMissing);
  assert.deepEqual([...frame.rows], [0, 1, 4, 5]);
  assert.equal(frame.nDropped, 2);
  assert.deepEqual([...frame.y], [1, 2, 5, 6]);
  assert.deepEqual(frame.messages, ['dropped 2 rows with missing values']);
  assert.deepEqual(modelFrameFromText('y ~ x', withMissing).messages, ['dropped 1 row with missing values']);
});

test('modelFrame(...) drops the same rows whether its variables are bare columns or transforms, with weights', () => {
  // Bare columns take the data's marks (dataMissing); a transform its value's: the same rows here.
  const bare = modelFrameFromText('y ~ x + g', withMissing, { weights: 'w' });
  const transformed = modelFrameFromText('y ~ log(x) + g', withMissing, { weights: 'w' });
  assert.deepEqual([...bare.rows], [0, 1, 5]);
  assert.deepEqual([...transformed.rows], [0, 1, 5]);
  assert.deepEqual([...bare.weights!], [1, 2, 1]);
  assert.deepEqual(bare.messages, ['dropped 3 rows with missing values']);
});

test('modelFrame(y ~ h + factor(k)) drops the levels used only by dropped rows', () => {
  const data = toTable({ y: [1, null, 3, 4, 5], h: ['p', 'q', 'r', 'p', 'r'], k: [7, 8, 9, 9, 7] });
  const frame = modelFrameFromText('y ~ h + factor(k)', data);
  assert.deepEqual(frame.colnames, ['(Intercept)', 'hr', 'factor(k)9']);
  assert.deepEqual([...frame.X], [1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 0]);
});

test('modelFrame(..., { weights }) reads a column or an array and drops rows with missing weights', () => {
  const frame = modelFrameFromText('y ~ x', withMissing, { weights: 'w' });
  assert.deepEqual([...frame.rows], [0, 1, 3, 5]);
  assert.deepEqual([...frame.weights!], [1, 2, 4, 1]);
  const fromArray = modelFrameFromText('y ~ x', withMissing, { weights: [6, 5, 4, 3, 2, 1] });
  assert.deepEqual([...fromArray.weights!], [6, 5, 3, 2, 1]);
  assert.throws(() => modelFrameFromText('y ~ x', withMissing, { weights: [1, 2] }), /weights have 2 values but the data have 6 rows/);
  assert.throws(() => modelFrameFromText('y ~ x', withMissing, { weights: [1, -1, 1, 1, 1, 1] }), /weights must be finite and non-negative: row 2 has -1/);
  assert.throws(() => modelFrameFromText('y ~ x', withMissing, { weights: 'W' }), /unknown weights column 'W' \(did you mean 'w'\?\)/);
});

test('modelFrame(y ~ scale(x) + poly(x, 2)) computes the transforms on the rows kept', () => {
  const frame = modelFrameFromText('y ~ scale(x) + poly(x, 2) + g', withMissing);
  // kept x: 1, 2, 100, 6 (rows 0, 1, 4, 5)
  const kept = [1, 2, 100, 6];
  const mean = kept.reduce((s, v) => s + v, 0) / 4;
  const sd = Math.sqrt(kept.reduce((s, v) => s + (v - mean) ** 2, 0) / 3);
  const scaled = [...frame.X.subarray(4, 8)];
  scaled.forEach((v, i) => assert.ok(Math.abs(v - (kept[i] - mean) / sd) < 1e-12));
  const linear = [...frame.X.subarray(8, 12)];
  assert.ok(Math.abs(linear.reduce((s, v) => s + v, 0)) < 1e-12);
  assert.ok(Math.abs(linear.reduce((s, v) => s + v * v, 0) - 1) < 1e-12);
});

test('modelFrame(cbind(s, f) ~ ...) gives proportions and trials (cbpp)', () => {
  const data = readFixture('cbpp', ['herd', 'period']);
  const frame = modelFrameFromText('cbind(incidence, size - incidence) ~ period + (1 | herd)', data, { family: 'binomial' });
  assert.equal(frame.responseName, 'cbind(incidence, size - incidence)');
  assert.deepEqual([...frame.trials!.subarray(0, 3)], [14, 12, 9]);
  assert.deepEqual([...frame.y.subarray(0, 3)], [2 / 14, 3 / 12, 4 / 9]);
});

test('modelFrame(r2 ~ ...) codes a two-level categorical response 0/1 for the binomial family only (VerbAgg)', () => {
  const data = readFixture('VerbAgg');
  const frame = modelFrameFromText('r2 ~ Anger + Gender', data, { family: 'binomial' });
  assert.deepEqual(frame.responseLevels, ['N', 'Y']);
  assert.deepEqual([...frame.y.subarray(0, 2)], [0, 0]);
  assert.ok(frame.y.every((v) => v === 0 || v === 1) && frame.y.includes(1));
  assert.throws(() => modelFrameFromText('r2 ~ Anger', data), (e: Error) => e instanceof MixedModelsError && e.message === "response 'r2' is not numeric");
  assert.throws(() => modelFrameFromText('btype ~ Anger', data, { family: 'binomial' }), /needs exactly two levels; 'btype' has 3 \(curse, scold, shout\)/);
});

test('modelFrame(y ~ x + offset(log(n)) + offset(x)) sums the offsets', () => {
  const data = toTable({ y: [1, 2, 3], x: [1, 2, 3], n: [1, Math.E, Math.E ** 2] });
  const frame = modelFrameFromText('y ~ x + offset(log(n)) + offset(x)', data);
  assert.deepEqual(frame.colnames, ['(Intercept)', 'x']);
  [1, 3, 5].forEach((v, i) => assert.ok(Math.abs(frame.offset![i] - v) < 1e-12));
});

test('modelFrame(..., { reference, contrasts, factors }) changes the coding of categorical variables', () => {
  const data = readFixture('cake');
  assert.deepEqual(modelFrameFromText('angle ~ recipe', data, { reference: { recipe: 'C' } }).colnames, ['(Intercept)', 'recipeA', 'recipeB']);
  assert.deepEqual(modelFrameFromText('angle ~ recipe', data, { contrasts: { recipe: 'sum' } }).colnames, ['(Intercept)', 'recipe1', 'recipe2']);
  assert.deepEqual(modelFrameFromText('angle ~ temp', data, { factors: ['temp'] }).colnames.slice(0, 3), ['(Intercept)', 'temp185', 'temp195']);
  assert.throws(() => modelFrameFromText('angle ~ recipe', data, { contrasts: { recipes: 'sum' } }), /contrasts given for 'recipes', which is not a categorical variable of the model \(did you mean 'recipe'\?\)/);
  assert.throws(() => modelFrameFromText('angle ~ recipe', data, { reference: { recipe: 'D' } }), /reference level 'D' is not a level of 'recipe'/);
  assert.throws(() => modelFrameFromText('angle ~ recipe', data, { reference: { Recipe: 'A' } }), /reference level given for unknown column 'Recipe' \(did you mean 'recipe'\?\)/);
});

test('modelFrameFromText(text, data) points at an unknown column', () => {
  const data = readFixture('sleepstudy', ['Subject']);
  assert.throws(
    () => modelFrameFromText('Reacton ~ Days + (1 | Subject)', data),
    (e: Error) => e instanceof FormulaError && e.message === "unknown column 'Reacton' (did you mean 'Reaction'?)\n  Reacton ~ Days + (1 | Subject)\n  ^^^^^^^",
  );
});

test('modelFrame(...) rejects infinite values, naming the column and row', () => {
  const data = toTable({ y: [1, 2, 3], x: [1, Infinity, 3], z: [0, 1, 2] });
  assert.throws(() => modelFrameFromText('y ~ x', data), (e: Error) => e instanceof MixedModelsError && e.message === "column 'x' is Inf in row 2: infinite values cannot be fitted");
  assert.throws(() => modelFrameFromText('y ~ log(z)', data), /'log\(z\)' is -Inf in row 1 \(where z = 0\)/);
});

test('modelFrame(...) rejects data with no complete row, and a formula with no response', () => {
  const data = toTable({ y: [1, null], x: [null, 2] });
  assert.throws(() => modelFrameFromText('y ~ x', data), /no rows left: each of the 2 rows has a missing value in y, x/);
  assert.throws(() => modelFrameFromText('~ x', toTable({ x: [1, 2] })), /the formula has no response/);
});

test('modelFrame(log(Reaction) ~ Days + I(Days^2)) names the response and columns as R (lm_sleepstudy_transform)', () => {
  const ref = readRef('lm_sleepstudy_transform');
  const frame = modelFrameFromText(ref.formula, readFixture('sleepstudy'));
  assert.equal(frame.responseName, 'log(Reaction)');
  assert.ok(Math.abs(frame.y[0] - Math.log(249.56)) < 1e-15);
  assert.deepEqual(frame.colnames, ['(Intercept)', 'Days', 'I(Days^2)']);
});
