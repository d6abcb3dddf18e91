// Every wrong argument to a public function is a MixedModelsError naming it, never a TypeError or a silently ignored setting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bootstrap, compareModels, confint, fitModel, glm, glmer, lm, lmer, modelJson, parseCsv, predict, profile, r2Nakagawa, render, simulate,
  MixedModelsError, parseFormula, expandFormula, formatFormula, modelFrame, modelFrameFromText, makeFamily, lmFit, glmFit, fitLmm, lmmProblem,
  finishLmm, describeBlocks, fitGlmm, bobyqa, nelderMead,
} from '../../src/index.js';
import { lmerAt } from '../../src/api/fit.js';

const data = (name: string) => parseCsv(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'data', `${name}.csv`)));
const sleep = data('sleepstudy');
const F = 'Reaction ~ Days + (1 | Subject)';
const O = { factors: ['Subject'] };

function refused(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (e: Error) => {
    assert.ok(e instanceof MixedModelsError, `a MixedModelsError, not ${e?.constructor?.name}: ${e?.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('lmer(formula, null), lmer(42, data) and lm(formula) name the bad argument', () => {
  refused(() => lmer(F, null), /^lmer\(\): data must be an object of columns, an array of row objects or an Arrow table, not null/);
  refused(() => lm('y ~ x', undefined), /^lm\(\): data must be/);
  refused(() => lmer(42 as unknown as string, sleep), /^lmer\(\): the formula must be a string .*, not 42/);
  refused(() => fitModel(F, 'Reaction,Days\n1,2'), /data must be an object of columns/);
});

test("lmer(..., { REML: 'no' }) and other wrongly typed options are refused with the option's path", () => {
  const cases: [unknown, RegExp][] = [
    [{ REML: 'no' }, /^lmer\(\): options\.REML must be true or false, not "no"$/],
    [{ REML: 0 }, /options\.REML must be true or false, not 0/],
    [{ nAGQ: 1.5 }, /options\.nAGQ must be a whole number, not 1\.5/],
    [{ factors: 'Subject' }, /options\.factors must be an array of column names, not "Subject"/],
    [{ factors: ['Subject', 3] }, /options\.factors\[1\] must be an array of column names, not 3/],
    [{ contrasts: { x: 'SAS' } }, /options\.contrasts must be a contrasts kind \(treatment, sum, helmert, poly\) or an object of kinds per variable/],
    [{ weights: ['a', 'b'] }, /options\.weights must be a column name or an array of one number per row/],
    [{ ddf: 'kr' }, /options\.ddf must be 'auto', 'satterthwaite', 'kenward-roger' or 'none', not "kr"/],
    [{ reml: false }, /options\.reml is not a known option \(did you mean 'REML'\?\)/],
    [{ family: { family: 'binomial', link: 'logit' } }, /options\.family must be a family name such as 'binomial' \(give a link as options\.link\), not an object/],
    [[1, 2], /options must be an object of options/],
  ];
  for (const [options, pattern] of cases) refused(() => lmer(F, sleep, options as never), pattern);
  refused(() => glmer(F, sleep, { family: null } as never), /^glmer\(\): options\.family must be a family name/);
});

test('lm() and glm() refuse random-effects bars instead of ignoring them', () => {
  refused(() => lm(F, sleep, O), /^lm\(\) fits no random effects, but the formula has a random-effects term such as \(1 \| Subject\): use lmer\(\)/);
  refused(() => glm(F, sleep, { ...O, family: 'poisson' }), /^glm\(\) fits no random effects.*use glmer\(\)/);
});

test('nAGQ is refused for every model but a GLMM', () => {
  refused(() => lmer(F, sleep, { ...O, nAGQ: 1 }), /^lmer\(\): nAGQ \(--nagq\) applies to generalized linear mixed models only, and this is a linear mixed model/);
  refused(() => fitModel(F, sleep, { ...O, nAGQ: 0 }), /nAGQ \(--nagq\) applies to generalized linear mixed models only, and this is a linear mixed model/);
  refused(() => fitModel('Reaction ~ Days', sleep, { nAGQ: 1 }), /this is a linear model/);
  refused(() => fitModel('Reaction ~ Days', sleep, { nAGQ: 1, family: 'Gamma' }), /this is a generalized linear model without random effects/);
});

test('lmerAt(..., theta) refuses theta that is not an array of finite numbers within the bounds', () => {
  refused(() => lmerAt(F, sleep, O, null as never), /theta must be an array of numbers, not null/);
  refused(() => lmerAt(F, sleep, O, [null] as never), /theta\[0\] must be a finite number, not null/);
  refused(() => lmerAt(F, sleep, O, [1, 2]), /theta has 2 covariance parameters; this model has 1/);
  refused(() => lmerAt(F, sleep, O, [-1]), /theta\[0\] is -1, below its lower bound 0/);
});

test('predict(null), simulate(undefined), confint({}), render(null) and the other model functions refuse what is not a fitted model', () => {
  const notModels: unknown[] = [null, undefined, {}, sleep, { kind: 'lmm' }, 'model'];
  const fns: [string, (m: never) => unknown][] = [
    ['predict', (m) => predict(m)], ['simulate', (m) => simulate(m)], ['bootstrap', (m) => bootstrap(m)], ['confint', (m) => confint(m)],
    ['profile', (m) => profile(m)], ['r2Nakagawa', (m) => r2Nakagawa(m)], ['render', (m) => render(m, 'text')], ['modelJson', (m) => modelJson(m)],
  ];
  for (const [name, fn] of fns) {
    for (const m of notModels) refused(() => fn(m as never), new RegExp(`^${name}\\(\\) needs a fitted model from lm\\(\\), glm\\(\\), lmer\\(\\), glmer\\(\\) or fitModel\\(\\)`));
  }
  refused(() => compareModels(null as never), /^compareModels\(\) needs an array of fitted models, not null/);
  refused(() => compareModels([null, null] as never), /^compareModels\(\) needs a fitted model/);
});

test('predict, simulate, bootstrap and confint refuse models of the wrong kind and wrongly typed options', () => {
  const m = lmer(F, sleep, O);
  const linear = lm('Reaction ~ Days', sleep);
  refused(() => predict({ kind: 'lm' } as never), /^predict\(\) needs a fitted model from lm\(\), glm\(\), lmer\(\), glmer\(\) or fitModel\(\)/);
  refused(() => predict(linear, undefined, { allowNewLevels: true }), /^allowNewLevels applies to a mixed model's grouping factors; an lm has none/);
  refused(() => bootstrap(linear as never), /^bootstrap\(\) needs a linear mixed model \(lmer\) or a generalized linear mixed model \(glmer\), not a linear model/);
  refused(() => predict(m, null), /^predict\(\): newdata must be a table/);
  refused(() => predict(m, undefined, { level: 2 }), /options\.level must be between 0 and 1, not 2/);
  refused(() => predict(m, undefined, { population: 'yes' } as never), /options\.population must be true or false, not "yes"/);
  refused(() => predict(m, undefined, { intervals: 'confidence' } as never), /options\.intervals is not a known option \(did you mean 'interval'\?\)/);
  refused(() => simulate(m, { nsim: 2.5 }), /^simulate\(\): options\.nsim must be a whole number, not 2\.5/);
  refused(() => simulate(m, { seed: -1 }), /options\.seed must be 0 or more, not -1/);
  refused(() => confint(m, { method: 'bca' } as never), /options\.method must be one of wald, profile, boot, not "bca"/);
  refused(() => bootstrap(m, { nsim: '100' } as never), /options\.nsim must be a number, not "100"/);
  refused(() => profile(m, { which: 'sigma' } as never), /options\.which must be an array of parameter names/);
  refused(() => render(m, 'html' as never), /^render\(\): format must be 'text', 'json' or 'markdown', not "html"/);
});

test('the exported pipeline stages refuse null and objects of the wrong shape with a MixedModelsError', () => {
  const stages: [string, () => unknown][] = [
    ['parseFormula', () => parseFormula(null as never)],
    ['expandFormula', () => expandFormula({} as never)],
    ['formatFormula', () => formatFormula(null as never)],
    ['modelFrame', () => modelFrame(null as never, sleep)],
    ['modelFrameFromText', () => modelFrameFromText(F, null as never)],
    ['makeFamily', () => makeFamily({ family: 'binomial', link: 'logit' } as never)],
    ['makeFamily', () => makeFamily('binomial', 3 as never)],
    ['lmFit', () => lmFit(null as never)],
    ['glmFit', () => glmFit(sleep as never, { family: 'poisson' })],
    ['fitLmm', () => fitLmm(undefined as never)],
    ['lmmProblem', () => lmmProblem(null as never, { REML: true })],
    ['finishLmm', () => finishLmm(null as never, [1])],
    ['describeBlocks', () => describeBlocks(null as never)],
    ['fitGlmm', () => fitGlmm(null as never, { family: 'binomial' })],
    ['bobyqa', () => bobyqa(null as never, [1])],
    ['nelderMead', () => nelderMead((x) => x[0], null as never)],
  ];
  for (const [name, call] of stages) refused(call, new RegExp(`^${name}\\(\\): .* must be .*, not (null|undefined|an object|3)$`));
});
