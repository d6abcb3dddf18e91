import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFrame } from '../../src/api/fit.js';
import { parseCsv } from '../../src/io/csv.js';
import { fitLmm } from '../../src/lmm/lmer.js';
import { lmmProblem } from '../../src/lmm/problem.js';
import { momentStart } from '../../src/lmm/start.js';
import { defaultStart, scaledProblem } from '../../src/lmm/scaledProblem.js';
import { readRef, refTheta } from './helpers.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'data');
const table = (name: string) => parseCsv(readFileSync(join(fixtures, `${name}.csv`)));

for (const [name, formula, data, factors] of [
  ['dyestuff_reml', 'Yield ~ 1 + (1 | Batch)', 'Dyestuff', ['Batch']],
  ['pastes_nested', 'strength ~ 1 + (1 | batch/cask)', 'Pastes', []],
  ['penicillin_crossed', 'diameter ~ 1 + (1 | plate) + (1 | sample)', 'Penicillin', []],
] as const) {
  test(`momentStart(${name}) is off the bound with a positive inverse Hessian, and fitLmm from it reaches lme4's optimum`, () => {
    const frame = buildFrame(formula, table(data), { factors: [...factors] });
    const prob = lmmProblem(frame, { REML: true });
    const start = momentStart(prob.A, prob.map, prob.thetaScale);
    assert.ok(start, 'a start for scalar terms');
    for (const t of start.theta) assert.ok(t >= 0.05 && t <= 10, `theta ${t} inside [0.05, 10]`);
    assert.ok(start.hinv && Array.from(start.hinv).every((h) => h > 0 && Number.isFinite(h)));
    const ref = readRef(name);
    assert.ok(Math.abs(fitLmm(frame).objective - ref.objective) < 1e-6, 'same optimum as lme4');
  });
}

test('momentStart(dyestuff) lands within 10% of lme4\'s theta for a one-way layout', () => {
  const prob = lmmProblem(buildFrame('Yield ~ 1 + (1 | Batch)', table('Dyestuff'), { factors: ['Batch'] }), { REML: true });
  const theta = momentStart(prob.A, prob.map, prob.thetaScale)!.theta[0];
  const ref = refTheta(readRef('dyestuff_reml'))[0];
  assert.ok(Math.abs(theta / ref - 1) < 0.1, `${theta} vs ${ref}`);
});

const sleepstudy = () => buildFrame('Reaction ~ Days + (Days | Subject)', table('sleepstudy'), { factors: ['Subject'] });

test('momentStart(sleepstudy slopes): a vector-valued term starts within 10% of lme4\'s theta, and the fit from it needs fewer evaluations than from theta0', () => {
  for (const REML of [true, false]) {
    const frame = sleepstudy(), prob = lmmProblem(frame, { REML });
    const start = momentStart(prob.A, prob.map, prob.thetaScale)!;
    const ref = refTheta(readRef(REML ? 'sleepstudy_slopes_reml' : 'sleepstudy_slopes_ml'));
    const scale = Math.hypot(...ref);
    start.theta.forEach((t, e) => assert.ok(Math.abs(t - ref[e]) < 0.1 * scale, `theta[${e}] ${t} vs lme4 ${ref[e]}`));
    const fromMoments = fitLmm(frame, { REML }), fromTheta0 = fitLmm(frame, { REML, start: defaultStart(prob) });
    assert.ok(Math.abs(fromMoments.objective - fromTheta0.objective) < 1e-7, `${fromMoments.objective} vs ${fromTheta0.objective}`);
    assert.ok(fromMoments.optsummary!.evaluations < fromTheta0.optsummary!.evaluations, `${fromMoments.optsummary!.evaluations} vs ${fromTheta0.optsummary!.evaluations} evaluations`);
  }
});

