// scaleInfo(model) and makeTransform(name) as emmeans 1.8.4's .std.link.labels / .make.link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glm, lm } from '../../../src/api/fit.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { makeTransform, scaleInfo } from '../../../src/inference/emmeans/transform.js';
import { dataFile } from '../../cli/helpers.js';

const cbpp = readCsvFile(dataFile('cbpp'));

test('scaleInfo(model) gives the means\' link, emmeans\' response label and the ratio of differences', () => {
  const logit = scaleInfo(glm('cbind(incidence, size - incidence) ~ period', cbpp, { family: 'binomial' }));
  assert.deepEqual([logit.means!.name, logit.responseLabel, logit.ratio!.name, logit.ratio!.label], ['logit', 'prob', 'log odds ratio', 'odds.ratio']);
  assert.ok(Math.abs(logit.ratio!.linkinv(Math.log(2)) - 2) < 1e-15);
  const log = scaleInfo(glm('incidence ~ period', cbpp, { family: 'poisson' }));
  assert.deepEqual([log.means!.name, log.responseLabel, log.ratio!.label], ['log', 'rate', 'ratio']);
  const probit = scaleInfo(glm('cbind(incidence, size - incidence) ~ period', cbpp, { family: 'binomial', link: 'probit' }));
  assert.deepEqual([probit.means!.name, probit.ratio], ['probit', null]);
  const none = scaleInfo(lm('incidence ~ period', cbpp));
  assert.deepEqual([none.means, none.ratio, none.responseLabel], [null, null, 'response']);
});

test('scaleInfo(lm(log10(y) ~ ...)) back-transforms the response transformation', () => {
  const s = scaleInfo(lm('log10(size) ~ period', cbpp));
  assert.equal(s.means!.name, 'log10');
  assert.ok(Math.abs(s.means!.linkinv(2) - 100) < 1e-12);
  assert.equal(s.ratio!.label, 'ratio');
  assert.equal(scaleInfo(lm('sqrt(size) ~ period', cbpp)).ratio, null);
});

test('makeTransform(name) matches emmeans\' inverses and derivatives', () => {
  const sqrt = makeTransform('sqrt')!;
  assert.deepEqual([sqrt.linkinv(-1), sqrt.linkinv(3), sqrt.muEta(3)], [0, 9, 6]);
  assert.ok(Math.abs(makeTransform('log1p')!.linkinv(Math.log1p(5)) - 5) < 1e-14);
  assert.equal(makeTransform('inverse')!.linkinv(0.5), 2);
  assert.equal(makeTransform('cube'), null);
});
