/**
 * The fused PIRLS passes (src/glmm/pirls/modesPass.ts): with a constant z the
 * exp of eta is factored as e^f e^(theta c u_g); the same pass with the
 * factoring off (expF null: exp of eta per row) is the reference. Rows include
 * R's logit clamps (|eta| > 30) and fixed parts beyond the factoring's limit
 * (|f| > 700, brought back into range by u). Agreement to 1e-12 relative
 * (a few ulps per row, summed over a group's rows).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFamily } from '../../src/glm/family.js';
import { chunkViews } from '../../src/glmm/pirls/rowChunks.js';
import { constantOf, modesPass, type ModesData } from '../../src/glmm/pirls/modesPass.js';
import { allocateRows, canonicalKernel, rowKernel } from '../../src/glmm/pirls/rowKernel.js';
import type { GlmmResponse } from '../../src/glmm/response.js';

const G = 7;
/** f per row: moderate values, clamped ones, and beyond +-700 (their groups' u pull eta back). */
const F = [0.3, -1.2, 2.5, 35, -40, 720, -710, 1.7, -0.4, 0.9, -2.2, 0.05, 3.1, -3.3];
const REFS = [0, 0, 1, 1, 2, 5, 6, 3, 3, 4, 4, 4, 2, 1];
const U = [0.4, -0.7, 0.2, 1.1, -0.3, -698, 705];

/** Poisson's mu = e^eta must stay finite: f and u within +-3 there. */
const small = (v: number[]) => v.map((x) => Math.max(-3, Math.min(3, x)));