test('momentStart(sleepstudy slopes): the inverse Hessian is that of the criterion over psi at the optimum (eigenvalues of hinv H in [0.6, 1.5])', () => {
  const frame = sleepstudy(), prob = lmmProblem(frame, { REML: true });
  const hinv = momentStart(prob.A, prob.map, prob.thetaScale)!.hinv!;
  assert.equal(hinv.length, 9, 'a full 3 x 3 matrix for (Days | Subject)');
  const sp = scaledProblem(prob), logged = Array.from(sp.lower, (l) => l === 0);
  const psi = Array.from(sp.toPhi(fitLmm(frame).theta), (v, e) => (logged[e] ? Math.log(v) : v));
  const f = (x: number[]) => sp.evaluate(x.map((v, e) => (logged[e] ? Math.exp(v) : v)));
  const h = 1e-4, H = new Float64Array(9);
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
    const at = (da: number, db: number) => f(psi.map((v, e) => v + (e === a ? da : 0) + (e === b ? db : 0)));
    H[a * 3 + b] = (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h);
  }
  // hinv H is similar to the symmetric H^{1/2} hinv H^{1/2}: real eigenvalues, its characteristic polynomial's roots.
  const M = Array.from({ length: 9 }, (_, e) => { const r = Math.trunc(e / 3), c = e % 3; let v = 0; for (let x = 0; x < 3; x++) v += hinv[r * 3 + x] * H[x * 3 + c]; return v; });
  const eig = symmetricLikeEigenvalues(M);
  for (const v of eig) assert.ok(v >= 0.6 && v <= 1.5, `eigenvalues of hinv H: ${eig.map((x) => x.toFixed(3)).join(', ')}`);
});

test('momentStart(crossed scalar terms with many levels): hinv is the inverse of the criterion\'s curvature in log theta at the optimum (within a third)', () => {
  // Penicillin (24 plates x 6 samples) and InstEval's students and lecturers: starts near the optimum, where
  // one-way curvatures stand for the whole criterion's (the departments' 14 levels start too far off to say).
  const cases = [
    { file: 'Penicillin.csv', formula: 'diameter ~ 1 + (1 | plate) + (1 | sample)', factors: [] as string[], terms: [0, 1] },
    { file: 'InstEval.csv', formula: 'y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept)', factors: ['s', 'd', 'dept', 'service'], terms: [0, 1] },
  ];
  for (const c of cases) {
    const frame = buildFrame(c.formula, parseCsv(readFileSync(join(fixtures, c.file), 'utf8')), { factors: c.factors });
    const prob = lmmProblem(frame, { REML: true }), hinv = momentStart(prob.A, prob.map, prob.thetaScale)!.hinv!;
    const sp = scaledProblem(prob), psi = Array.from(sp.toPhi(fitLmm(frame).theta), (v) => Math.log(v));
    const f = (x: number[]) => sp.evaluate(x.map((v) => Math.exp(v)));
    for (const a of c.terms) {
      const at = (d: number) => f(psi.map((v, e) => v + (e === a ? d : 0))), h = 1e-4;
      const ratio = (hinv[a] * (at(h) - 2 * at(0) + at(-h))) / (h * h);
      assert.ok(ratio > 0.75 && ratio < 4 / 3, `${c.file} term ${a}: hinv H = ${ratio.toFixed(3)}`);
    }
  }
});

test('momentStart with levels too small for their own regression (one row in some subjects): a start off the bound, and the same optimum as from theta0', () => {
  // Subjects 308-310 keep only Days = 0: their Z_g'Z_g is singular.
  const lines = readFileSync(join(fixtures, 'sleepstudy.csv'), 'utf8').trim().split('\n');
  const kept = lines.filter((l, i) => i === 0 || !/"(308|309|310)"$/.test(l) || l.split(',')[1] === '0');
  assert.equal(kept.length, lines.length - 27);
  const sub = parseCsv(kept.join('\n'));
  const frame = buildFrame('Reaction ~ Days + (Days | Subject)', sub, { factors: ['Subject'] });
  const prob = lmmProblem(frame, { REML: true });
  const start = momentStart(prob.A, prob.map, prob.thetaScale)!;
  assert.ok(start.theta[0] > 0 && start.theta[2] > 0 && start.hinv !== null);
  const a = fitLmm(frame), b = fitLmm(frame, { start: defaultStart(prob) });
  assert.ok(Math.abs(a.objective - b.objective) < 1e-7, `${a.objective} vs ${b.objective}`);
});

/** Eigenvalues of a 3 x 3 matrix (row-major) with real ones, by its characteristic polynomial. */
function symmetricLikeEigenvalues(m: number[]): number[] {
  const tr = m[0] + m[4] + m[8];
  const c2 = m[0] * m[4] - m[1] * m[3] + m[0] * m[8] - m[2] * m[6] + m[4] * m[8] - m[5] * m[7];
  const det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  // x^3 - tr x^2 + c2 x - det = 0, trigonometric solution for three real roots.
  const p = c2 - (tr * tr) / 3, q = (-2 * tr ** 3) / 27 + (tr * c2) / 3 - det;
  const r = Math.sqrt(-p / 3), phi = Math.acos(Math.max(-1, Math.min(1, (3 * q) / (2 * p * r))));
  return [0, 1, 2].map((k) => tr / 3 + 2 * r * Math.cos(phi / 3 - (2 * Math.PI * k) / 3));
}
