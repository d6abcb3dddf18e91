// contrast(emm, method, options): emmeans 1.8.4's labels (numeric levels prefixed by the factor's name,
// parentheses around labels with -, +, /, *), by groups, ratios on the response scale and notes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glm, lm, lmer } from '../../../src/api/fit.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { contrast, pairs } from '../../../src/inference/emmeans/contrast.js';
import { emmeans } from '../../../src/inference/emmeans/emmeans.js';
import { MixedModelsError } from '../../../src/errors.js';
import { dataFile } from '../../cli/helpers.js';

const data = {
  y: [3.1, 4.2, 5.0, 2.2, 6.1, 4.4, 3.3, 5.9, 4.1, 2.8, 5.5, 4.9],
  f: ['no-flip', 'some flip', 'a+b', 'no-flip', 'some flip', 'a+b', 'no-flip', 'some flip', 'a+b', 'no-flip', 'some flip', 'a+b'],
  n: [10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30],
  b: ['u', 'u', 'u', 'u', 'u', 'u', 'v', 'v', 'v', 'v', 'v', 'v'],
};

test('pairs(emm) writes labels as emmeans: parentheses around -, +, /, * and numeric levels prefixed', () => {
  const e = emmeans(lm('y ~ f + b', data), 'f');
  assert.deepEqual(pairs(e).rows.map((r) => r.contrast), ['(a+b) - (no-flip)', '(a+b) - some flip', '(no-flip) - some flip']);
  const numeric = emmeans(lm('y ~ factor(n) + b', data), 'n');
  assert.deepEqual(pairs(numeric).rows.map((r) => r.contrast), ['n10 - n20', 'n10 - n30', 'n20 - n30']);
  const factorN = emmeans(lm('y ~ n + b', data, { factors: ['n'] }), 'n');
  assert.deepEqual(pairs(factorN, { reverse: true }).rows.map((r) => r.contrast), ['n20 - n10', 'n30 - n10', 'n30 - n20']);
});

test('contrast(emm, method, { by }) contrasts within by groups, each a family', () => {
  const e = emmeans(lm('y ~ f * b', data), 'f', { by: 'b' });
  const c = contrast(e, 'pairwise');
  assert.deepEqual(c.rows.map((r) => [r.contrast, r.levels.b]), [
    ['(a+b) - (no-flip)', 'u'], ['(a+b) - some flip', 'u'], ['(no-flip) - some flip', 'u'],
    ['(a+b) - (no-flip)', 'v'], ['(a+b) - some flip', 'v'], ['(no-flip) - some flip', 'v'],
  ]);
  const within = contrast(emmeans(lm('y ~ f * b', data), 'f * b'), 'pairwise', { by: 'f' });
  assert.deepEqual(within.rows.map((r) => r.contrast), ['u - v', 'u - v', 'u - v']);
  assert.equal(within.adjust, 'none', 'one test per family is not adjusted');
  assert.throws(() => contrast(e, 'pairwise', { by: 'n' }), /not one of the means' factors/);
});

test('contrast(emm, custom, { adjust: "tukey" }) switches to sidak with emmeans\' note', () => {
  const e = emmeans(lm('y ~ f + b', data), 'f');
  const c = contrast(e, { first: [1, -1, 0], second: [0, 1, -1] }, { adjust: 'tukey' });
  assert.equal(c.adjust, 'sidak');
  assert.match(c.messages[0], /changed to "sidak"/);
  assert.throws(() => contrast(e, 'pairwise', { adjust: 'mvt' }), MixedModelsError);
});

test('pairs(emm) of a logit model on the response scale are odds ratios; on the link scale differences', () => {
  const g = glm('cbind(incidence, size - incidence) ~ factor(period)', readCsvFile(dataFile('cbpp')), { family: 'binomial' });
  const link = pairs(emmeans(g, 'period'));
  const resp = pairs(emmeans(g, 'period', { type: 'response' }));
  assert.equal(resp.rows[0].contrast, 'period1 / period2');
  assert.equal(resp.estName, 'odds.ratio');
  assert.equal(resp.nullValue, 1);
  assert.ok(Math.abs(resp.rows[0].estimate - Math.exp(link.rows[0].estimate)) < 1e-12);
  assert.equal(resp.rows[0].pValue, link.rows[0].pValue);
  assert.equal(resp.statName, 'z.ratio');
  assert.deepEqual(link.annotations.slice(-2), ['Results are given on the log odds ratio (not the response) scale.', 'P value adjustment: tukey method for comparing a family of 4 estimates']);
  const probit = glm('cbind(incidence, size - incidence) ~ factor(period)', readCsvFile(dataFile('cbpp')), { family: 'binomial', link: 'probit' });
  const still = pairs(emmeans(probit, 'period', { type: 'response' }));
  assert.equal(still.estName, 'estimate');
  assert.ok(still.annotations.includes('Note: contrasts are still on the probit scale'));
});

test('pairs(emm) says so when Tukey p-values are undefined for df < 2 (R gives NaN with a warning)', () => {
  // Four subjects, treatments between subjects (a, b, c, c): the contrasts have 1 df.
  // R: pairs(emmeans(lmer(y ~ g + (1 | s)), "g")): df 1, p.value NaN.
  const s = ['1', '1', '1', '2', '2', '2', '3', '3', '3', '4', '4', '4'];
  const g = s.map((x) => ({ 1: 'a', 2: 'b', 3: 'c', 4: 'c' })[x as '1']);
  const y = [1, 1.4, 0.8, 3, 3.3, 2.6, 2.0, 2.4, 1.8, 4.0, 3.1, 3.6];
  const c = pairs(emmeans(lmer('y ~ g + (1 | s)', { y, g, s }), 'g'));
  assert.ok(c.rows.every((r) => Math.abs(r.df - 1) < 1e-6 && Number.isNaN(r.pValue)));
  assert.match(c.messages.join('\n'), /need df >= 2/);
  assert.ok(contrast(emmeans(lmer('y ~ g + (1 | s)', { y, g, s }), 'g'), 'pairwise', { adjust: 'bonferroni' }).rows.every((r) => r.pValue > 0 && r.pValue <= 1));
});

test('pairs(emmeans(m, numeric x)): one mean, nothing to contrast (emmeans: "(nothing) nonEst"), no error', () => {
  // R 4.2.2, emmeans 1.8: emmeans(lmer(Reaction ~ Days + (1 | Subject), sleepstudy), "Days") is one mean at Days = 4.5.
  const sleep = readCsvFile(dataFile('sleepstudy'));
  const m = lmer('Reaction ~ Days + (1 | Subject)', sleep, { factors: ['Subject'] });
  const emm = emmeans(m, 'Days');
  assert.equal(emm.rows.length, 1);
  const c = pairs(emm);
  assert.deepEqual(c.rows, []);
  assert.deepEqual(c.messages, ['nothing to contrast: 1 mean']);
});
