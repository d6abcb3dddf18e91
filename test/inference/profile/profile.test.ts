import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glmer, lmer } from '../../../src/api/fit.js';
import { profile } from '../../../src/inference/profile/profile.js';
import { pchip, profileCutoff, profileInterval, profileIntervalMessages } from '../../../src/inference/profile/profileInterval.js';
import { confidenceIntervals } from '../../../src/inference/confint.js';
import { readFileSync } from 'node:fs';
import { readCsvFile } from '../../../src/io/readTable.js';
import { dataFile, readRef } from '../../cli/helpers.js';
import { farPredictorData } from '../farPredictorData.js';

// References: lme4 1.1-31 confint(m, method = "profile", oldNames = FALSE)
// (test/fixtures/refs/inference_sleepstudy.json, inference_cbpp.json).
// Tolerance: 1% of each interval's width (lme4 interpolates its profile by splines).

interface RefRow { param: string; lower: number; upper: number }

/** Profile limits: relative tolerance (of the limit, or of a tenth of the width for limits near 0). */
const PROFILE_REL = 1e-3;

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

interface GlmmRef { id: string; data: string; formula: string; factors: string[]; family: string; link: string; weights: string | Record<string, never>; nAGQ: number; profile: RefRow[] }
// test/fixtures/r/glmm_inference.R: lme4 1.1-31 confint(m, method = "profile", oldNames = FALSE)
// for GLMMs with prior weights, offsets, non-canonical links and quadrature.
const glmmRefs = (JSON.parse(readFileSync(new URL('../../fixtures/r/glmm_inference.json', import.meta.url), 'utf8')) as { glmm: GlmmRef[] }).glmm;
for (const ref of glmmRefs.filter((r) => r.id !== 'cbpp_logit')) {
  test(`confint(${ref.id}: ${ref.family}(${ref.link})${typeof ref.weights === 'string' ? ' weights' : ''} nAGQ ${ref.nAGQ}, { method: "profile" }) gives lme4's limits (${PROFILE_REL} relative)`, () => {
    const model = glmer(ref.formula, readCsvFile(dataFile(ref.data)), { factors: ref.factors, family: ref.family, link: ref.link, nAGQ: ref.nAGQ, ...(typeof ref.weights === 'string' ? { weights: ref.weights } : {}) });
    const { intervals, messages } = confidenceIntervals(model, { method: 'profile' });
    assert.deepEqual(intervals.map((r) => r.parameter), ref.profile.map((r) => r.param));
    ref.profile.forEach((r, k) => {
      for (const side of ['lower', 'upper'] as const) {
        const got = intervals[k][side], want = r[side];
        if (want === null) {
          assert.equal(got, null, `${r.param} ${side}: lme4 gives NA`);
          assert.ok(messages.some((m) => m.includes(r.param) && m.includes(side)), `${r.param} ${side}: a message`);
          continue;
        }
        assert.ok(got !== null && Math.abs(got - want) <= PROFILE_REL * Math.max(Math.abs(want), 0.1 * (r.upper - r.lower)), `${r.param} ${side}: got ${got}, lme4 ${want}`);
      }
    });
  });
}

test('confint(Gamma GLMM, { method: "profile" }) is refused as lme4 refuses it, naming the alternatives', () => {
  const model = glmer('Reaction ~ Days + (1 | Subject)', readCsvFile(dataFile('sleepstudy')), { factors: ['Subject'], family: 'Gamma', link: 'log' });
  assert.throws(() => confidenceIntervals(model, { method: 'profile' }), /binomial, poisson and negative\.binomial.*not Gamma.*boot or wald/);
});

