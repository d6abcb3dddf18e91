import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glmer, lmer } from '../../../src/api/fit.js';
import { profile } from '../../../src/inference/profile/profile.js';
import { pchip, profileCutoff, profileInterval } from '../../../src/inference/profile/profileInterval.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { dataFile, readRef } from '../../cli/helpers.js';

// References: lme4 1.1-31 confint(m, method = "profile", oldNames = FALSE)
// (test/fixtures/refs/inference_sleepstudy.json, inference_cbpp.json).
// Tolerance: 1% of each interval's width (lme4 interpolates its profile by splines).

interface RefRow { param: string; lower: number; upper: number }

function assertWithinWidth(rows: { parameter: string; lower: number | null; upper: number | null }[], ref: RefRow[], frac: number): void {
  assert.deepEqual(rows.map((r) => r.parameter), ref.map((r) => r.param));
  ref.forEach((r, k) => {
    const tol = frac * (r.upper - r.lower);
    for (const side of ['lower', 'upper'] as const) {
      const got = rows[k][side];
      assert.ok(got !== null && Math.abs(got - r[side]) <= tol, `${r.param} ${side}: got ${got}, lme4 ${r[side]} (tolerance ${tol})`);
    }
  });
}

const sleep = readRef('inference_sleepstudy');
const sleepModel = lmer(sleep.formula, readCsvFile(dataFile('sleepstudy')), { factors: sleep.factors });
const sleepProfile = profile(sleepModel);

test('profile(sleepstudy REML fit) gives lme4\'s profile intervals for all six parameters (1% of width)', () => {
  const rows = sleepProfile.traces.map((t) => ({ parameter: t.parameter, ...profileInterval(t) }));
  assertWithinWidth(rows, sleep.confint_profile, 0.01);
});

test('profile(model) traces pass zeta = 0 at the estimate, increase with the value and pass the cut-off', () => {
  const c = profileCutoff(0.95);
  for (const t of sleepProfile.traces) {
    const at = Array.from(t.value).indexOf(t.estimate);
    assert.ok(at >= 0 && t.zeta[at] === 0, t.parameter);
    for (let k = 1; k < t.value.length; k++) assert.ok(t.value[k] > t.value[k - 1] && t.zeta[k] >= t.zeta[k - 1] - 1e-6, t.parameter);
    assert.ok(t.zeta[0] < -c && t.zeta[t.zeta.length - 1] > c, t.parameter);
  }
});

test('profile(model, { which }) profiles only the named parameters; an unknown name throws', () => {
  const p = profile(sleepModel, { which: ['Days', 'sigma'] });
  assert.deepEqual(p.traces.map((t) => t.parameter), ['Days', 'sigma']);
  assert.throws(() => profile(sleepModel, { which: ['days'] }), /no parameter 'days'/);
});

test('profileInterval(trace, 0.9) from a 0.95 profile matches a profile traced to 0.9 (1e-3 of width)', () => {
  const p90 = profile(sleepModel, { level: 0.9 });
  p90.traces.forEach((t, k) => {
    const direct = profileInterval(t, 0.9), interpolated = profileInterval(sleepProfile.traces[k], 0.9);
    const w = direct.upper! - direct.lower!;
    assert.ok(Math.abs(direct.lower! - interpolated.lower!) < 1e-3 * w, t.parameter);
    assert.ok(Math.abs(direct.upper! - interpolated.upper!) < 1e-3 * w, t.parameter);
  });
});

test('profile(singular Dyestuff2 fit) gives a lower sd bound of 0', () => {
  const m = lmer('Yield ~ 1 + (1 | Batch)', readCsvFile(dataFile('Dyestuff2')), { factors: ['Batch'] });
  const p = profile(m);
  const sd = profileInterval(p.traces[0]);
  assert.equal(p.traces[0].parameter, 'sd_(Intercept)|Batch');
  assert.equal(sd.lower, 0);
  // lme4 1.1-31: confint(fm) for Dyestuff2 gives 0 and 2.084044 for the sd.
  assert.ok(Math.abs(sd.upper! - 2.084044) < 0.01 * 2.084044, `upper ${sd.upper}`);
  for (const t of p.traces.slice(1)) {
    const iv = profileInterval(t);
    assert.ok(iv.lower !== null && iv.upper !== null && iv.lower < t.estimate && t.estimate < iv.upper, t.parameter);
  }
});

test('profile(binomial GLMM cbpp) gives lme4\'s profile intervals (1% of width)', () => {
  const ref = readRef('inference_cbpp');
  const model = glmer(ref.formula, readCsvFile(dataFile('cbpp')), { factors: ref.factors, family: 'binomial' });
  const rows = profile(model).traces.map((t) => ({ parameter: t.parameter, ...profileInterval(t) }));
  assertWithinWidth(rows, ref.confint_profile, 0.01);
});

test('pchip(x, y, t) interpolates monotone data without overshoot', () => {
  const x = [0, 1, 2, 3], y = [0, 0, 1, 1];
  assert.equal(pchip(x, y, 1), 0);
  for (let t = 0; t <= 3; t += 0.1) {
    const v = pchip(x, y, t);
    assert.ok(v >= 0 && v <= 1, `pchip at ${t} = ${v}`);
  }
  assert.ok(Math.abs(pchip([0, 1, 2], [0, 2, 4], 0.5) - 1) < 1e-12);
});
