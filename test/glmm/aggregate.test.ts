import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitGlmm } from '../../src/glmm/index.js';
import { modelFrameFromText } from '../../src/frame/index.js';
import { parseCsv } from '../../src/io/csv.js';
import { near, refFrame } from './helpers.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { glmmProblem } from '../../src/glmm/problem.js';
import { lme4Stage1, lme4Stage2 } from '../../src/glmm/lme4Path.js';
import { makeFamily } from '../../src/glm/family.js';

/** cbpp expanded to one Bernoulli row per animal. */
function bernoulliCbpp(): string {
  const f = refFrame('cbpp_laplace');
  const lines = ['y,period,herd'];
  const herd = f.reTerms[0];
  for (let i = 0; i < f.nobs; i++) {
    let per = '1';
    for (let t = 1; t < f.p; t++) if (f.X[i + t * f.nobs] === 1) per = f.colnames[t].replace('period', '');
    const size = f.trials![i], s = Math.round(f.y[i] * size);
    for (let k = 0; k < size; k++) lines.push(`${k < s ? 1 : 0},${per},${herd.levels[herd.refs[i]]}`);
  }
  return lines.join('\n') + '\n';
}

test('fitGlmm aggregates Bernoulli rows and keeps the likelihood on the user rows', () => {
  const frame = modelFrameFromText('y ~ period + (1 | herd)', parseCsv(bernoulliCbpp()), { family: 'binomial', factors: ['period', 'herd'] });
  // Aggregation serves the optimum; lme4's path (the default here) runs on the user's rows up to LME4_ROW_SUMS.
  const agg = fitGlmm(frame, { family: 'binomial', optimizer: 'bobyqa' });
  const raw = fitGlmm(frame, { family: 'binomial', optimizer: 'bobyqa', aggregate: false });
  const path = fitGlmm(frame, { family: 'binomial' });
  assert.equal(path.nrowsFitted, frame.nobs);
  for (let j = 0; j < agg.p; j++) near(path.beta[j], raw.beta[j], 1e-3 * raw.se[j], `lme4's path: beta[${j}]`);
  assert.ok(agg.nrowsFitted <= 56 && raw.nrowsFitted === frame.nobs, `${agg.nrowsFitted} ${raw.nrowsFitted}`);
  assert.match(agg.messages[0], new RegExp(`collapsed ${frame.nobs} rows into ${agg.nrowsFitted}`));
  near(agg.logLik, raw.logLik, 1e-4, 'logLik');
  for (let j = 0; j < agg.p; j++) near(agg.beta[j], raw.beta[j], 1e-3 * raw.se[j], `beta[${j}]`);
  assert.equal(agg.fitted.length, frame.nobs);
  near(agg.deviance, raw.deviance, 1e-4, 'deviance');
});

test('lme4Stage2(prob, lme4Stage1(prob)) takes lme4\'s path on aggregated Bernoulli rows as on the user\'s (relative 1e-8)', () => {
  const frame = modelFrameFromText('y ~ period + (1 | herd)', parseCsv(bernoulliCbpp()), { family: 'binomial', factors: ['period', 'herd'] });
  // lme4 1.1-31 on the same 842 rows (test/fixtures/r/glmer_lme4_path.R, cbpp_bernoulli).
  const ref = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'r', 'glmer_lme4_path.json'), 'utf8')).cbpp_bernoulli;
  const want: number[] = [ref.theta, ...ref.beta];
  for (const aggregate of [true, false]) {
    const prob = glmmProblem(frame, makeFamily('binomial'), { aggregate, scale: false });
    assert.equal(prob.frame.nobs, aggregate ? 56 : 842);
    const s1 = lme4Stage1(prob, 10000);
    assert.ok(s1 !== null);
    const s2 = lme4Stage2(prob, s1, 10000);
    assert.equal(s2.summary.evaluations, ref.feval);
    const got = [...s2.theta, ...s2.beta];
    got.forEach((v, i) => near(v, want[i], 1e-8 * Math.abs(want[i]), `${aggregate ? 'aggregated' : 'user'} rows: parameter ${i}`));
  }
});
