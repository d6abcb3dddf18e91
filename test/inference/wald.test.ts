import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmer } from '../../src/api/fit.js';
import { waldFixef, waldIntervals } from '../../src/inference/wald.js';
import { readCsvFile } from '../../src/io/readTable.js';
import { assertClose, dataFile, readRef } from '../cli/helpers.js';

// References: lme4 1.1-31 confint(m, method = "Wald") (inference_sleepstudy.json) and
// fixef / se of the same REML fit (sleepstudy_slopes_reml.json).
const ref = readRef('inference_sleepstudy');
const fitRef = readRef('sleepstudy_slopes_reml');
const model = lmer(ref.formula, readCsvFile(dataFile('sleepstudy')), { factors: ref.factors });

test('waldFixef(fit) from lme4\'s estimates and standard errors equals lme4\'s Wald intervals (1e-8 relative)', () => {
  const coefnames = Object.keys(fitRef.fixef);
  const fit = {
    coefnames,
    beta: coefnames.map((c) => fitRef.fixef[c]),
    se: coefnames.map((c) => fitRef.fixef_se[c]),
    varCorr: { terms: [] },
  };
  const rows = waldFixef(fit);
  ref.confint_wald_fixef.forEach((r: { param: string; lower: number; upper: number }, j: number) => {
    assert.equal(rows[j].parameter, r.param);
    assertClose(rows[j].lower!, r.lower, 1e-8, `${r.param} lower`);
    assertClose(rows[j].upper!, r.upper, 1e-8, `${r.param} upper`);
  });
});

test('waldIntervals(fit, true) of the fitted model matches lme4 to the fit\'s accuracy (1e-6 relative)', () => {
  const rows = waldIntervals(model.fit, true);
  assert.deepEqual(rows.map((r) => r.parameter), ref.confint_profile.map((r: { param: string }) => r.param));
  for (const r of ref.confint_wald_fixef) {
    const row = rows.find((x) => x.parameter === r.param)!;
    assertClose(row.lower!, r.lower, 1e-6, `${r.param} lower`);
    assertClose(row.upper!, r.upper, 1e-6, `${r.param} upper`);
  }
});

test('waldIntervals(fit, true) gives null (lme4\'s NA) for the variance parameters and sigma', () => {
  const rows = waldIntervals(model.fit, true);
  for (const r of rows.slice(0, 4)) assert.deepEqual([r.lower, r.upper], [null, null], r.parameter);
});

test('waldFixef(fit, 0.9) is narrower than at 0.95 and centred on beta', () => {
  const a = waldFixef(model.fit, 0.9), b = waldFixef(model.fit, 0.95);
  a.forEach((r, j) => {
    assert.ok(r.upper! - r.lower! < b[j].upper! - b[j].lower!);
    assertClose((r.upper! + r.lower!) / 2, model.fit.beta[j], 1e-12, r.parameter);
  });
});

test('waldFixef(fit, 1.5) throws a clear error', () => {
  assert.throws(() => waldFixef(model.fit, 1.5), /level must be between 0 and 1/);
});
