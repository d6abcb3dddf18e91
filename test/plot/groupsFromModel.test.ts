/**
 * The groups plot of a model: its curves are the model's predictions, so the
 * population curve follows the fixed effects exactly (1e-9) and each level's
 * curve adds that level's conditional modes; a GLMM's are on the response scale.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glmer, lmer, modelPlot, parseCsv } from '../../src/index.js';
import type { PlotSpec } from '../../src/plot/types.js';
import { readFileSync } from 'node:fs';
import { dataFile } from '../cli/helpers.js';
import { MAX_GROUPS } from '../../src/plot/groupsFromModel.js';

const read = (name: string) => parseCsv(readFileSync(dataFile(name)));
type Row = { x: number | string; y: number; group: string };
const layer = (spec: PlotSpec, i: number) => (spec.layer as { data: { values: Row[] }; encoding: Record<string, { title?: string; type?: string; sort?: string[] }> }[])[i];
const plogis = (x: number) => 1 / (1 + Math.exp(-x));

test('modelPlot(lmer, "groups") draws the fixed-effects line and each level\'s line with its conditional modes', () => {
  const m = lmer('Reaction ~ Days + (Days | Subject)', read('sleepstudy'));
  const spec = modelPlot(m, 'groups');
  const [b0, b1] = m.fit.beta;
  for (const r of layer(spec, 4).data.values) assert.ok(Math.abs(r.y - (b0 + b1 * (r.x as number))) < 1e-9);
  const g = m.fit.ranef[0];
  const curves = layer(spec, 2).data.values;
  assert.equal(new Set(curves.map((r) => r.group)).size, MAX_GROUPS);
  const l = g.levels.indexOf(curves[0].group);
  for (const r of curves.filter((c) => c.group === curves[0].group)) {
    assert.ok(Math.abs(r.y - (b0 + g.values[l * 2] + (b1 + g.values[l * 2 + 1]) * (r.x as number))) < 1e-9);
  }
  const byIntercept = g.levels.map((level, i) => ({ level, b: g.values[i * 2] })).sort((a, b) => a.b - b.b).map((v) => v.level);
  assert.deepEqual([...new Set(curves.map((r) => r.group))], [...byIntercept.slice(0, 6), ...byIntercept.slice(-6)]);
  assert.match(JSON.stringify(spec.title), /coefficient of Days 10\.5/);
  assert.match(JSON.stringify(spec.title), /6 lowest and 6 highest of 18 levels/);
  assert.equal(layer(spec, 0).data.values.length + layer(spec, 1).data.values.length, 180);
});

test('modelPlot(glmer binomial, "groups") plots proportions and fitted probabilities per category', () => {
  const m = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', read('cbpp'), { family: 'binomial', factors: ['period'] });
  const spec = modelPlot(m, 'groups');
  assert.equal(layer(spec, 1).encoding.y.title, 'Proportion of incidence');
  assert.equal(layer(spec, 1).encoding.x.type, 'ordinal');
  const [b0, ...bk] = m.fit.beta;
  const pooled = layer(spec, 4).data.values;
  assert.deepEqual(pooled.map((r) => r.x), ['1', '2', '3', '4']);
  pooled.forEach((r, k) => assert.ok(Math.abs(r.y - plogis(b0 + (k === 0 ? 0 : bk[k - 1]))) < 1e-9));
  const points = [...layer(spec, 0).data.values, ...layer(spec, 1).data.values];
  assert.ok(points.every((p) => p.y >= 0 && p.y <= 1));
  assert.match(JSON.stringify(spec.title), /incidence \/ \(incidence \+ size - incidence\) per row/);
});

test('modelPlot(lmer with a 0/1 predictor, "groups") draws it as two categories', () => {
  const n = 60;
  const d = { y: Array.from({ length: n }, (_, i) => (i % 2) * 2 + (i % 5) + Math.sin(i)), x: Array.from({ length: n }, (_, i) => i % 2), g: Array.from({ length: n }, (_, i) => `g${i % 5}`) };
  const spec = modelPlot(lmer('y ~ x + (1 | g)', d), 'groups');
  assert.deepEqual(layer(spec, 1).encoding.x.sort, ['0', '1']);
  assert.deepEqual(layer(spec, 4).data.values.map((r) => r.x), ['0', '1']);
});

test('modelPlot(m, kind, {width}) gives single plots that width and shares it among panels', () => {
  const m = lmer('Reaction ~ Days + (Days | Subject)', read('sleepstudy'));
  assert.equal(modelPlot(m, 'forest', { width: 700 }).width, 700);
  const qq = modelPlot(m, 'qq', { width: 700 }).concat as { width: number }[];
  assert.ok(qq.every((p) => p.width === Math.floor((700 - (24 + 70)) / 2)));
});

test('modelPlot(m, "groups") draws the fitted value of a level seen at one x only as a diamond', () => {
  const n = 40;
  const d = { y: Array.from({ length: n }, (_, i) => (i % 8) + Math.cos(i)), x: Array.from({ length: n }, (_, i) => i % 8), g: Array.from({ length: n }, (_, i) => `g${i % 8}`) };
  const m = lmer('y ~ x + (1 | g)', d);
  const diamonds = layer(modelPlot(m, 'groups'), 3).data.values;
  assert.equal(diamonds.length, 8);
  // Every row of a level has the same x, so its diamond is the model's fitted value of those rows.
  for (const r of diamonds) assert.ok(Math.abs(r.y - m.fit.fitted[d.g.indexOf(r.group)]) < 1e-9, r.group);
});

test('modelPlot(lmer, "groups") takes a grouping column whose name needs backticks in the formula', () => {
  const csv = readFileSync(dataFile('sleepstudy'), 'utf8').replace(/^(.*)Subject/, '$1my subject');
  const m = lmer('Reaction ~ Days + (Days | `my subject`)', parseCsv(csv));
  const spec = modelPlot(m, 'groups');
  const curves = layer(spec, 2).data.values;
  assert.equal(new Set(curves.map((r) => r.group)).size, MAX_GROUPS);
  const ref = layer(modelPlot(lmer('Reaction ~ Days + (Days | Subject)', read('sleepstudy')), 'groups'), 2).data.values;
  assert.deepEqual(curves.map((r) => r.y), ref.map((r) => r.y), 'the same curves as with the plain name');
});
