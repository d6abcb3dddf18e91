// --reml and --ml choose a linear mixed model's criterion: on an lm, a glm or a GLMM they are refused
// (one line, exit 1, nothing on stdout), never accepted and ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataFile, runCli } from './helpers.js';

const CBPP = [dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ period + (1 | herd)', '--family', 'binomial'];

test('mixedmodels fit, anova and compare refuse --reml / --ml on models that are not linear mixed models', async () => {
  for (const [args, re] of [
    [['fit', dataFile('sleepstudy'), 'Reaction ~ Days', '--reml'], /^error: --reml applies to linear mixed models, and this is a linear model \(least squares\): leave it out\n$/],
    [['fit', dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ period', '--family', 'binomial', '--ml'], /^error: --ml applies to linear mixed models, and this is a generalized linear model: leave it out\n$/],
    [['fit', ...CBPP, '--ml'], /^error: --ml applies to linear mixed models, and this is a generalized linear mixed model \(maximum likelihood\)/],
    [['anova', dataFile('cake'), 'angle ~ recipe', '--ml'], /^error: --ml applies to linear mixed models/],
    [['compare', dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ 1 + (1 | herd)', 'cbind(incidence, size - incidence) ~ period + (1 | herd)', '--family', 'binomial', '--ml'], /^error: --ml applies to linear mixed models/],
  ] as const) {
    const r = await runCli([...args]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout.slice(0, 80)}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, re);
  }
});

test('mixedmodels fit --ml and compare of linear mixed models and of GLMMs without the flags still work', async () => {
  const ml = await runCli(['fit', dataFile('sleepstudy'), 'Reaction ~ Days + (Days | Subject)', '--ml', '--format', 'json']);
  assert.equal(ml.code, 0, ml.stderr);
  assert.equal(JSON.parse(ml.stdout).REML, false);
  const lmms = await runCli(['compare', dataFile('sleepstudy'), 'Reaction ~ Days + (1 | Subject)', 'Reaction ~ Days + (Days | Subject)']);
  assert.equal(lmms.code, 0, lmms.stderr);
  assert.match(lmms.stderr, /refitting model\(s\) with ML \(instead of REML\)/);
  const glmms = await runCli(['compare', dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ 1 + (1 | herd)', 'cbind(incidence, size - incidence) ~ period + (1 | herd)', '--family', 'binomial']);
  assert.equal(glmms.code, 0, glmms.stderr);
});

test('mixedmodels fit refuses --ddf on models that are not linear mixed models, and takes it on one', async () => {
  for (const [args, re] of [
    [['fit', ...CBPP, '--ddf', 'kenward-roger'], /^error: --ddf chooses the df of a linear mixed model's t tests, and this is a generalized linear mixed model \(Wald tests, as lme4\): leave it out\n$/],
    [['fit', dataFile('sleepstudy'), 'Reaction ~ Days', '--ddf', 'satterthwaite'], /^error: --ddf chooses the df of a linear mixed model's t tests, and this is a linear model/],
    [['fit', dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ period', '--family', 'binomial', '--ddf', 'none'], /^error: --ddf .* this is a generalized linear model: leave it out\n$/],
  ] as const) {
    const r = await runCli([...args]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout.slice(0, 80)}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, re);
  }
  const ok = await runCli(['fit', dataFile('sleepstudy'), 'Reaction ~ Days + (1 | Subject)', '--ddf', 'kenward-roger']);
  assert.equal(ok.code, 0, ok.stderr);
});
