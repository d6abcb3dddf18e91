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
  assert.deepEqual(out.models.map((m: { name: string }) => m.name), ['m0', 'm1']);
  assert.match(r.stderr, /^note: refitting model\(s\) with ML \(instead of REML\)$/m);
});

test('mixedmodels compare prints lme4\'s anova table, Data: naming the file, and markdown', async () => {
  // R: anova(m0, m1) prints these lines (lme4 1.1-31; the whole layout is checked line by line
  // against R's printout in test/report/printout.test.ts).
  const text = await runCli(base);
  assert.equal(text.code, 0, text.stderr);
  assert.deepEqual(text.stdout.split('\n').slice(0, 7), [
    `Data: ${dataFile('sleepstudy')}`,
    'Models:',
    'm0: Reaction ~ Days + (1 | Subject)',
    'm1: Reaction ~ Days + (Days | Subject)',
    '   npar    AIC    BIC  logLik deviance  Chisq Df Pr(>Chisq)',
    'm0    4 1802.1 1814.8 -897.04   1794.1',
    'm1    6 1763.9 1783.1 -875.97   1751.9 42.139  2  7.072e-10 ***',
  ]);
  assert.match(text.stdout, /^---\nSignif\. codes: {2}0 ‘\*\*\*’ 0\.001/m);
  const md = await runCli([...base, '--format', 'markdown']);
  assert.match(md.stdout, /\| m1 \| 6 \| 1763\.9 \|/);
  assert.match(md.stdout, /^- m0: Reaction \\~ Days/m);
});

test('mixedmodels compare names the models in the order given when npar reorders them', async () => {
  const r = await runCli(['compare', dataFile('sleepstudy'), ref.formula, ref.lrt.null, '--factor', 'Subject']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Models:\nm1: Reaction ~ Days \+ \(1 \| Subject\)\nm0: Reaction ~ Days \+ \(Days \| Subject\)\n/m);
  assert.match(r.stdout, /^m0 {4}6 /m);
});

test('mixedmodels compare refuses a single formula and different responses', async () => {
  const one = await runCli(['compare', dataFile('sleepstudy'), ref.formula, '--factor', 'Subject']);
  assert.equal(one.code, 1);
  assert.match(one.stderr, /at least two/);
  const diff = await runCli(['compare', dataFile('sleepstudy'), ref.formula, 'log(Reaction) ~ Days + (1 | Subject)', '--factor', 'Subject']);
  assert.equal(diff.code, 1);
  assert.match(diff.stderr, /different responses/);
});
