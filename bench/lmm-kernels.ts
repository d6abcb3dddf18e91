/**
 * Dense Cholesky (potrf) and inverse (potriLower) throughput on random SPD
 * matrices, with the WebAssembly kernels (default) and with the JavaScript
 * fallback (setRankUpdateKernel('js')), and the unblocked Cholesky:
 * `node --import tsx bench/lmm-kernels.ts`.
 *
 * Flops: potrf n^3 / 3, potriLower 2 n^3 / 3 (the triangular inverse n^3 / 3
 * and W = X X' n^3 / 3). "first" is the first call at that n in this process
 * (n = 1128 comes first, so its first potrf also instantiates the module and
 * compiles it); "warm" is the best of several later runs. Times are the
 * process's CPU time (user + system), steadier than the wall clock on a shared machine.
 */
import { potrf, potrfUnblocked } from '../src/linalg/potrf.js';
import { potriLower } from '../src/linalg/potri.js';
import { setRankUpdateKernel } from '../src/linalg/rankUpdate.js';
import { randomSpd } from './spd.js';

/** Seconds of each of `runs` calls of f on a fresh copy of a. */
function timings(a: Float64Array, f: (w: Float64Array) => void, runs: number): number[] {
  const w = new Float64Array(a.length);
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    w.set(a);
    const t = process.cpuUsage();
    f(w);
    const d = process.cpuUsage(t);
    out.push((d.user + d.system) / 1e6);
  }
  return out;
}

function check(info: number): void {
  if (info !== 0) throw new Error('not positive definite');
}

function withJs(f: () => void): void {
  setRankUpdateKernel('js');
  try {
    f();
  } finally {
    setRankUpdateKernel('wasm');
  }
}

const rows: string[] = ['| n | kernel | first ms | warm ms | warm GFlop/s |', '| ---: | --- | ---: | ---: | ---: |'];
function row(n: number, name: string, flops: number, t: number[]): void {
  const warm = Math.min(...t.slice(1));
  rows.push(`| ${n} | ${name} | ${(t[0] * 1000).toFixed(1)} | ${(warm * 1000).toFixed(1)} | ${(flops / warm / 1e9).toFixed(2)} |`);
}

for (const n of [1128, 2000, 500]) {
  const a = randomSpd(n);
  const third = (n * n * n) / 3;
  const runs = n >= 2000 ? 4 : 7;
  row(n, 'potrf (wasm)', third, timings(a, (w) => check(potrf(n, w, 0, n)), runs));
  const l = a.slice();
  check(potrf(n, l, 0, n));
  const inv = new Float64Array(n * n), scratch = new Float64Array(n * n);
  row(n, 'potriLower (wasm)', 2 * third, timings(l, (w) => potriLower(n, w, 0, n, inv, scratch), runs));
  row(n, 'potrf (JavaScript)', third, timings(a, (w) => withJs(() => check(potrf(n, w, 0, n))), Math.min(runs, 4)));
  row(n, 'potriLower (JavaScript)', 2 * third, timings(l, (w) => withJs(() => potriLower(n, w, 0, n, inv, scratch)), Math.min(runs, 4)));
  if (n <= 1128) row(n, 'potrfUnblocked', third, timings(a, (w) => check(potrfUnblocked(n, w, 0, n)), 3));
}
console.log(rows.join('\n'));
