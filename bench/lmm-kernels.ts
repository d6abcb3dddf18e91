/**
 * Dense Cholesky (potrf) throughput on random SPD matrices with the WebAssembly
 * and the JavaScript rank-k tiles, the inverse used by the gradient, and the
 * unblocked kernel: `node --import tsx bench/lmm-kernels.ts`.
 * Flop count n^3 / 3; best of several runs.
 */
import { potrf, potrfUnblocked } from '../src/linalg/potrf.js';
import { potriLower } from '../src/linalg/potri.js';
import { setRankUpdateKernel } from '../src/linalg/rankUpdate.js';

function randomSpd(n: number): Float64Array {
  const g = new Float64Array(n * n);
  for (let i = 0; i < g.length; i++) g[i] = Math.random() - 0.5;
  const a = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) {
      let s = 0;
      for (let l = 0; l < n; l++) s += g[i + l * n] * g[j + l * n];
      a[i + j * n] = s + (i === j ? n : 0);
    }
  }
  return a;
}

function bestSeconds(a: Float64Array, f: (w: Float64Array) => number, runs: number): number {
  const w = new Float64Array(a.length);
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    w.set(a);
    const t = performance.now();
    if (f(w) !== 0) throw new Error('not positive definite');
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return best;
}

const rows: string[] = ['| n | kernel | ms | GFlop/s |', '| ---: | --- | ---: | ---: |'];
for (const n of [500, 1128, 2000]) {
  const a = randomSpd(n);
  const flops = (n * n * n) / 3;
  const inv = new Float64Array(n * n), scratch = new Float64Array(n * n);
  const runs = n >= 2000 ? 3 : 6;
  const kernels: [string, (w: Float64Array) => number][] = [
    ['potrf (blocked, wasm SIMD tiles)', (w) => potrf(n, w, 0, n)],
    ['potrf (blocked, JavaScript tiles)', (w) => {
      setRankUpdateKernel('js');
      const info = potrf(n, w, 0, n);
      setRankUpdateKernel('wasm');
      return info;
    }],
    ['potrf + potriLower (n^3 flops; the rate column counts n^3/3)', (w) => {
      if (potrf(n, w, 0, n) !== 0) return 1;
      potriLower(n, w, 0, n, inv, scratch);
      return 0;
    }],
    ['potrfUnblocked', (w) => potrfUnblocked(n, w, 0, n)],
  ];
  for (const [name, f] of kernels) {
    const s = bestSeconds(a, f, runs);
    rows.push(`| ${n} | ${name} | ${(s * 1000).toFixed(1)} | ${(flops / s / 1e9).toFixed(2)} |`);
  }
}
console.log(rows.join('\n'));
