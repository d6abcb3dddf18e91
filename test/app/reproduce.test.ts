// The CLI command and R code that reproduce a page's fit (app/src/model/reproduce.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliCommand, modelKind, rCode, shellWord } from '../../app/src/model/reproduce.js';
import { defaultOptions, fitOptions } from '../../app/src/model/options.js';

const glmm = { ...defaultOptions(), family: 'binomial' as const, nagq: 10, factors: ['herd'] };

test('cliCommand() writes the flags the page used, gaussian with the identity link as no --family', () => {
  assert.equal(cliCommand('sleepstudy.csv', 'Reaction ~ Days + (Days | Subject)', defaultOptions()), "npx mixedmodels fit sleepstudy.csv 'Reaction ~ Days + (Days | Subject)' --format json");
  assert.equal(cliCommand('cbpp.csv', 'cbind(incidence, size - incidence) ~ period + (1 | herd)', glmm, 'text'),
    "npx mixedmodels fit cbpp.csv 'cbind(incidence, size - incidence) ~ period + (1 | herd)' --factor herd --family binomial --nagq 10");
  assert.equal(cliCommand('d.csv', 'y ~ x + (1 | g)', { ...defaultOptions(), reml: false, link: 'identity' }, 'text'), "npx mixedmodels fit d.csv 'y ~ x + (1 | g)' --ml");
});

test("shellWord() quotes anything a POSIX shell would read differently, quotes included", () => {
  assert.equal(shellWord('plain.csv'), 'plain.csv');
  assert.equal(shellWord("it's $HOME.csv"), `'it'\\''s $HOME.csv'`);
});

test('fitOptions() gives the library the options the CLI builds from the same flags', () => {
  assert.deepEqual(fitOptions(defaultOptions()), { factors: [], family: undefined, link: undefined, weights: undefined, REML: true, nAGQ: undefined, ddf: 'auto' });
  assert.deepEqual(fitOptions(glmm), { factors: ['herd'], family: 'binomial', link: undefined, weights: undefined, REML: true, nAGQ: 10, ddf: 'auto' });
});

test('modelKind() and rCode() choose lm, glm, lmer or glmer as the library does', () => {
  assert.equal(modelKind('y ~ x', defaultOptions()), 'lm');
  assert.equal(modelKind('y ~ x', glmm), 'glm');
  assert.equal(modelKind('y ~ x + (1 | g)', defaultOptions()), 'lmm');
  assert.equal(modelKind('y ~ x + (1 | g)', glmm), 'glmm');
  assert.equal(rCode('cbpp.csv', 'cbind(incidence, size - incidence) ~ period + (1 | herd)', glmm), [
    'library(lme4)',
    'd <- read.csv("cbpp.csv", check.names = FALSE)',
    'd$herd <- factor(d$herd)',
    'm <- glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), data = d, family = binomial, nAGQ = 10)',
    'summary(m)',
    'performance::icc(m)          # intraclass correlation',
    'performance::r2_nakagawa(m)  # marginal and conditional R^2',
    '',
  ].join('\n'));
  assert.match(rCode('a "b".csv', 'y ~ x', { ...defaultOptions(), factors: ['my col'] }), /read\.csv\("a \\"b\\"\.csv".*\nd\[\["my col"\]\] <- factor\(d\[\["my col"\]\]\)\nm <- lm\(y ~ x, data = d\)/);
});

test('rCode() writes the weights column as a string, so that a hostile column name cannot end a quote and run code in R', () => {
  const hostile = 'Days` * 0 + 1 + 0 * system("touch /tmp/PWNED") + 0 * `Days';
  const code = rCode('w.csv', 'Reaction ~ Days + (Days | Subject)', { ...defaultOptions(), weights: hostile });
  assert.match(code, /m <- lmer\(Reaction ~ Days \+ \(Days \| Subject\), data = d, weights = d\[\["Days` \* 0 \+ 1 \+ 0 \* system\(\\"touch \/tmp\/PWNED\\"\) \+ 0 \* `Days"\]\], REML = TRUE\)/);
  assert.match(rCode('w.csv', 'y ~ x', { ...defaultOptions(), weights: 'w' }), /m <- lm\(y ~ x, data = d, weights = d\$w\)/);
});
