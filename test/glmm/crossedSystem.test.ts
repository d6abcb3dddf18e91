/**
 * CrossedSystem (src/glmm/pirls/crossedSystem.ts) against the dense system it stands for: with
 * A = [Z Lambda | X], M = A'WA + diag(1 on the random effects, 0 on the fixed ones) and
 * g = A'(W res) - [u; 0], solve() gives M^-1 g and its Newton decrement g'M^-1 g. On a fully
 * crossed design (every row of M12 full: the dense loops) and on a sparse one (each subject
 * meets a few items: the rows' pattern), with and without the X columns, and with a slope term.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toTable } from '../../src/data/index.js';
import { modelFrameFromText } from '../../src/frame/index.js';
import { CrossedSystem } from '../../src/glmm/pirls/crossedSystem.js';
import { factorBlocks } from '../../src/lmm/factorBlocks.js';
import { potrfUnblocked } from '../../src/linalg/potrf.js';

function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** 23 subjects meeting all 9 items, or 3 of them at random (sparse); `wide`: 130 subjects meeting 4 of 70. */
function design(sparse: boolean, formula: string, wide = false) {
  const rnd = generator(sparse ? 5 : 9);
  const y: number[] = [], x: number[] = [], subj: string[] = [], item: string[] = [];
  const subjects = wide ? 130 : 23, items = wide ? 70 : 9, per = wide ? 4 : sparse ? 3 : 9;
  for (let s = 0; s < subjects; s++) {
    for (let k = 0; k < per; k++) {
      y.push(rnd());
      x.push(rnd() * 2 - 1);
      subj.push(`s${s}`);
      item.push(`i${sparse ? Math.floor(rnd() * items) : k}`);
    }
  }
  const frame = modelFrameFromText(formula, toTable({ y, x, subj, item }), {});
  return { frame, blocks: factorBlocks(frame.reTerms, frame.nobs), rnd };
}

/** Dense M and g of the module comment (u order, then beta), their solution by Cholesky, and M's factor. */
function denseSolve(blocks: ReturnType<typeof factorBlocks>, X: Float64Array | null, p: number, W: Float64Array, wres: Float64Array, lam: number[], u: Float64Array) {
  const n = W.length, q = blocks.reduce((a, b) => a + b.nl, 0), m = q + (X === null ? 0 : p);
  const M = new Float64Array(m * m), g = new Float64Array(m);
  const offs: number[] = [];
  blocks.reduce((o, b) => (offs.push(o), o + b.nl), 0);
  const row = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    row.fill(0);
    blocks.forEach((b, j) => (row[offs[j] + b.refs[i]] += lam[j] * b.z[i]));
    if (X !== null) for (let t = 0; t < p; t++) row[q + t] = X[i + t * n];
    for (let a = 0; a < m; a++) {
      g[a] += row[a] * wres[i];
      for (let c = 0; c < m; c++) M[a + c * m] += row[a] * W[i] * row[c];
    }
  }
  for (let e = 0; e < q; e++) {
    M[e + e * m] += 1;
    g[e] -= u[e];
  }
  assert.equal(potrfUnblocked(m, M, 0, m), 0);
  const v = g.slice();
  for (let c = 0; c < m; c++) {
    v[c] /= M[c + c * m];
    for (let r = c + 1; r < m; r++) v[r] -= M[r + c * m] * v[c];
  }
  for (let c = m - 1; c >= 0; c--) {
    for (let r = c + 1; r < m; r++) v[c] -= M[r + c * m] * v[r];
    v[c] /= M[c + c * m];
  }
  return { v, dec: g.reduce((a, gi, e) => a + gi * v[e], 0), q, M, m };
}

test('CrossedSystem.solve is M^-1 g on fully crossed and sparse designs, with and without X (intercepts and a slope)', () => {
  for (const sparse of [false, true]) {
    for (const formula of ['y ~ x + (1 | subj) + (1 | item)', 'y ~ x + (0 + x | subj) + (1 | item)']) {
      const { frame, blocks, rnd } = design(sparse, formula);
      const n = frame.nobs, p = frame.p;
      const W = Float64Array.from({ length: n }, () => 0.1 + rnd()), wres = Float64Array.from({ length: n }, () => rnd() - 0.5);
      const lam = blocks.map((_, j) => 0.7 + 0.4 * j);
      const u = Float64Array.from({ length: blocks.reduce((a, b) => a + b.nl, 0) }, () => rnd() - 0.5);
      for (const withX of [false, true]) {
        const sys = new CrossedSystem(blocks, p);
        sys.form(W, wres, lam, u, withX ? frame.X : null, n);
        assert.ok(sys.factor());
        const du = new Float64Array(u.length), dbeta = new Float64Array(p);
        const dec = sys.solve(du, withX ? dbeta : null);
        const want = denseSolve(blocks, withX ? frame.X : null, p, W, wres, lam, u);
        const what = `${sparse ? 'sparse' : 'crossed'} ${formula}${withX ? ' with X' : ''}`;
        for (let e = 0; e < u.length; e++) assert.ok(Math.abs(du[e] - want.v[e]) <= 1e-11 * Math.max(1, Math.abs(want.v[e])), `${what}: du[${e}] ${du[e]} vs ${want.v[e]}`);
        if (withX) for (let t = 0; t < p; t++) assert.ok(Math.abs(dbeta[t] - want.v[want.q + t]) <= 1e-11 * Math.max(1, Math.abs(want.v[want.q + t])), `${what}: dbeta[${t}]`);
        assert.ok(Math.abs(dec - want.dec) <= 1e-11 * Math.max(1, Math.abs(want.dec)), `${what}: decrement ${dec} vs ${want.dec}`);
      }
    }
  }
});

test('CrossedSystem.inverseDiagonal is diag(M^-1) per factor, by solves (9 items) and through C22 (70 items, sparse)', () => {
  for (const [sparse, wide] of [[false, false], [true, false], [true, true]]) {
    const { frame, blocks, rnd } = design(sparse, 'y ~ x + (1 | subj) + (1 | item)', wide);
    const n = frame.nobs, p = frame.p, q = blocks.reduce((a, b) => a + b.nl, 0);
    const W = Float64Array.from({ length: n }, () => 0.1 + rnd()), wres = new Float64Array(n), u = new Float64Array(q), lam = [0.9, 1.3];
    const sys = new CrossedSystem(blocks, p);
    sys.form(W, wres, lam, null, null, n);
    assert.ok(sys.factor());
    const got = sys.inverseDiagonal();
    // diag(M^-1) from the dense factor: column e of L^-1 by forward substitution, its squares summed by row.
    const { M, m } = denseSolve(blocks, null, p, W, wres, lam, u);
    const diag = new Float64Array(m), z = new Float64Array(m);
    for (let e = 0; e < m; e++) {
      z.fill(0);
      z[e] = 1;
      for (let c = e; c < m; c++) {
        z[c] /= M[c + c * m];
        diag[e] += z[c] * z[c];
        for (let k = c + 1; k < m; k++) z[k] -= M[k + c * m] * z[c];
      }
    }
    let o = 0;
    blocks.forEach((b, j) => {
      for (let l = 0; l < b.nl; l++) {
        const want = diag[o + l];
        assert.ok(Math.abs(got[j][l] - want) <= 1e-12 * want, `${wide ? 'wide' : sparse ? 'sparse' : 'crossed'} block ${j} level ${l}: ${got[j][l]} vs ${want}`);
      }
      o += b.nl;
    });
  }
});
