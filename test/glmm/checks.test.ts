import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFamily } from '../../src/glm/family.js';
import { boundaryFitMessages, dispersionNote, extremeGroupMessages } from '../../src/glmm/checks.js';
import { glmmResponse } from '../../src/glmm/response.js';
import { dataFrame, refFrame } from './helpers.js';

test('extremeGroupMessages(frame, resp) counts the levels with no successes or only successes, without saying "fail"', () => {
  const frame = dataFrame('cbpp', 'cbind(incidence, size - incidence) ~ period + (1 | herd)', { factors: ['herd', 'period'], family: 'binomial' }, {
    column: 'incidence',
    value: (t, i) => (Number(t.columns.get('herd')!.values[i]) <= 2 ? 0 : (t.columns.get('incidence')!.values[i] as number)),
  });
  const [msg] = extremeGroupMessages(frame, glmmResponse(frame, makeFamily('binomial')));
  assert.match(msg, /^2 of 15 levels of herd have no successes \(2\) or only successes \(0\)/);
  assert.doesNotMatch(msg, /fail/i);
  assert.deepEqual(extremeGroupMessages(refFrame('cbpp_laplace'), glmmResponse(refFrame('cbpp_laplace'), makeFamily('binomial'))), []);
});

test('boundaryFitMessages(resp, mu) counts fitted probabilities within 10 eps of 0 or 1', () => {
  const frame = refFrame('cbpp_laplace');
  const resp = glmmResponse(frame, makeFamily('binomial'));
  const mu = new Float64Array(resp.n).fill(0.3);
  assert.deepEqual(boundaryFitMessages(resp, mu), []);
  mu[0] = 1e-17;
  mu[1] = 1 - 1e-16;
  assert.deepEqual(boundaryFitMessages(resp, mu), ['fitted probabilities numerically 0 or 1 occurred in 2 rows (complete or quasi-complete separation)']);
});

test('dispersionNote(family) says that lme4\'s criterion is not the likelihood for families with a dispersion', () => {
  assert.deepEqual(dispersionNote(makeFamily('binomial')), []);
  assert.deepEqual(dispersionNote(makeFamily('poisson', 'sqrt')), []);
  for (const [family, link] of [['Gamma', 'log'], ['inverse.gaussian', 'log'], ['gaussian', 'log']]) {
    assert.match(dispersionNote(makeFamily(family, link))[0], new RegExp(`^for the ${family} family lme4's Laplace criterion`));
  }
});
