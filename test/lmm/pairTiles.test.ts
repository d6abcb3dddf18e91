import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SparseBlock } from '../../src/lmm/blocks.js';
import type { ScalarPattern } from '../../src/lmm/gradient.js';
import { levelQuadratics } from '../../src/lmm/levelQuadratics.js';
import { pairTilesOf, scalarSquareSub, MAX_TILES } from '../../src/lmm/pairTiles.js';
import { rankUpdateWasm, setRankUpdateKernel } from '../../src/linalg/rankUpdate.js';
import { pairWalks } from './pairWalks.js';

// The tiled walks must give what the plain sums over each column level's pairs give,
// whatever the tiling: tests use tiles of a few rows so that every case (pairs within
// one tile, across tiles, levels with no entry in a tile) occurs in small patterns.

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** A scalar pattern: nlCol column levels, each a random increasing subset of nlRow rows (some empty). */
function pattern(nlCol: number, nlRow: number, seed: number): { colptr: Int32Array; rowidx: Int32Array; v: Float64Array } {
  const r = rng(seed), rows: number[] = [], colptr = new Int32Array(nlCol + 1);
  for (let l = 0; l < nlCol; l++) {
    const want = Math.floor(r() * Math.min(nlRow, 9));
    const set = new Set<number>();
    while (set.size < want) set.add(Math.floor(r() * nlRow));
    rows.push(...[...set].sort((a, b) => a - b));
    colptr[l + 1] = rows.length;
  }
  return { colptr, rowidx: Int32Array.from(rows), v: Float64Array.from(rows, () => r() * 2 - 1) };
}

test('pairTilesOf: pos[l, t] is the first entry of level l at or after row t * size, at most MAX_TILES tiles', () => {
  const { colptr, rowidx } = pattern(30, 41, 1);
  for (const rows of [1, 5, 7, 41, 512]) {
    const { size, count, pos } = pairTilesOf(30, colptr, rowidx, 41, rows);
    assert.ok(count >= 1 && count <= MAX_TILES && size * count >= 41, `rows ${rows}: ${count} tiles of ${size}`);
    for (let l = 0; l < 30; l++) {
      for (let t = 0; t <= count; t++) {
        let e = colptr[l];
        while (e < colptr[l + 1] && rowidx[e] < t * size) e++;
        assert.equal(pos[l * (count + 1) + t], t === count ? colptr[l + 1] : e);
      }
    }
  }
});

test('scalarSquareSub equals the sum over levels of v_l v_l\' (lower triangle), bit for bit, for any tiling', () => {
  const nlCol = 60, nlRow = 37, ld = nlRow + 3;
  const { colptr, rowidx, v } = pattern(nlCol, nlRow, 7);
  const S: SparseBlock = { kind: 'sparse', nlRow, nlCol, kRow: 1, kCol: 1, colptr, rowidx, values: v };
  const start = Float64Array.from({ length: ld * ld }, (_, i) => (i % 13) / 7);
  // Each entry's terms in increasing level, as the walk by row level adds them.
  const want = start.slice();
  for (let l = 0; l < nlCol; l++) {
    for (let f = colptr[l]; f < colptr[l + 1]; f++) for (let e = f; e < colptr[l + 1]; e++) want[rowidx[e] + rowidx[f] * ld] -= v[e] * v[f];
  }
  for (const rows of [1, 4, 10, 37, 512]) {
    const dst = start.slice();
    scalarSquareSub(S, v, dst, ld, pairTilesOf(nlCol, colptr, rowidx, nlRow, rows));
    assert.deepEqual(dst, want, `tiles of ${rows} rows`);
  }
});

test('levelQuadratics: q_l = K~_l\' W K~_l and K = sum_l K~_l K~_l\', with and without rows of X', () => {
  // 33 rows in JavaScript; 80 in the WebAssembly module (pairSumsWasm.ts takes orders from 65).
  for (const offX of [33, 80]) levelQuadraticsCase(offX);
});

