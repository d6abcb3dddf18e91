// mixedmodels anova: JSON rows against lmerTest's cake reference (test/fixtures/refs/anova_cake_type3.json),
// the text table's header, and clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, dataFile, readRef, runCli } from './helpers.js';

const ref = readRef('anova_cake_type3');
const args = ['anova', dataFile('cake'), ref.formula, '--factor', ref.factors.join(',')];

for (const [ddf, key] of [['satterthwaite', 'satterthwaite'], ['kenward-roger', 'kenward_roger']] as const) {
  test(`mixedmodels anova --ddf ${ddf} --format json agrees with lmerTest's type III table`, async () => {
    const r = await runCli([...args, '--ddf', ddf, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout);
    assert.deepEqual(rows.map((x: any) => Object.keys(x)), rows.map(() => ['term', 'sumSq', 'meanSq', 'numDf', 'denDf', 'F', 'pValue']));
    assert.deepEqual(rows.map((x: any) => x.term), ref[key].map((x: any) => x.term));
    rows.forEach((x: any, i: number) => {
      const e = ref[key][i];
      assert.equal(x.numDf, e.numdf);
      assertClose(x.F, e.F, 1e-4, `${e.term} F`);
      assertClose(x.denDf, e.dendf, 2e-3, `${e.term} denDf`);
    });
  });
}

// lmerTest 3.1-3: print(anova(lmer(angle ~ recipe * temp + (1 | recipe:replicate), cake))).
test('mixedmodels anova prints a text table like lmerTest', async () => {
  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Type III Analysis of Variance Table with Satterthwaite's method\n/);
  assert.match(r.stdout, /Sum Sq Mean Sq NumDF  DenDF F value Pr\(>F\)/);
  assert.match(r.stdout, /\ntemp        1966\.71 1966\.71     1 222\.00 94\.1632 <2e-16 \*\*\*\n/);
  const t1 = await runCli([...args, '--type', '1', '--ddf', 'kenward-roger']);
  assert.match(t1.stdout, /^Type I Analysis of Variance Table with Kenward-Roger's method\n/);
});

test('mixedmodels anova --format markdown gives a markdown table', async () => {
  const r = await runCli([...args, '--format', 'markdown']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\| Term \| Sum Sq \| Mean Sq \| NumDF \| DenDF \| F value \| Pr\(&gt;F\) \|/);
});

test('mixedmodels anova of a model without random effects gives R\'s sequential anova table', async () => {
  const r = await runCli(['anova', dataFile('cake'), 'angle ~ recipe * temperature', '--factor', 'recipe,temperature', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout);
  assert.deepEqual(rows.map((x: any) => x.denDf), [252, 252, 252, null]);
  assert.deepEqual(rows.map((x: any) => x.term), ['recipe', 'temperature', 'recipe:temperature', 'Residuals']);
  // R 4.2.2: print(anova(lm(angle ~ recipe * temperature, cake))), trailing blanks removed, ASCII quotes in the legend.
  const text = await runCli(['anova', dataFile('cake'), 'angle ~ recipe * temperature', '--factor', 'recipe,temperature']);
  assert.equal(text.stdout, [
    'Analysis of Variance Table',
    '',
    'Response: angle',
    '                    Df  Sum Sq Mean Sq F value    Pr(>F)',
    'recipe               2   135.1   67.54  1.0840    0.3398',
    'temperature          5  2100.3  420.06  6.7417 6.442e-06 ***',
    'recipe:temperature  10   206.0   20.60  0.3306    0.9724',
    'Residuals          252 15701.6   62.31',
    '---',
    "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1",
    '',
  ].join('\n'));
});

test('mixedmodels anova of a GLM gives R\'s analysis of deviance with chi-square or F tests', async () => {
  const args = ['anova', dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ factor(period) + size', '--family', 'binomial'];
  // R 4.2.2: print(anova(glm(cbind(incidence, size - incidence) ~ factor(period) + size, binomial, cbpp), test = "Chisq")).
  const text = await runCli(args);
  assert.equal(text.code, 0, text.stderr);
  assert.equal(text.stdout, [
    'Analysis of Deviance Table',
    '',
    'Model: binomial, link: logit',
    '',
    'Response: cbind(incidence, size - incidence)',
    '',
    'Terms added sequentially (first to last)',
    '',
    '',
    '               Df Deviance Resid. Df Resid. Dev  Pr(>Chi)',
    'NULL                              55     154.82',
    'factor(period)  3   40.716        52     114.10 7.513e-09 ***',
    'size            1    0.162        51     113.94    0.6874',
    '---',
    "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1",
    '',
  ].join('\n'));
  const json = JSON.parse((await runCli([...args, '--test', 'f', '--format', 'json'])).stdout);
  assert.deepEqual(Object.keys(json[1]), ['term', 'df', 'deviance', 'residDf', 'residDeviance', 'pValue', 'F']);
  assert.equal(json[0].df, null);
  const none = JSON.parse((await runCli([...args, '--test', 'none', '--format', 'json'])).stdout);
  assert.ok(none.every((x: any) => x.pValue === null));
});

test('mixedmodels anova --type 2 gives lmerTest\'s type II table with sums of squares (anova_cake_types)', async () => {
  const types = readRef('anova_cake_types');
  const r = await runCli(['anova', dataFile('cake'), types.formula, '--factor', types.factors.join(','), '--type', '2', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  JSON.parse(r.stdout).forEach((x: any, i: number) => {
    const e = types.type2_satterthwaite[i];
    assert.equal(x.term, e.term);
    for (const f of ['sumSq', 'meanSq', 'F']) assertClose(x[f], e[f], 1e-4, `${e.term} ${f}`);
    assertClose(x.denDf, e.denDf, 2e-3, `${e.term} denDf`);
  });
  // lmerTest 3.1-3: print(anova(m, type = 2)).
  const text = await runCli(['anova', dataFile('cake'), types.formula, '--factor', types.factors.join(','), '--type', '2']);
  assert.equal(text.stdout.split('\n').slice(0, 5).join('\n'), [
    "Type II Analysis of Variance Table with Satterthwaite's method",
    '                    Sum Sq Mean Sq NumDF DenDF F value Pr(>F)',
    'recipe               10.19    5.09     2    42  0.2488 0.7809',
    'temperature        2100.30  420.06     5   210 20.5199 <2e-16 ***',
    'recipe:temperature  205.98   20.60    10   210  1.0062 0.4393',
  ].join('\n'));
});

test('mixedmodels anova --ml --ddf kenward-roger tests the REML refit, as pbkrtest\'s KRmodcomp', async () => {
  const ml = await runCli([...args, '--ml', '--ddf', 'kenward-roger', '--format', 'json']);
  const reml = await runCli([...args, '--ddf', 'kenward-roger', '--format', 'json']);
  assert.equal(ml.code, 0, ml.stderr);
  // The same table (to rounding: the sums of squares are rescaled from the ML fit's sigma, 1e-12 relative).
  // Said on stderr (lmerTest refuses an ML fit; pbkrtest refits it), and not for the REML fit.
  assert.match(ml.stderr, /^note: Kenward-Roger tests are of the REML refit of this ML fit \(its estimates\), as pbkrtest computes them\n$/);
  assert.equal(reml.stderr, '');
  const a = JSON.parse(ml.stdout) as Record<string, number | string>[], b = JSON.parse(reml.stdout) as Record<string, number | string>[];
  assert.equal(a.length, b.length);
  a.forEach((row, i) => {
    for (const [k, v] of Object.entries(b[i])) {
      if (typeof v === 'number') assert.ok(Math.abs((row[k] as number) - v) <= 1e-12 * Math.abs(v), `${k}: ${row[k]} vs ${v}`);
      else assert.equal(row[k], v);
    }
  });
});

test('mixedmodels anova reports bad requests as errors', async () => {
  const bad = await runCli([...args, '--type', '4']);
  assert.equal(bad.code, 1);
  const glmType = await runCli(['anova', dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ factor(period)', '--family', 'binomial', '--type', '3']);
  assert.equal(glmType.code, 1);
  assert.match(glmType.stderr, /^error: .*type 1/);
  // recipe only within temp:recipe and recipe:replicate: its values cannot be read back from the design.
  const nonHier = await runCli(['anova', dataFile('cake'), 'angle ~ temp + recipe:temp + recipe:replicate + (1 | recipe:replicate)', '--factor', 'recipe,replicate']);
  assert.equal(nonHier.code, 1);
  assert.match(nonHier.stderr, /use type 1/);
});

const lmArgs = ['anova', dataFile('cake'), 'angle ~ recipe * temperature', '--factor', 'recipe,temperature'];
const glmArgs = ['anova', dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ factor(period)', '--family', 'binomial'];
for (const [title, refused, message] of [
  ['--test chisq on a linear mixed model', [...args, '--test', 'chisq'], /^error: --test applies to GLMs \(analysis of deviance\); a linear mixed model has F tests: leave it out\n$/],
  ['--test f on a linear model', [...lmArgs, '--test', 'f'], /^error: --test applies to GLMs \(analysis of deviance\); a linear model has F tests/],
  ['--ddf kenward-roger on a linear model', [...lmArgs, '--ddf', 'kenward-roger'], /^error: --ddf applies to linear mixed models .*no random effects: leave it out\n$/],
  ['--ddf satterthwaite on a GLM', [...glmArgs, '--ddf', 'satterthwaite'], /^error: --ddf applies to linear mixed models .*no random effects/],
] as const) {
  test(`mixedmodels anova ${title} is refused in one line, before any output`, async () => {
    const r = await runCli([...refused]);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, message);
  });
}

test('mixedmodels anova --ddf on a mixed model and --test on a GLM still apply', async () => {
  const kr = await runCli([...args, '--ddf', 'satterthwaite']);
  assert.equal(kr.code, 0, kr.stderr);
  const glm = await runCli([...glmArgs, '--test', 'chisq']);
  assert.equal(glm.code, 0, glm.stderr);
  assert.match(glm.stdout, /Pr\(>Chi\)/);
});

test('mixedmodels anova --ddf kenward-roger with prior weights says that pbkrtest\'s adjustment leaves them out', async () => {
  const r = await runCli(['anova', dataFile('sleepstudy_w'), 'Reaction ~ Days + (Days | Subject)', '--factor', 'Subject', '--weights', 'w', '--ddf', 'kenward-roger']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^note: with prior weights the Kenward-Roger adjustment is pbkrtest's \(and lmerTest's\), whose covariance of the data leaves the weights out/);
  const s = await runCli(['anova', dataFile('sleepstudy_w'), 'Reaction ~ Days + (Days | Subject)', '--factor', 'Subject', '--weights', 'w']);
  assert.equal(s.stderr, '', 'Satterthwaite: nothing to say');
});

test('mixedmodels anova --type 2|3 of a linear model says its hypotheses are lmerTest\'s (car::Anova\'s can differ); type 1 says nothing', async () => {
  const lm = ['anova', dataFile('cake'), 'angle ~ temp * recipe', '--factor', 'recipe'];
  for (const type of ['2', '3']) {
    const r = await runCli([...lm, '--type', type]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^note: type ${type === '2' ? 'II' : 'III'} tests here are lmerTest's, as for a mixed model.*car::Anova's can differ`, 'm'));
  }
  const sequential = await runCli(lm);
  assert.equal(sequential.stderr, '');
});
