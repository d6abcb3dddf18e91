import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitGlmm } from '../../src/glmm/index.js';
import { modelFrameFromText } from '../../src/frame/index.js';
import { parseCsv } from '../../src/io/csv.js';
import { near, refFrame } from './helpers.js';

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
  // Aggregation serves the optimum; lme4's path (the default here) runs on the user's rows.
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