test('confint(negative binomial GLMM, { method: "profile" }) profiles at the estimated theta, as lme4 profiles a glmer.nb fit', () => {
  // R 4.2.2, lme4 1.1-31: m <- glmer.nb(TICKS ~ YEAR + cHEIGHT + (1 | BROOD), grouseticks) (YEAR, BROOD factors;
  // theta 3.307520799); print(confint(m, method = "profile"), digits = 10)
  const lme4: [string, number, number][] = [
    ['sd_(Intercept)|BROOD', 0.74567495395, 1.09513575949],
    ['(Intercept)', 0.14457690603, 0.88933067043],
    ['YEAR96', 0.65620714626, 1.62305800011],
    ['YEAR97', -1.53192377181, -0.46113457423],
    ['cHEIGHT', -0.02996588531, -0.01802906582],
  ];
  const model = glmer('TICKS ~ YEAR + cHEIGHT + (1 | BROOD)', readCsvFile(dataFile('grouseticks')), { factors: ['YEAR', 'BROOD'], family: 'negative.binomial' });
  const { intervals, messages } = confidenceIntervals(model, { method: 'profile' });
  assert.ok(messages.some((m) => /^the profiles hold the negative binomial's theta at its estimate, 3\.307/.test(m)), messages.join('\n'));
  assert.deepEqual(intervals.map((r) => r.parameter), lme4.map((r) => r[0]));
  lme4.forEach(([name, lower, upper], k) => {
    // lme4 interpolates its profile by splines and stops its fits at looser tolerances: 1e-3 of the width.
    for (const [got, want] of [[intervals[k].lower, lower], [intervals[k].upper, upper]] as const) {
      assert.ok(got !== null && Math.abs(got - want) <= 1e-3 * (upper - lower), `${name}: ${got} vs lme4 ${want}`);
    }
  });
});

test('profileIntervalMessages(trace) explains an end that never reaches the cutoff and a non-monotone trace', () => {
  const trace = { parameter: 'x', estimate: 0, value: Float64Array.from([-1, -0.5, 0, 0.5, 1]), zeta: Float64Array.from([-0.5, -0.2, 0, 1.5, 1.2]), lower: -Infinity, upper: Infinity };
  const iv = profileInterval(trace);
  assert.equal(iv.lower, null);
  const msgs = profileIntervalMessages(trace);
  assert.ok(msgs.some((m) => /not monotone \(1 of 5 points dropped\)/.test(m)), msgs.join('; '));
  assert.ok(msgs.some((m) => /does not reach the 95% cutoff on its lower side.*lower limit is NA/.test(m)), msgs.join('; '));
  assert.ok(msgs.some((m) => /upper limit is NA/.test(m)));
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

test('profile(binomial GLMM) with x = c + u gives the intervals of the model on u for c = 0, 1e3, 1e4 (its columns replaced as in the fit)', () => {
  // x far from 0 relative to its spread (0.2): the fit replaces x by x - mean(x); the profile's inner
  // optimisations must run on the same columns, and hold the user's intercept along them. On the
  // user's columns the slope's interval came out 10 (c = 1e3) and 1000 (c = 1e4) times too narrow,
  // silently (lme4 1.1-31 at c = 1e3: (4.08, Inf) with convergence warnings).
  const { g, u, y } = farPredictorData();
  const intervals = (c: number) => {
    const model = glmer('y ~ x + (1 | g)', { y, x: u.map((v) => v + c), g }, { family: 'binomial' });
    return { model, rows: confidenceIntervals(model, { method: 'profile' }).intervals };
  };
  const base = intervals(0);
  const row = (rows: typeof base.rows, name: string): { lower: number; upper: number } => {
    const found = rows.find((t) => t.parameter === name)!;
    return { lower: Number(found.lower), upper: Number(found.upper) };
  };
  for (const c of [1e3, 1e4]) {
    const { model, rows } = intervals(c);
    for (const name of ['sd_(Intercept)|g', 'x']) {
      const want = row(base.rows, name), got = row(rows, name);
      const width = want.upper - want.lower;
      assert.ok(Math.abs(got.lower - want.lower) < 1e-4 * width && Math.abs(got.upper - want.upper) < 1e-4 * width, `c = ${c}, ${name}: [${got.lower}, ${got.upper}] against [${want.lower}, ${want.upper}]`);
    }
    // The intercept at c is beta_0 - c beta_1: its interval is about c times the slope's, mirrored.
    const i0 = row(rows, '(Intercept)'), slope = row(base.rows, 'x');
    const widthRatio = (i0.upper - i0.lower) / (c * (slope.upper - slope.lower));
    assert.ok(Math.abs(widthRatio - 1) < 0.01, `c = ${c}: intercept interval [${i0.lower}, ${i0.upper}], ${widthRatio} of c times the slope's width`);
    assert.ok(i0.lower < model.fit.beta[0] && model.fit.beta[0] < i0.upper);
  }
});
