// formatComparison and comparisonJson beyond the R fixtures of printout.test.ts: markdown, JSON, no data name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Comparison } from '../../src/inference/compare.js';
import { comparisonJson, formatComparison } from '../../src/report/comparison.js';

// The sleepstudy comparison of lme4's anova(m0, m1) (lme4 1.1-31), given in reverse order.
const c: Comparison = {
  models: [
    { index: 1, formula: 'Reaction ~ Days + (1 | Subject)', npar: 4, AIC: 1802.079, BIC: 1814.850, logLik: -897.0393, deviance: 1794.079, chisq: NaN, df: NaN, pValue: NaN },
    { index: 0, formula: 'Reaction ~ Days + (Days | Subject)', npar: 6, AIC: 1763.939, BIC: 1783.097, logLik: -875.9697, deviance: 1751.939, chisq: 42.13917, df: 2, pValue: 7.07e-10 },
  ],
  chisq: 42.13917,
  df: 2,
  pValue: 7.07e-10,
  refitted: true,
  messages: ['refitting model(s) with ML (instead of REML)'],
};

test('formatComparison(c, \'text\') names the models in the order given and prints lme4\'s table', () => {
  assert.deepEqual(formatComparison(c, 'text').trimEnd().split('\n'), [
    'Models:',
    'm1: Reaction ~ Days + (1 | Subject)',
    'm0: Reaction ~ Days + (Days | Subject)',
    '   npar    AIC    BIC  logLik deviance  Chisq Df Pr(>Chisq)',
    'm1    4 1802.1 1814.8 -897.04   1794.1',
    'm0    6 1763.9 1783.1 -875.97   1751.9 42.139  2   7.07e-10 ***',
    '---',
    'Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1',
  ]);
});

test('formatComparison(c, \'markdown\') lists the models and gives the table as markdown', () => {
  const md = formatComparison(c, 'markdown', { data: 'sleep.csv' });
  assert.match(md, /^Data: sleep\.csv\n\nModels:\n\n- m1: Reaction \\~ Days \+ \(1 \| Subject\)\n/);
  assert.match(md, /^\| m0 \| 6 \| 1763\.9 \| 1783\.1 \| -875\.97 \| 1751\.9 \| 42\.139 \| 2 \| 7\.07e-10 \| \\\*\\\*\\\* \|$/m);
});

test('comparisonJson(c) gives each model its name and the last row\'s test', () => {
  const j = comparisonJson(c) as Record<string, any>;
  assert.deepEqual(j.models.map((m: { name: string }) => m.name), ['m1', 'm0']);
  assert.equal(j.chisq, 42.13917);
  assert.equal(j.refitted, true);
});

test('comparisonJson(c) of three models gives every row its test against the row before, as the table does', () => {
  // R: anova(m0, m1, m2) on sleepstudy: m1 against m0 (4 -> 5 parameters), m2 against m1 (5 -> 6).
  const three: Comparison = {
    models: [
      { index: 0, formula: 'Reaction ~ 1 + (1 | Subject)', npar: 3, AIC: 1916.5, BIC: 1926.1, logLik: -955.27, deviance: 1910.5, chisq: NaN, df: NaN, pValue: NaN },
      { index: 1, formula: 'Reaction ~ Days + (1 | Subject)', npar: 4, AIC: 1802.1, BIC: 1814.8, logLik: -897.04, deviance: 1794.1, chisq: 116.46, df: 1, pValue: 3.8e-27 },
      { index: 2, formula: 'Reaction ~ Days + (Days | Subject)', npar: 6, AIC: 1763.9, BIC: 1783.1, logLik: -875.97, deviance: 1751.9, chisq: 42.139, df: 2, pValue: 7.07e-10 },
    ],
    chisq: 42.139,
    df: 2,
    pValue: 7.07e-10,
    refitted: true,
    messages: [],
  };
  const j = comparisonJson(three) as Record<string, any>;
  assert.deepEqual(j.models.map((m: Record<string, unknown>) => [m.name, m.chisq, m.df, m.pValue]), [['m0', null, null, null], ['m1', 116.46, 1, 3.8e-27], ['m2', 42.139, 2, 7.07e-10]]);
  assert.equal(j.chisq, 42.139, 'the last row\'s test stays at the top');
});
