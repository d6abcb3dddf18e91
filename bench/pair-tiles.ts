/**
 * The sums over pairs of entries within a level that two crossed factors need
 * (src/lmm/pairTiles.ts), walked by row level (the order used before) and by
 * row tiles, on a pattern shaped like lmm_crossed_1e6 (50,000 column levels
 * with 10-30 of 2,000 row levels each, about 1e6 entries, 1.3e7 pairs):
 *
 *   node --import tsx bench/pair-tiles.ts
 *
 * "update": dst -= sum_l v_l v_l' (updateL's Schur update); "quadratic": the
 * sum over levels of v_l' W v_l (the gradient's). The tiled walks run in JavaScript
 * and in the WebAssembly module (src/linalg/pairSumsWasm.ts, its copies of the
 * matrix in and out included). The walks alternate, 15 rounds; medians and minima
 * in ms (the machine is shared: compare medians).
 */
import { setRankUpdateKernel } from '../src/linalg/rankUpdate.js';
import { levelQuadratics } from '../src/lmm/levelQuadratics.js';
import { scalarSquareSub } from '../src/lmm/pairTiles.js';
import { rowOrderOf } from '../src/lmm/sparseOrder.js';
import { crossedPattern, uniform } from './crossedPattern.js';

const nl = 50_000, nr = 2000;
const rnd = uniform();
const { S, v, tiles, sp } = crossedPattern(nl, nr, rnd);
const { colptr, rowidx } = S, quad = sp.quad;
const order = rowOrderOf(nl, colptr, rowidx, nr);
const stop = Int32Array.from(order.entry, (e) => colptr[order.colOf[e] + 1]);
const W = Float64Array.from({ length: nr * nr }, () => rnd());
const dst = new Float64Array(nr * nr);

/** The row-level walk of the update (updateL before pairTiles). */
function updateByRow(): void {
  for (let c = 0; c < nr; c++) {
    const col = c * nr;
    for (let x = order.rowptr[c]; x < order.rowptr[c + 1]; x++) {
      const f = order.entry[x], w = v[f];
      for (let e = f; e < stop[x]; e++) dst[rowidx[e] + col] -= v[e] * w;
    }
  }
}

/** The row-level walk of the quadratic forms (the gradient before levelQuadratics). */
function quadByRow(): number {
  let quad = 0;
  for (let c = 0; c < nr; c++) {
    const col = c * nr, wcc = W[col + c];
    for (let x = order.rowptr[c]; x < order.rowptr[c + 1]; x++) {
      const f = order.entry[x], vf = v[f];
      let s = 0;
      for (let e = f + 1; e < stop[x]; e++) s += W[col + rowidx[e]] * v[e];
      quad += vf * (2 * s + wcc * vf);
    }
  }
  return quad;
}

/** The tiled walk of the quadratic forms (levelQuadratics' loop, without the per-level scaling). */
function quadByTile(): number {
  const { count, pos } = tiles, stride = count + 1;
  let quad = 0;
  for (let J = 0; J < count; J++) {
    for (let I = J; I < count; I++) {
      for (let l = 0, o = 0; l < nl; l++, o += stride) {
        const j0 = pos[o + J], j1 = pos[o + J + 1], i0 = pos[o + I], i1 = pos[o + I + 1];
        for (let f = j0; f < j1; f++) {
          const col = rowidx[f] * nr, vf = v[f];
          let s = 0;
          for (let e = I === J ? f + 1 : i0; e < i1; e++) s += W[col + rowidx[e]] * v[e];
          quad += vf * (I === J ? 2 * s + W[col + rowidx[f]] * vf : 2 * s);
        }
      }
    }
  }
  return quad;
}

/** A walk with the JavaScript kernels selected (setRankUpdateKernel('js'): pairSumsWasm.ts stands aside). */
function inJs(f: () => unknown): () => unknown {
  return () => {
    setRankUpdateKernel('js');
    try {
      return f();
    } finally {
      setRankUpdateKernel('wasm');
    }
  };
}
const walks: Record<string, () => unknown> = {
  'update, by row level': updateByRow,
  'update, by tiles': inJs(() => scalarSquareSub(S, v, dst, nr, tiles)),
  'update, by tiles, WebAssembly (with its copies)': () => scalarSquareSub(S, v, dst, nr, tiles),
  'quadratic, by row level': quadByRow,
  'quadratic, by tiles': quadByTile,
  'quadratic, levelQuadratics, JavaScript': inJs(() => levelQuadratics(sp, W, nr, nr, 0, null, quad)),
  'quadratic, levelQuadratics, WebAssembly (with its copies)': () => levelQuadratics(sp, W, nr, nr, 0, null, quad),
};
const times = new Map<string, number[]>();
for (let round = 0; round < 15; round++) {
  for (const [name, walk] of Object.entries(walks)) {
    const t0 = performance.now();
    walk();
    times.set(name, [...(times.get(name) ?? []), performance.now() - t0]);
  }
}
console.log(`${rowidx.length} entries, ${tiles.count} tiles of ${tiles.size} rows`);
console.log('| walk | median ms | min ms |\n| --- | ---: | ---: |');
for (const [name, t] of times) {
  t.sort((a, b) => a - b);
  console.log(`| ${name} | ${t[7].toFixed(1)} | ${t[0].toFixed(1)} |`);
}