function levelQuadraticsCase(offX: number): void {
  const nl = 50, r = rng(11);
  const { colptr, rowidx, v } = pattern(nl, offX, 3);
  for (const p of [0, 2]) {
    const ld = offX + p;
    // A symmetric W, its lower triangle given (the upper holds garbage, never to be read).
    const full = new Float64Array(ld * ld);
    for (let c = 0; c < ld; c++) for (let a = c; a < ld; a++) full[a + c * ld] = full[c + a * ld] = r() - 0.5;
    const W = full.map((x, i) => (i % ld >= Math.floor(i / ld) ? x : 1e300));
    const dinv = Float64Array.from({ length: nl }, () => 0.2 + r());
    const kx = Float64Array.from({ length: nl * p }, () => r() - 0.5);
    // K~_l as a dense column, and the naive sums.
    const col = (l: number): Float64Array => {
      const k = new Float64Array(ld);
      for (let e = colptr[l]; e < colptr[l + 1]; e++) k[rowidx[e]] = v[e] * dinv[l];
      for (let t = 0; t < p; t++) k[offX + t] = kx[l * p + t];
      return k;
    };
    const wantQ = new Float64Array(nl), wantK = new Float64Array(ld * ld);
    for (let l = 0; l < nl; l++) {
      const k = col(l);
      for (let a = 0; a < ld; a++) for (let b = 0; b < ld; b++) wantQ[l] += k[a] * full[a + b * ld] * k[b];
      for (let b = 0; b < ld; b++) for (let a = b; a < ld; a++) wantK[a + b * ld] += k[a] * k[b];
    }
    for (const rows of [3, 8, 33, 512]) {
      const sp: ScalarPattern = {
        kptr: colptr, krow: rowidx, kval: v, gathered: false, dinv, kx, tiles: pairTilesOf(nl, colptr, rowidx, offX, rows),
        quad: new Float64Array(nl), quadVersion: -1, wx: new Float64Array(p * offX), kz: new Float64Array(p * offX),
      };
      const q = new Float64Array(nl).fill(NaN);
      levelQuadratics(sp, W, ld, offX, p, null, q);
      q.forEach((x, l) => assert.ok(Math.abs(x - wantQ[l]) <= 1e-13 * (1 + Math.abs(wantQ[l])), `p ${p}, tiles of ${rows}: q[${l}] ${x} vs ${wantQ[l]}`));
      const K = new Float64Array(ld * ld), q2 = new Float64Array(nl);
      levelQuadratics(sp, W, ld, offX, p, K, q2);
      assert.deepEqual(q2, q, 'the same q with K formed');
      for (let b = 0; b < ld; b++) {
        for (let a = b; a < ld; a++) {
          const got = K[a + b * ld], want = wantK[a + b * ld];
          assert.ok(Math.abs(got - want) <= 1e-13 * (1 + Math.abs(want)), `p ${p}, tiles of ${rows}: K[${a},${b}] ${got} vs ${want}`);
        }
        for (let a = 0; a < b; a++) assert.equal(K[a + b * ld], 0, 'the upper triangle of K is not written');
      }
      // With q held (the gradient's at the same W): K alone, the same bits; q left as it was.
      // With q held (the gradient's at the same W): K alone, the same bits, q neither read nor
      // written where the module forms K (else all is formed again, q with it).
      const K3 = new Float64Array(ld * ld), q3 = new Float64Array(nl).fill(NaN);
      levelQuadratics(sp, W, ld, offX, p, K3, q3, true);
      assert.deepEqual(K3, K, `p ${p}, tiles of ${rows}: K with q held`);
      if (offX >= 65) assert.ok(q3.every(Number.isNaN), `p ${p}, tiles of ${rows}: q held is neither read nor written`);
      else assert.deepEqual(q3, q, 'q formed again');
    }
  }
}

const CHUNKED = [[20000, 30, 'more entries than one chunk (2^18) holds'], [70000, 3, 'more levels than one chunk (2^15) takes']] as const;
for (const [nlCol, most, why] of CHUNKED) test(`the WebAssembly walks (pairSumsWasm.ts) give the JavaScript's bits, over several chunks of levels: ${why}`, () => {
  // nlCol levels of up to `most` of 150 rows.
  const { entries, start, run } = pairWalks(nlCol, 150, most, 40, 5);
  assert.ok(most === 30 ? entries > 1 << 18 : nlCol > 2 << 15, `${entries} entries`);
  const js = run('js'), wasm = run('wasm');
  assert.ok(rankUpdateWasm() !== null, 'the module is available here');
  assert.deepEqual(wasm.dst, js.dst);
  assert.deepEqual(wasm.q, js.q);
  assert.deepEqual(wasm.K, js.K);
  assert.deepEqual(wasm.qK, js.qK);
  assert.deepEqual(wasm.qK, wasm.q, 'the same q with K formed');
  assert.notDeepEqual(js.dst, start, 'the update changed the matrix');
  assert.ok(js.K.some((x, i) => x !== (i % 7) / 5), 'K was formed');
});
