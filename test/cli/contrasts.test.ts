// `--ref`, `--contrasts` and spline terms through the CLI, against R 4.2.2 / lme4 1.1-31
// (test/fixtures/refs/contrasts_splines.json, made by test/fixtures/r/contrasts_splines.R).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertClose, dataFile, fitFails, fitJson, readRef, runCli } from './helpers.js';

const refs = readRef('contrasts_splines').cases;

function assertFixef(out: Record<string, any>, r: Record<string, any>, tolSe: number): void {
  const got = Object.fromEntries(out.coefficients.map((c: any) => [c.term, c.estimate]));
  assert.deepEqual(Object.keys(got), Object.keys(r.fixef));
  for (const [term, est] of Object.entries(r.fixef as Record<string, number>)) assertClose(got[term], est, 0, term, tolSe * r.fixef_se[term]);
}

test('mixedmodels fit --ref style="no flip" makes it the reference level, as R\'s relevel', async () => {
  const r = refs.ref_flipped;
  const out = await fitJson([dataFile('flipped'), r.formula, '--factor', 'professor', '--ref', 'style="no flip"']);
  assertFixef(out, r, 1e-4);
  assertClose(out.logLik, r.logLik, 1e-8, 'logLik');
});

test('mixedmodels fit --contrasts sum codes every factor by sum contrasts (options(contrasts = contr.sum))', async () => {
  const r = refs.sum_global_cbpp;
  const out = await fitJson([dataFile('cbpp'), r.formula, '--factor', 'herd,period', '--family', 'binomial', '--contrasts', 'sum']);
  assertFixef(out, r, 3e-3);
});

test('mixedmodels fit --contrasts recipe=helmert,temperature=helmert sets them per variable', async () => {
  const r = refs.helmert_cake;
  const out = await fitJson([dataFile('cake'), r.formula, '--factor', 'replicate,temperature', '--contrasts', 'recipe=helmert,temperature=helmert']);
  assertFixef(out, r, 1e-4);
});

test('mixedmodels predict with ns() on new data uses the fit\'s knots (R\'s makepredictcall)', async () => {
  const r = refs.ns_lmer;
  const dir = mkdtempSync(join(tmpdir(), 'mm-ns-'));
  const newdata = join(dir, 'new.csv');
  writeFileSync(newdata, ['Days', ...r.predict.newdata.map((d: { Days: number }) => String(d.Days))].join('\n') + '\n');
  const res = await runCli(['predict', dataFile('sleepstudy'), r.formula, '--factor', 'Subject', '--newdata', newdata, '--population', '--format', 'json']);
  assert.equal(res.code, 0, res.stderr);
  const out = JSON.parse(res.stdout);
  r.predict.fit.forEach((want: number, i: number) => assertClose(out.predictions[i].fit, want, 1e-6, `row ${i + 1}`));
});

test('mixedmodels fit refuses an unknown reference level, naming the levels', async () => {
  await fitFails([dataFile('flipped'), 'score ~ style + (1 | professor)', '--factor', 'professor', '--ref', 'style=half'], /reference level 'half' is not a level of 'style'/);
});

test('mixedmodels fit refuses unknown contrasts and malformed --ref', async () => {
  await fitFails([dataFile('flipped'), 'score ~ style + (1 | professor)', '--contrasts', 'SAS'], /unknown contrasts 'SAS'; use treatment, sum, helmert, poly/);
  await fitFails([dataFile('flipped'), 'score ~ style + (1 | professor)', '--ref', 'style'], /--ref must be column=level/);
});
