/**
 * PIRLS on a tiny problem (3 groups, 12 Bernoulli rows) against a brute-force
 * minimisation of the penalised deviance sum dev_i + |u|^2 (Nelder-Mead), and
 * the scalar engine against the blocked one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelFrameFromText } from '../../src/frame/index.js';
import { makeFamily } from '../../src/glm/family.js';
import { BlockedPirls, glmmResponse, ScalarPirls } from '../../src/glmm/index.js';
import { parseCsv } from '../../src/io/csv.js';
import { nelderMead } from '../../src/optim/neldermead.js';
import { glmmProblem } from '../../src/glmm/problem.js';
import { glmStart } from '../../src/glmm/start.js';
import { near, refFrame } from './helpers.js';

const CSV = `y,x,g
1,0.5,a
0,-1.2,a
1,0.3,a
1,1.1,a
0,-0.4,b
0,0.2,b
1,1.5,b
0,-0.9,b
1,0.1,c
1,-0.3,c
1,0.8,c
0,-1.5,c
`;
const frame = modelFrameFromText('y ~ x + (1 | g)', parseCsv(CSV), { family: 'binomial' });
const family = makeFamily('binomial');
const resp = glmmResponse(frame, family);
const term = { refs: frame.reTerms[0].refs, z: frame.reTerms[0].z, nl: 3 };

function pdev(theta: number, beta: ArrayLike<number>, u: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < frame.nobs; i++) {
    const eta = beta[0] + beta[1] * frame.X[i + frame.nobs] + theta * u[term.refs[i]];
    s += family.devResid(resp.y[i], 1 / (1 + Math.exp(-eta)), 1);
  }
  return s + u[0] * u[0] + u[1] * u[1] + u[2] * u[2];
}

const tight = { ftolAbs: 1e-14, ftolRel: 0, xtolAbs: 1e-10, xtolRel: 0, maxEval: 20000, initialStep: 0.3 };

test('ScalarPirls.run(theta, beta) finds the conditional modes that minimise the penalised deviance', () => {
  const theta = 1.3, beta = [0.2, 0.9];
  const eng = new ScalarPirls(resp, frame.X, frame.p, term);
  const res = eng.run([theta], beta);
  assert.equal(res.converged, true);
  const best = nelderMead((u) => pdev(theta, beta, u), [0, 0, 0], tight);
  for (let g = 0; g < 3; g++) near(eng.u[g], best.x[g], 1e-5, `u[${g}]`);
  near(res.dev + res.ussq, best.fx, 1e-9, 'penalised deviance');
});

test('ScalarPirls.run(theta, null) finds u and beta jointly', () => {
  const theta = 0.8;
  const eng = new ScalarPirls(resp, frame.X, frame.p, term);
  const res = eng.run([theta], null);
  assert.equal(res.converged, true);
  const best = nelderMead((v) => pdev(theta, [v[3], v[4]], v), [0, 0, 0, 0, 0], tight);
  for (let g = 0; g < 3; g++) near(eng.u[g], best.x[g], 1e-4, `u[${g}]`);
  near(eng.beta[0], best.x[3], 1e-4, 'beta0');
  near(eng.beta[1], best.x[4], 1e-4, 'beta1');
});

test('BlockedPirls.run agrees with ScalarPirls.run (modes, joint, log det)', () => {
  const scalar = new ScalarPirls(resp, frame.X, frame.p, term);
  const blocked = new BlockedPirls(resp, frame);
  for (const beta of [[0.2, 0.9], null]) {
    const a = scalar.run([1.1], beta), b = blocked.run([1.1], beta);
    near(b.dev, a.dev, 1e-9, 'deviance');
    near(b.ldL2, a.ldL2, 1e-9, 'log det');
    for (let g = 0; g < 3; g++) near(blocked.u[g], scalar.u[g], 1e-8, `u[${g}]`);
    for (let t = 0; t < 2; t++) near(blocked.beta[t], scalar.beta[t], 1e-8, `beta[${t}]`);
  }
  const la = scalar.fixedFactor([1.1])!, lb = blocked.fixedFactor([1.1])!;
  for (let e = 0; e < 4; e++) near(lb[e], la[e], 1e-9, `L_X[${e}]`);
});

test('ScalarPirls.run converges from far away with step halving (theta = 8)', () => {
  const eng = new ScalarPirls(resp, frame.X, frame.p, term);
  const res = eng.run([8], [3, 4]);
  assert.equal(res.converged, true);
  const best = nelderMead((u) => pdev(8, [3, 4], u), [0, 0, 0], tight);
  near(res.dev + res.ussq, best.fx, 1e-7, 'penalised deviance');
});

test('BlockedPirls on crossed scalar terms: the crossed system agrees with the general blocked path', () => {
  const csv = 'y,x,g,h\n' + Array.from({ length: 40 }, (_, i) => `${(i * 7) % 3 === 0 ? 1 : (i * 5) % 4 === 1 ? 1 : 0},${((i % 9) - 4) / 3},g${i % 5},h${(i * 3) % 7}`).join('\n') + '\n';
  const fr = modelFrameFromText('y ~ x + (1 | g) + (1 | h)', parseCsv(csv), { family: 'binomial' });
  const rs = glmmResponse(fr, family);
  const fast = new BlockedPirls(rs, fr), slow = new BlockedPirls(rs, fr);
  (slow as unknown as { crossed: null }).crossed = null;
  const theta = [0.9, 1.3];
  for (const beta of [[0.1, 0.4], null]) {
    const a = slow.run(theta, beta), b = fast.run(theta, beta);
    assert.equal(b.converged, true);
    near(b.dev, a.dev, 1e-9, 'deviance');
    near(b.ldL2, a.ldL2, 1e-9, 'log det');
    for (let e = 0; e < fast.q; e++) near(fast.u[e], slow.u[e], 1e-8, `u[${e}]`);
    for (let t = 0; t < 2; t++) near(fast.beta[t], slow.beta[t], 1e-8, `beta[${t}]`);
  }
  fast.run(theta, [0.1, 0.4]);
  slow.run(theta, [0.1, 0.4]);
  const ca = slow.condVar(theta), cb = fast.condVar(theta);
  ca.forEach((v, j) => v.forEach((x, l) => near(cb[j][l], x, 1e-9, `condVar[${j}][${l}]`)));
});

test('BlockedPirls.runLme4 agrees with ScalarPirls.runLme4 (lme4\'s truncated PIRLS from lp0)', () => {
  const scalar = new ScalarPirls(resp, frame.X, frame.p, term);
  const blocked = new BlockedPirls(resp, frame);
  scalar.run([1.1], null);
  const lp0 = Float64Array.from(scalar.eta);
  for (const [theta, beta] of [[1.1, [0.2, 0.9]], [0.4, [-0.3, 1.4]]] as [number, number[]][]) {
    const a = scalar.runLme4([theta], beta, lp0, 1e-7), b = blocked.runLme4([theta], beta, lp0, 1e-7);
    assert.equal(b.iterations, a.iterations);
    near(b.dev, a.dev, 1e-9, 'deviance');
    near(b.ussq, a.ussq, 1e-9, '|u|^2');
    near(b.ldL2, a.ldL2, 1e-9, 'log det (of the last step\'s weights)');
  }
});

test('ScalarPirls and BlockedPirls keep b = Lambda u when theta changes, so a warm start stays in the link\'s range', () => {
  // poisson sqrt on grouseticks: eta = X beta alone is negative for some rows with counts; with u kept
  // (rather than b) the run at theta = 0.5 after one at 1.5 started outside the range and failed.
  const f = refFrame('glmm_grouse_poisson_sqrt');
  const prob = glmmProblem(f, makeFamily('poisson', 'sqrt'), { aggregate: false });
  const blocked = new BlockedPirls(prob.resp, f);
  for (const engine of [prob.engine, blocked]) {
    engine.startAt(glmStart(prob)!);
    for (const theta of [1, 1.5, 0.5, 1.2]) {
      const r = engine.run([theta], null);
      assert.ok(Number.isFinite(r.dev) && r.converged, `${engine.kind} theta ${theta}: ${JSON.stringify(r)}`);
    }
  }
});

test('ScalarPirls.run(theta, beta) at its last converged (theta, beta) returns that run without a pass; moved modes or restoreModes run again', () => {
  const eng = new ScalarPirls(resp, frame.X, frame.p, term);
  const first = eng.run([1.1], [0.2, 0.9]);
  const mu = eng.rows.mu.slice();
  let passes = 0;
  const proto = Object.getPrototypeOf(eng) as { pass: (...a: unknown[]) => boolean };
  const pass = proto.pass;
  (eng as unknown as { pass: typeof pass }).pass = function (this: unknown, ...a: unknown[]) {
    passes++;
    return pass.apply(this, a);
  };
  const again = eng.run([1.1], [0.2, 0.9]);
  assert.equal(passes, 0);
  assert.deepEqual(again, first);
  assert.deepEqual(eng.rows.mu, mu);
  // Another beta, or the same point after the modes moved: PIRLS runs, to the same modes (1e-10).
  eng.run([1.1], [0.25, 0.9]);
  assert.ok(passes > 0);
  const u = eng.u.slice();
  eng.restoreModes(1.1, u.map((v) => v + 0.01));
  passes = 0;
  const moved = eng.run([1.1], [0.25, 0.9]);
  assert.ok(passes > 1);
  for (let g = 0; g < 3; g++) near(eng.u[g], u[g], 1e-10, `u[${g}]`);
  assert.equal(moved.converged, true);
});
