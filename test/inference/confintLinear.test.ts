// confint for lm and GLM models against R 4.2.2 (test/fixtures/r/lm_glm_predict_confint.R): confint.lm,
// confint.glm (MASS's profile) with the profile's exact roots, and confint.default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fitModel, glm, lm } from '../../src/api/fit.js';
import { MixedModelsError } from '../../src/errors.js';
import { confidenceIntervals } from '../../src/inference/confint.js';
import { readCsvFile } from '../../src/io/readTable.js';
import { dataFile } from '../cli/helpers.js';
import { assertClose } from '../distributions/close.js';

interface Limits { terms: string[]; lower: number[]; upper: number[] }
interface Case {
  name: string; kind: 'lm' | 'glm'; data: string; formula: string; factors: string[]; family?: string; link?: string;
  weights: string | null; level: number; confint: Limits | null; confint_wald: Limits; confint_exact?: Limits;
}
const refs = JSON.parse(readFileSync(new URL('../fixtures/r/lm_glm_predict_confint.json', import.meta.url), 'utf8')) as { cases: Case[] };

function fitCase(c: Case) {
  const options = { factors: c.factors, ...(c.weights ? { weights: c.weights } : {}), ...(c.family ? { family: c.family, link: c.link } : {}) };
  return fitModel(c.formula, readCsvFile(dataFile(c.data)), options);
}

/** Every R row's limits within tol times that interval's width. */
function within(got: ReturnType<typeof confidenceIntervals>['intervals'], want: Limits, tol: number, what: string): void {
  assert.deepEqual(got.map((r) => r.parameter), want.terms, `${what}: the rows`);
  want.terms.forEach((t, k) => {
    const width = want.upper[k] - want.lower[k];
    const dl = Math.abs(got[k].lower! - want.lower[k]) / width, du = Math.abs(got[k].upper! - want.upper[k]) / width;
    assert.ok(dl <= tol && du <= tol, `${what} ${t}: [${got[k].lower}, ${got[k].upper}] vs R [${want.lower[k]}, ${want.upper[k]}] (${dl.toExponential(2)}, ${du.toExponential(2)} of the width)`);
  });
}

for (const c of refs.cases) {
  test(`confint(${c.kind}) matches R's ${c.kind === 'lm' ? 'confint.lm (t intervals)' : "confint.glm (the profile's roots) and MASS's interpolation of them"}, and confint.default (${c.name})`, () => {
    const m = fitCase(c);
    const r = confidenceIntervals(m, { level: c.level });
    if (c.kind === 'lm') within(r.intervals, c.confint!, 1e-11, 'confint.lm');
    else {
      within(r.intervals, c.confint_exact!, 1e-7, 'profile roots');
      // MASS interpolates a spline through a grid of about half a standard error: 6e-5 of the width at most in these cases.
      // (Null where MASS stops: glm_invgauss, where glm.fit from the fit's linear predictor leaves 1/mu^2's range.)
      if (c.confint !== null) within(r.intervals, c.confint, 2e-4, 'MASS confint');
    }
    assert.deepEqual(r.messages, []);
    within(confidenceIntervals(m, { level: c.level, method: 'wald' }).intervals, c.confint_wald, 1e-8, 'confint.default');
  });
}

test('confint(lm) refuses a profile and a bootstrap, and gives aliased columns null limits with a message', () => {
  const m = lm('y ~ x + x2', { y: [1, 2, 3, 5, 4], x: [0, 1, 2, 3, 4], x2: [0, 2, 4, 6, 8] });
  assert.throws(() => confidenceIntervals(m, { method: 'profile' }), (e: Error) => e instanceof MixedModelsError && /an lm's intervals are R's confint.lm t intervals/.test(e.message));
  assert.throws(() => confidenceIntervals(m, { method: 'boot' }), /bootstrap intervals are for mixed models; an lm has t intervals/);
  const r = confidenceIntervals(m);
  assert.deepEqual(r.intervals.map((x) => x.parameter), ['(Intercept)', 'x', 'x2']);
  assert.deepEqual([r.intervals[2].lower, r.intervals[2].upper], [null, null]);
  assert.ok(r.intervals[1].lower! < r.intervals[1].upper!);
  assert.match(r.messages.join('; '), /no estimate, so no interval, for x2 \(aliased\)/);
  const g = glm('y ~ x + x2', { y: [1, 2, 3, 5, 4], x: [0, 1, 2, 3, 4], x2: [0, 2, 4, 6, 8] }, { family: 'poisson' });
  const gp = confidenceIntervals(g);
  assert.deepEqual([gp.intervals[2].lower, gp.intervals[2].upper], [null, null]);
  assert.match(gp.messages.join('; '), /no estimate, so no interval, for x2 \(aliased\)/, 'the profile says so too');
});

test('confint(glm) under separation: the flat side has no limit (null, MASS\'s NA) and says why; the other is the root', () => {
  const data = { y: [0, 0, 0, 0, 1, 1, 1, 1, 1, 0], x: [1, 2, 3, 4, 5, 6, 7, 8, 3.5, 6.5] };
  const sep = glm('y ~ x', { y: [0, 0, 0, 1, 1, 1], x: [1, 2, 3, 4, 5, 6] }, { family: 'binomial' });
  const r = confidenceIntervals(sep);
  const slope = r.intervals.find((x) => x.parameter === 'x')!;
  // R: uniroot of the same statistic (glm.fit with x b in the offset, epsilon 1e-12) gives 0.7352983031;
  // MASS's confint gives -11009.6 (its grid starts half a standard error, 57,632, away).
  assertClose(slope.lower!, 0.7352983031, 1e-9, 'the slope\'s lower limit');
  assert.match(r.messages[0], /^the fit: .*separation/);
  assert.match(confidenceIntervals(sep, { method: 'wald' }).messages.join('; '), /^the fit: .*separation/);
  assert.equal(slope.upper, null);
  assert.match(r.messages.join('; '), /profile of 'x': the deviance stays within the cutoff out to 64 Wald half-widths .* on its upper side: no limit there \(NA\)/);
  // Overlapping classes: both limits exist.
  const fine = confidenceIntervals(glm('y ~ x', data, { family: 'binomial' }));
  assert.ok(fine.intervals.every((x) => x.lower !== null && x.upper !== null), JSON.stringify(fine));
});

test('tidy(glm, { confInt }) gives confint.glm\'s profile limits, as broom\'s tidy.glm, and confint.default\'s with confMethod wald; an lm refuses a profile', async () => {
  const { tidy } = await import('../../src/tidy/tidy.js');
  const c = refs.cases.find((x) => x.name === 'glm_cbpp')!;
  const limits = (rows: ReturnType<typeof tidy>) => rows.map((r) => ({ parameter: String(r.term), lower: r['conf.low'] as number, upper: r['conf.high'] as number }));
  within(limits(tidy(fitCase(c), { confInt: true })), c.confint_exact!, 1e-7, 'tidy profile');
  within(limits(tidy(fitCase(c), { confInt: true, confMethod: 'wald' })), c.confint_wald, 1e-8, 'tidy wald');
  assert.throws(() => tidy(lm('y ~ x', { y: [1, 2, 4], x: [1, 2, 3] }), { confInt: true, confMethod: 'profile' }), /confMethod 'profile' has no meaning for an lm/);
});
