// mixedmodels anova: JSON rows against lmerTest's cake reference (test/fixtures/refs/anova_cake_type3.json),
// the text table's header, and clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, dataFile, readRef, runCli } from './helpers.js';

const ref = readRef('anova_cake_type3');
const args = ['anova', dataFile('cake'), ref.formula, '--factor', ref.factors.join(',')];

for (const [ddf, key] of [['satterthwaite', 'satterthwaite'], ['kenward-roger', 'kenward_roger']] as const) {
  test(`mixedmodels anova --ddf ${ddf} --format json agrees with lmerTest's type III table`, async () => {
    const r = await runCli([...args, '--ddf', ddf, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout);
    assert.deepEqual(rows.map((x: any) => Object.keys(x)), rows.map(() => ['term', 'numDf', 'denDf', 'F', 'pValue']));
    assert.deepEqual(rows.map((x: any) => x.term), ref[key].map((x: any) => x.term));
    rows.forEach((x: any, i: number) => {
      const e = ref[key][i];
      assert.equal(x.numDf, e.numdf);
      assertClose(x.F, e.F, 1e-4, `${e.term} F`);
      assertClose(x.denDf, e.dendf, 2e-3, `${e.term} denDf`);
    });
  });
}

test('mixedmodels anova prints a text table like lmerTest', async () => {
  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Type III Analysis of Variance Table with Satterthwaite's method\n/);
  assert.match(r.stdout, /NumDF\s+DenDF\s+F value\s+Pr\(>F\)/);
  assert.match(r.stdout, /\ntemp\s+1\s+222(\.0+)?\s+94\.163\s+< 2e-16\s+\*\*\*/);
  const t1 = await runCli([...args, '--type', '1', '--ddf', 'kenward-roger']);
  assert.match(t1.stdout, /^Type I Analysis of Variance Table with Kenward-Roger's method\n/);
});

test('mixedmodels anova --format markdown gives a markdown table', async () => {
  const r = await runCli([...args, '--format', 'markdown']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\| Term \| NumDF \| DenDF \| F value \| Pr\(&gt;F\) \|\n\| --- \| ---: \| ---: \| ---: \| ---: \|\n/);
  assert.match(r.stdout, /\| temp \| 1 \| 222 \| 94\.163 \| &lt; 2e-16 \|/);
});

test('mixedmodels anova of a model without random effects gives F tests on the residual df', async () => {
  const r = await runCli(['anova', dataFile('cake'), 'angle ~ recipe * temperature', '--factor', 'recipe,temperature', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout);
  assert.deepEqual(rows.map((x: any) => x.denDf), [252, 252, 252]);
  const text = await runCli(['anova', dataFile('cake'), 'angle ~ recipe', '--factor', 'recipe']);
  assert.match(text.stdout, /F tests on the residual df/);
});

test('mixedmodels anova reports bad requests as errors', async () => {
  const ml = await runCli([...args, '--ml', '--ddf', 'kenward-roger']);
  assert.equal(ml.code, 1);
  assert.match(ml.stderr, /^error: .*REML/);
  const bad = await runCli([...args, '--type', '2']);
  assert.equal(bad.code, 1);
  const nonHier = await runCli(['anova', dataFile('cake'), 'angle ~ temp + recipe:temp + (1 | recipe:replicate)', '--factor', 'recipe,replicate']);
  assert.equal(nonHier.code, 1);
  assert.match(nonHier.stderr, /use type 1/);
});