function data(familyName: string, y: number[], pw: number[], factored: boolean): { d: ModesData; pass: ReturnType<typeof modesPass> } {
  const n = F.length, poisson = familyName === 'poisson';
  const resp: GlmmResponse = {
    family: makeFamily(familyName), n, y: Float64Array.from(y), pw: Float64Array.from(pw),
    offset: new Float64Array(n), size: new Float64Array(n).fill(1), aicConstant: 0,
  };
  const pass = modesPass(resp, rowKernel(resp));
  const z = new Float64Array(n).fill(1);
  const d: ModesData = {
    resp, refs: Int32Array.from(REFS), z, f: Float64Array.from(poisson ? small(F) : F), u: Float64Array.from(poisson ? small(U) : U), eta: new Float64Array(n),
    rows: allocateRows(n), grad: new Float64Array(G), D: new Float64Array(G), pd: new Float64Array(G), saturated: pass.saturated,
    zConst: factored ? constantOf(z) : NaN, expF: factored ? new Float64Array(n) : null, expFStale: true, expU: new Float64Array(G),
    unitWeights: resp.pw.every((w) => w === 1), saturatedZero: pass.saturated!.every((v) => v === 0), prepared: false, frozen: null, chunks: null,
  };
  return { d, pass };
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= 1e-12 * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

const CASES: [string, number[], number[]][] = [
  ['binomial', [1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1], new Array(14).fill(1)],
  ['binomial', [0.5, 0, 0.25, 1, 0, 0.75, 0.5, 0, 1, 0.5, 0.25, 1, 0, 0.5], [2, 3, 4, 1, 2, 4, 2, 1, 5, 2, 4, 3, 2, 6]],
  ['poisson', [1, 0, 3, 2, 0, 5, 1, 0, 2, 4, 0, 1, 7, 2], new Array(14).fill(1)],
];

test('modesPass(resp).pass gives the same sums and mu with e^eta factored as with exp per row (binomial, poisson; clamps, |f| > 700)', () => {
  for (const [fam, y, pw] of CASES) {
    const a = data(fam, y, pw, true), b = data(fam, y, pw, false);
    for (const th of [0.7, 1.3]) {
      assert.equal(a.pass.pass(a.d, th, true), b.pass.pass(b.d, th, true));
      for (const k of ['grad', 'D', 'pd', 'eta'] as const) close(a.d[k], b.d[k], `${fam} ${k}`);
      close(a.d.rows.mu, b.d.rows.mu, `${fam} mu`);
    }
  }
});

test('modesPass(resp).deviance gives the same per-group deviance with e^eta factored', () => {
  for (const [fam, y, pw] of CASES) {
    const a = data(fam, y, pw, true), b = data(fam, y, pw, false);
    const at = Float64Array.from(a.d.u, (v) => v + 0.3), outA = new Float64Array(G), outB = new Float64Array(G);
    assert.equal(a.pass.deviance!(a.d, 0.9, at, outA), b.pass.deviance!(b.d, 0.9, at, outB));
    close(outA, outB, `${fam} deviance`);
  }
});

test('a pass by chunks (rowChunks.ts, no helper) gives the rows the same eta and mu, and the groups the same sums but for the last bits', () => {
  for (const [fam, y, pw] of CASES.filter(([f]) => f === 'binomial')) {
    for (const factored of [true, false]) {
      const a = data(fam, y, pw, factored), b = data(fam, y, pw, factored);
      const K = 3, views = (): Float64Array[] => chunkViews(new Float64Array(K * G), K, G);
      a.d.chunks = { K, grad: views(), D: views(), pd: views(), out: views(), sums: new Float64Array(K), done: new Int32Array(K), uAt: new Float64Array(G), helper: null, message: null };
      for (const th of [0.7, 1.3]) {
        assert.equal(a.pass.pass(a.d, th, true), b.pass.pass(b.d, th, true));
        assert.deepEqual(Array.from(a.d.eta), Array.from(b.d.eta));
        assert.deepEqual(Array.from(a.d.rows.mu), Array.from(b.d.rows.mu));
        for (const k of ['grad', 'D', 'pd'] as const) close(a.d[k], b.d[k], `${fam} chunks ${k}`);
        const outA = new Float64Array(G), outB = new Float64Array(G);
        assert.equal(a.pass.deviance!(a.d, th, a.d.u, outA), b.pass.deviance!(b.d, th, b.d.u, outB));
        close(outA, outB, `${fam} chunks deviance`);
      }
    }
  }
});

/**
 * canonicalKernel (rowKernel.ts): the canonical links' deviance written without log(mu), on eta
 * inside and beyond the logit's clamps (|eta| > 30) and below the log link's (mu = eps), with 0/1
 * and fractional responses and a zero prior weight. mu, W and wr are rowKernel's to the bit. The
 * binomial deviance is held to an accurate reference, 2 pw (s + y log1p(e^-eta) + (1-y) log1p(e^eta)):
 * R's y log(y / mu) + (1-y) log((1-y) / (1-mu)) loses digits where mu rounds near 1 (eta = 29.9,
 * y = 0.75: 1 - mu is off by 1e-3 relative), which the saturated form does not; at the clamps both
 * are R's expression on the clamped mu. The Poisson deviance is held to R's expression.
 */
test('canonicalKernel gives rowKernel\'s mu, W and wr to the bit and its deviance to rounding (binomial, poisson; clamps, zero weights)', () => {
  const ETA = [0.3, -1.2, 2.5, 35, -40, 29.9, -29.9, 1.7, -0.4, 0.9, -2.2, 0.05, 3.1, -36.5];
  const cases: [string, number[], number[]][] = [
    ['binomial', [1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1], [1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]],
    ['binomial', [0.5, 0, 0.25, 1, 0, 0.75, 0.5, 0, 1, 0.5, 0.25, 1, 0, 0.5], [2, 3, 4, 1, 2, 4, 2, 1, 5, 2, 4, 3, 2, 6]],
    ['poisson', [1, 0, 3, 2, 0, 5, 1, 0, 2, 4, 0, 1, 7, 2], [1, 1, 1, 0, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1]],
  ];
  for (const [fam, y, pw] of cases) {
    const n = ETA.length, poisson = fam === 'poisson';
    // Poisson's mu = e^eta must stay finite, with one row below the clamp (e^-36.5 < eps).
    const eta = Float64Array.from(ETA, (e, i) => (poisson && i !== n - 1 ? Math.max(-3, Math.min(3, e)) : e));
    const resp: GlmmResponse = {
      family: makeFamily(fam), n, y: Float64Array.from(y), pw: Float64Array.from(pw),
      offset: new Float64Array(n), size: new Float64Array(n).fill(1), aicConstant: 0,
    };
    const a = allocateRows(n), b = allocateRows(n);
    const sa = canonicalKernel(resp)(eta, a), sb = rowKernel(resp)(eta, b);
    for (const k of ['mu', 'W', 'wr'] as const) assert.deepEqual(Array.from(a[k]), Array.from(b[k]), `${fam} ${k}`);
    const want = Float64Array.from(b.dev, (d, i) => {
      const e = eta[i], yi = y[i];
      if (poisson || Math.abs(e) > 30 || pw[i] === 0) return d;
      const ylogy = (v: number) => (v === 0 ? 0 : v * Math.log(v));
      return 2 * pw[i] * (ylogy(yi) + ylogy(1 - yi) + yi * Math.log1p(Math.exp(-e)) + (1 - yi) * Math.log1p(Math.exp(e)));
    });
    let total = 0;
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(a.dev[i] - want[i]) <= 1e-13 * Math.max(1, Math.abs(want[i])), `${fam} dev[${i}]: ${a.dev[i]} vs ${want[i]}`);
      if (Math.abs(eta[i]) > 30 && !poisson) assert.equal(a.dev[i], b.dev[i], `${fam} dev[${i}] at the clamp`);
      total += a.dev[i];
    }
    assert.equal(sa, total);
    if (fam === 'binomial') assert.ok(a.dev.some((d, i) => d !== b.dev[i]), 'the saturated form was not used');
    if (poisson) assert.ok(Math.abs(sa - sb) <= 1e-13 * Math.abs(sb), `${fam} sum: ${sa} vs ${sb}`);
  }
});

