// `mixedmodels predict` against lme4 1.1-31's predict() (test/fixtures/refs/inference_sleepstudy.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertClose, dataFile, readRef, runCli } from './helpers.js';

const ref = readRef('inference_sleepstudy');
const dir = mkdtempSync(join(tmpdir(), 'mm-predict-'));
const newdata = join(dir, 'new.csv');
writeFileSync(newdata, ['Days,Subject', ...ref.newdata.map((r: { Days: number; Subject: string }) => `${r.Days},${r.Subject}`), 'NA,308'].join('\n') + '\n');
const base = ['predict', dataFile('sleepstudy'), ref.formula, '--factor', 'Subject', '--newdata', newdata, '--format', 'json'];

test('mixedmodels predict --allow-new-levels agrees with lme4 and gives null for a missing value', async () => {
  const r = await runCli([...base, '--allow-new-levels']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  ref.predict_conditional.forEach((want: number, i: number) => assertClose(out.predictions[i].fit, want, 1e-6, `row ${i + 1}`));
  assert.equal(out.predictions[4].fit, null);
  assert.match(r.stderr, /note: new level '999'/);
});

test('mixedmodels predict --population --interval confidence gives lme4\'s re.form = NA with Wald bounds', async () => {
  const r = await runCli([...base, '--population', '--interval', 'confidence', '--level', '0.95']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  ref.predict_population.forEach((want: number, i: number) => assertClose(out.predictions[i].fit, want, 1e-6, `row ${i + 1}`));
  assertClose(out.predictions[0].lower, ref.confint_wald_fixef[0].lower, 1e-6, 'lower');
  assertClose(out.predictions[0].upper, ref.confint_wald_fixef[0].upper, 1e-6, 'upper');
});

test('mixedmodels predict refuses new levels by name and prints a table in text format', async () => {
  const refused = await runCli(base);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /error: .*'999'.*'Subject'/);
  const text = await runCli([...base.slice(0, -2), '--population', '--interval', 'prediction']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^row\s+fit\s+lower\s+upper\n1\s+251\.4051/);
  const bad = await runCli([...base, '--level', '95']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--level/);
});

test('mixedmodels predict --method boot --nsim --seed gives reproducible percentile intervals', async () => {
  const args = [...base, '--allow-new-levels', '--interval', 'prediction', '--method', 'boot', '--nsim', '50', '--seed', '3'];
  const [r, again] = [await runCli(args), await runCli(args)];
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, again.stdout);
  const out = JSON.parse(r.stdout);
  ref.predict_conditional.forEach((want: number, i: number) => {
    assertClose(out.predictions[i].fit, want, 1e-6, `row ${i + 1}`);
    assert.ok(out.predictions[i].lower < want && want < out.predictions[i].upper, `row ${i + 1} inside its interval`);
  });
  assert.equal(out.predictions[4].lower, null);
  const bad = await runCli([...args.slice(0, -1), 'x']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--seed/);
});

const fitted = ['predict', dataFile('sleepstudy'), ref.formula, '--factor', 'Subject'];
for (const [title, args, message] of [
  ['--level without --interval', [...fitted, '--level', '0.9'], /^error: --level applies to intervals: add --interval confidence or prediction\n$/],
  ['--method boot --interval none --nsim 50', [...fitted, '--method', 'boot', '--interval', 'none', '--nsim', '50'], /^error: --method applies to intervals: add --interval/],
  ['--nsim without --method boot', [...fitted, '--interval', 'confidence', '--nsim', '50'], /^error: --nsim applies to bootstrap intervals: add --method boot\n$/],
  ['--seed without an interval', [...fitted, '--seed', '3'], /^error: --seed applies to bootstrap intervals: add --method boot and --interval confidence or prediction\n$/],
  ['--population --allow-new-levels', [...base, '--population', '--allow-new-levels'], /^error: --allow-new-levels has no effect with --population/],
  ['--allow-new-levels without --newdata', [...fitted, '--allow-new-levels'], /^error: --allow-new-levels applies to --newdata/],
] as const) {
  test(`mixedmodels predict ${title} is refused in one line, before any output`, async () => {
    const r = await runCli([...args]);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });
}

test('mixedmodels predict --interval confidence --level 0.9 gives narrower bounds than the default 0.95', async () => {
  const [r90, r95] = [await runCli([...base, '--population', '--interval', 'confidence', '--level', '0.9']), await runCli([...base, '--population', '--interval', 'confidence'])];
  assert.equal(r90.code, 0, r90.stderr);
  const [a, b] = [JSON.parse(r90.stdout).predictions[0], JSON.parse(r95.stdout).predictions[0]];
  assert.ok(b.lower < a.lower && a.upper < b.upper, 'the 90% interval lies inside the 95% one');
});

test('mixedmodels predict of an lm gives R\'s predict.lm intervals; of a GLM the response scale; --method boot there exits 1', async () => {
  const days = join(dir, 'days.csv');
  writeFileSync(days, 'Days\n0\n4.5\n12\n');
  const r = await runCli(['predict', dataFile('sleepstudy'), 'Reaction ~ Days', '--newdata', days, '--interval', 'prediction', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  // R 4.2.2: predict(lm(Reaction ~ Days, sleepstudy), data.frame(Days = c(0, 4.5, 12)), interval = "prediction")
  assertClose(out.predictions[1].fit, 298.507891666667, 1e-10, 'fit');
  assertClose(out.predictions[2].lower, 280.830081211161, 1e-10, 'lower');
  assertClose(out.predictions[2].upper, 473.194991516111, 1e-10, 'upper');
  const g = await runCli(['predict', dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ period', '--family', 'binomial', '--factor', 'period', '--format', 'json']);
  assert.equal(g.code, 0, g.stderr);
  // R: fitted(glm(cbind(incidence, size - incidence) ~ period, binomial, cbpp))[1], period 1.
  assertClose(JSON.parse(g.stdout).predictions[0].fit, 0.2194244604316548, 1e-8, 'response-scale fit');
  const boot = await runCli(['predict', dataFile('sleepstudy'), 'Reaction ~ Days', '--interval', 'confidence', '--method', 'boot']);
  assert.equal(boot.code, 1);
  assert.match(boot.stderr, /bootstrap intervals are for mixed models; an lm has analytic ones/);
});
