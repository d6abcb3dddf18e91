/**
 * The per-group steps of PIRLS at fixed beta (src/glmm/pirls/takeSteps.ts),
 * on a small binomial/logit problem with the factored pass (modesPass.ts):
 * takeSteps then a pass is the Fisher step u -= grad / D then a pass, bit for
 * bit; undoSteps returns to the pass's state exactly; a settled group keeps
 * its u, its sums and its rows' eta through later passes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFamily } from '../../src/glm/family.js';
import { constantOf, modesPass, type ModesData } from '../../src/glmm/pirls/modesPass.js';
import { allocateRows, rowKernel } from '../../src/glmm/pirls/rowKernel.js';
import { SUM_DEC, SUM_FROZE, takeSteps, undoSteps, type StepState } from '../../src/glmm/pirls/takeSteps.js';
import type { GlmmResponse } from '../../src/glmm/response.js';

const G = 4;
const F = [0.3, -1.2, 2.5, 0.7, -0.4, 0.9, -2.2, 1.5];
const REFS = [0, 0, 1, 1, 2, 2, 3, 3];
const Y = [1, 0, 0.5, 1, 0, 0.25, 1, 0.75];
const PW = [1, 1, 2, 1, 1, 4, 1, 4];
const TH = 1.3;

function setup(): { d: ModesData; pass: ReturnType<typeof modesPass>['pass']; state: StepState } {
  const n = F.length;
  const resp: GlmmResponse = {
    family: makeFamily('binomial'), n, y: Float64Array.from(Y), pw: Float64Array.from(PW),
    offset: new Float64Array(n), size: new Float64Array(n).fill(1), aicConstant: 0,
  };
  const fused = modesPass(resp, rowKernel(resp));
  const z = new Float64Array(n).fill(1);
  const d: ModesData = {
    resp, refs: Int32Array.from(REFS), z, f: Float64Array.from(F), u: Float64Array.from([0.4, -0.7, 0.2, 1.1]), eta: new Float64Array(n),
    rows: allocateRows(n), grad: new Float64Array(G), D: new Float64Array(G), pd: new Float64Array(G), saturated: fused.saturated,
    zConst: constantOf(z), expF: new Float64Array(n), expFStale: true, expU: new Float64Array(G),
    unitWeights: false, saturatedZero: false, prepared: false, frozen: null, chunks: null,
  };
  const state: StepState = {
    uOld: new Float64Array(G), pdOld: new Float64Array(G).fill(Infinity), pdPass: new Float64Array(G), DPass: new Float64Array(G),
    halved: new Int32Array(G), frozen: new Uint8Array(G),
  };
  return { d, pass: fused.pass, state };
}

test('takeSteps(d, theta, state, settle, sums) then a pass is u -= grad / D then a pass, bit for bit', () => {
  const a = setup(), b = setup();
  a.pass(a.d, TH, true);
  b.pass(b.d, TH, true);
  const sums = new Float64Array(5);
  assert.equal(takeSteps(a.d, TH, a.state, false, sums), 0);
  let dec = 0;
  for (let g = 0; g < G; g++) {
    const s = b.d.grad[g] / b.d.D[g];
    dec += b.d.grad[g] * s;
    b.d.u[g] -= s;
  }
  assert.equal(sums[SUM_DEC], dec);
  assert.equal(a.d.prepared, true);
  a.pass(a.d, TH, true);
  b.pass(b.d, TH, true);
  for (const k of ['u', 'grad', 'D', 'pd', 'eta'] as const) assert.deepEqual(a.d[k], b.d[k], k);
  assert.deepEqual(a.d.rows.mu, b.d.rows.mu);
});

test("undoSteps(d, state) returns to the last pass's u, pd and D", () => {
  const { d, pass, state } = setup();
  pass(d, TH, true);
  const before = { u: d.u.slice(), pd: d.pd.slice(), D: d.D.slice() };
  takeSteps(d, TH, state, false, new Float64Array(5));
  assert.notDeepEqual(d.u, before.u);
  undoSteps(d, state);
  assert.deepEqual({ u: d.u, pd: d.pd, D: d.D }, before);
  assert.equal(d.prepared, false);
});

test('takeSteps settles a group whose step leaves u as it is; later passes leave it and its rows alone', () => {
  const { d, pass, state } = setup();
  pass(d, TH, true);
  // Group 2 at its mode: no gradient.
  d.grad[2] = 0;
  const kept = { u: d.u[2], pd: d.pd[2], D: d.D[2], eta: d.eta.slice(4, 6) };
  const sums = new Float64Array(5);
  takeSteps(d, TH, state, true, sums);
  assert.equal(sums[SUM_FROZE], 1);
  assert.deepEqual(Array.from(state.frozen), [0, 0, 1, 0]);
  d.frozen = state.frozen;
  pass(d, TH, true);
  takeSteps(d, TH, state, true, sums);
  pass(d, TH, true);
  assert.deepEqual({ u: d.u[2], pd: d.pd[2], D: d.D[2], eta: d.eta.slice(4, 6) }, kept);
});