test('canonicalKernel is rowKernel\'s pass for families without the saturated form, and NaN where eta is', () => {
  const n = 3, eta = Float64Array.of(0.2, NaN, -0.5);
  const resp: GlmmResponse = {
    family: makeFamily('binomial'), n, y: Float64Array.of(1, 0, 1), pw: new Float64Array(n).fill(1),
    offset: new Float64Array(n), size: new Float64Array(n).fill(1), aicConstant: 0,
  };
  assert.ok(Number.isNaN(canonicalKernel(resp)(eta, allocateRows(n))));
  const gamma: GlmmResponse = { ...resp, family: makeFamily('Gamma'), y: Float64Array.of(1.5, 2, 0.7) };
  const pos = Float64Array.of(0.4, 1.1, 0.9), a = allocateRows(n), b = allocateRows(n);
  assert.equal(canonicalKernel(gamma)(pos, a), rowKernel(gamma)(pos, b));
  assert.deepEqual(Array.from(a.dev), Array.from(b.dev));
});

/**
 * The binomial/logit row kernel at R's clamps, against R's C code (family.c) written out here:
 * beyond |eta| > 30 the logit inverse takes e^eta as DBL_EPSILON or 1 / DBL_EPSILON, and mu.eta
 * is DBL_EPSILON; W = pw mu.eta^2 / V and wr = pw (y - mu) mu.eta / V with V = mu (1 - mu).
 */
test('the binomial/logit kernel at the clamps is R\'s logit_linkinv and logit_mu_eta (DBL_EPSILON)', () => {
  const eta = Float64Array.of(35, -35, 30.5, -31, 0.7), y = [1, 0, 0, 1, 1], pw = [1, 2, 1, 3, 1], n = eta.length;
  const resp: GlmmResponse = {
    family: makeFamily('binomial'), n, y: Float64Array.from(y), pw: Float64Array.from(pw),
    offset: new Float64Array(n), size: new Float64Array(n).fill(1), aicConstant: 0,
  };
  for (const kernel of [rowKernel(resp), canonicalKernel(resp)]) {
    const out = allocateRows(n);
    kernel(eta, out);
    for (let i = 0; i < 4; i++) {
      const x = eta[i] > 0 ? 1 / Number.EPSILON : Number.EPSILON, mu = x / (1 + x), me = Number.EPSILON;
      const v = mu * (1 - mu);
      assert.equal(out.mu[i], mu, `mu[${i}]`);
      assert.equal(out.W[i], pw[i] * me * (me / v), `W[${i}]`);
      assert.equal(out.wr[i], pw[i] * (y[i] - mu) * (me / v), `wr[${i}]`);
    }
    const ex = Math.exp(0.7);
    assert.equal(out.mu[4], ex / (1 + ex));
  }
});
