import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFrame } from '../../src/api/fit.js';
import { parseCsv } from '../../src/io/csv.js';
import { fitLmm } from '../../src/lmm/lmer.js';
import { lmmProblem } from '../../src/lmm/problem.js';
import { momentStart } from '../../src/lmm/start.js';
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

test('momentStart gives no inverse Hessian when a term is vector-valued (sleepstudy slopes)', () => {
  const prob = lmmProblem(buildFrame('Reaction ~ Days + (Days | Subject)', table('sleepstudy'), { factors: ['Subject'] }), { REML: true });
  const start = momentStart(prob.A, prob.map, prob.thetaScale);
  assert.ok(start === null || start.hinv === null);
});
