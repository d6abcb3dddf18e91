import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nelderMeadLme4 } from '../../src/optim/lme4NelderMead.js';
import { MixedModelsError } from '../../src/errors.js';

/** lme4 1.1-31's Nelder_Mead paths on R 4.2 (test/fixtures/r/lme4_nelder_mead.R). */
interface Path { par: number[]; fval: number; feval: number; 'NM.result': number; evals: number[][] }
const ref: Record<string, Path> = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'r', 'lme4_nelder_mead.json'), 'utf8'));

const rosen = (x: Float64Array) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
const bq = (x: Float64Array) => 3 * Math.sqrt(x[0] ** 2 + 0.1) + (x[1] - 0.7) ** 2 + 0.5 * x[0] * x[1];
const centre = [1, -2, 3, 0.5], weight = [1, 10, 0.1, 3];
const q4 = (x: Float64Array) => x.reduce((s, v, i) => s + (v - centre[i]) ** 2 * weight[i], 0) + x[0] * x[1];

/** Runs f under lme4's Nelder-Mead, recording every point, and compares the whole path with R's (tolerance 1e-12, relative to max(1, |v|)). */
function samePath(name: string, f: (x: Float64Array) => number, x0: number[], options: Parameters<typeof nelderMeadLme4>[2]) {
  const seen: number[][] = [];
  const r = nelderMeadLme4((x) => {
    const v = f(x);
    seen.push([...x, v]);
    return v;
  }, x0, options);
  const want = ref[name];
  assert.equal(seen.length, want.evals.length, `${name}: evaluations`);
  assert.equal(r.evaluations, want.feval);
  seen.forEach((row, i) => row.forEach((v, k) => {
    const w = want.evals[i][k];
    assert.ok(Math.abs(v - w) <= 1e-12 * Math.max(1, Math.abs(w)), `${name}: evaluation ${i + 1}, element ${k}: ${v} vs ${w}`);
  }));
  r.x.forEach((v, i) => assert.ok(Math.abs(v - want.par[i]) <= 1e-12 * Math.max(1, Math.abs(want.par[i])), `${name}: par[${i}]`));
  assert.ok(Math.abs(r.fx - want.fval) <= 1e-12 * Math.max(1, Math.abs(want.fval)));
  return r;
}

test('nelderMeadLme4(rosenbrock, [-1.2, 1]) takes lme4\'s 205 steps to its stopping point', () => {
  const r = samePath('rosenbrock', rosen, [-1.2, 1], {});
  assert.equal(r.converged, true);
  assert.match(r.message, /converged/);
});

test('nelderMeadLme4(f, x0, { maxEval: 30 }) makes 31 evaluations, as lme4, and says it did not converge', () => {
  const r = samePath('rosenbrock_maxfun30', rosen, [-1.2, 1], { maxEval: 30 });
  assert.equal(r.converged, false);
  assert.match(r.message, /maximum number of evaluations \(30\)/);
});

test('nelderMeadLme4(f, x0, { lower, xst }) follows lme4 onto a lower bound', () => {
  const r = samePath('bounded', bq, [1, 1], { lower: [0, -Infinity], xst: [0.1, 0.1] });
  assert.equal(r.x[0], 0);
});

test('nelderMeadLme4(f, x0, { lower, upper, xst, xt }) follows lme4 in four dimensions against both kinds of bound', () => {
  const r = samePath('quadratic4', q4, [0, 0, 0, 0], { lower: [-Infinity, -1.5, -Infinity, -Infinity], upper: [Infinity, Infinity, 2.5, Infinity], xst: [0.2, 0.2, 0.2, 0.2], xt: [1e-6, 1e-6, 1e-6, 1e-6] });
  assert.equal(r.x[1], -1.5);
  // lme4 stops just inside the upper bound of x[2] (2.49999999991947).
  assert.ok(r.x[2] < 2.5 && r.x[2] > 2.5 - 1e-9);
});

test('nelderMeadLme4(f, x0, options) rejects a start outside the bounds, a zero step and mismatched lengths', () => {
  const f = (x: Float64Array) => x[0] ** 2;
  assert.throws(() => nelderMeadLme4(f, [2], { upper: [1] }), MixedModelsError);
  assert.throws(() => nelderMeadLme4(f, [1], { xst: [0] }), /xst must be nonzero/);
  assert.throws(() => nelderMeadLme4(f, [1], { xst: [1, 2] }), /xst has length 2/);
});
