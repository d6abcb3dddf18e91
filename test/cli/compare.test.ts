// `mixedmodels compare` against lme4 1.1-31's anova(m0, m1) (test/fixtures/refs/inference_sleepstudy.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, dataFile, readRef, runCli } from './helpers.js';

const ref = readRef('inference_sleepstudy');
const base = ['compare', dataFile('sleepstudy'), ref.lrt.null, ref.formula, '--factor', 'Subject'];

test('mixedmodels compare --format json agrees with lme4\'s anova', async () => {
  const r = await runCli([...base, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assertClose(out.chisq, ref.lrt.chisq, 1e-4, 'chisq');
  assert.equal(out.df, ref.lrt.df);
  assertClose(out.pValue, ref.lrt.p, 1e-4, 'p');
  out.models.forEach((m: Record<string, number>, i: number) => {
    assertClose(m.AIC, ref.lrt.AIC[i], 1e-6, `AIC ${i}`);
    assertClose(m.BIC, ref.lrt.BIC[i], 1e-6, `BIC ${i}`);
    assertClose(m.logLik, ref.lrt.logLik[i], 1e-6, `logLik ${i}`);
  });
  assert.deepEqual(out.models.map((m: { formula: string }) => m.formula), [ref.lrt.null, ref.formula]);
  assert.match(r.stderr, /refitted by maximum likelihood/);
});

test('mixedmodels compare prints an anova table in text and markdown', async () => {
  const text = await runCli(base);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /m0: Reaction ~ Days \+ \(1 \| Subject\)/);
  assert.match(text.stdout, /m1\s+6\s+1763\.94\s+1783\.1\s+-875\.97\s+1751\.94\s+42\.139\s+2\s+7\.07e-10/);
  const md = await runCli([...base, '--format', 'markdown']);
  assert.match(md.stdout, /\| m1 \| 6 \|/);
});

test('mixedmodels compare refuses a single formula and different responses', async () => {
  const one = await runCli(['compare', dataFile('sleepstudy'), ref.formula, '--factor', 'Subject']);
  assert.equal(one.code, 1);
  assert.match(one.stderr, /at least two/);
  const diff = await runCli(['compare', dataFile('sleepstudy'), ref.formula, 'log(Reaction) ~ Days + (1 | Subject)', '--factor', 'Subject']);
  assert.equal(diff.code, 1);
  assert.match(diff.stderr, /different responses/);
});
