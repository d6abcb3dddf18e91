/**
 * The dense kernels with and without their helper thread (src/linalg/denseHelper.ts):
 * wall-clock time of potrf and potriLower on random SPD matrices, and from order 1000 on of
 * Satterthwaite's W K product and the crossed factors' pair sums (the Schur update and the
 * quadratic forms, on a pattern of 25 n levels with 10 to 30 of the n rows each), in two
 * processes, one that enables the helper (src/node/denseThread.ts, as the command line does)
 * and one that does not, and the results compared to the bit:
 *
 *   node --import tsx bench/dense-threads.ts
 *
 * Each time is the best of several calls after a warm-up that also brings the helper up.
 * CPU time would count both threads, so the wall clock is read here (a shared machine
 * makes it noisier; the best of the runs is the figure to trust).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { potrf } from '../src/linalg/potrf.js';
import { potriLower } from '../src/linalg/potri.js';
import { enableDenseThread } from '../src/node/denseThread.js';
import { symmProductInPlaceWasm } from '../src/linalg/denseWasm.js';
import { levelQuadratics } from '../src/lmm/levelQuadratics.js';
import { scalarSquareSub } from '../src/lmm/pairTiles.js';
import { crossedPattern, uniform } from './crossedPattern.js';
import { randomSpd } from './spd.js';

const SIZES = [128, 256, 512, 1128, 2000];

/** Best wall-clock seconds of `runs` calls of f on a fresh copy of a; the last result's hash. */
function best(a: Float64Array, f: (w: Float64Array) => Float64Array, runs: number): { seconds: number; hash: string } {
  const w = new Float64Array(a.length);
  let seconds = Infinity, out: Float64Array = w;
  for (let r = 0; r < runs; r++) {
    w.set(a);
    const t = performance.now();
    out = f(w);
    seconds = Math.min(seconds, (performance.now() - t) / 1000);
  }
  return { seconds, hash: createHash('sha256').update(new Uint8Array(out.buffer, out.byteOffset, out.byteLength)).digest('hex').slice(0, 12) };
}

async function measure(threads: boolean): Promise<Record<string, { seconds: number; hash: string }>> {
  if (threads) enableDenseThread();
  const warm = randomSpd(512);
  for (let r = 0; r < 5; r++) potrf(512, warm.slice(), 0, 512);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const out: Record<string, { seconds: number; hash: string }> = {};
  for (const n of SIZES) {
    const a = randomSpd(n), runs = n >= 1000 ? 5 : 20;
    const inv = new Float64Array(n * n), scratch = new Float64Array(n * n);
    out[`potrf ${n}`] = best(a, (w) => {
      if (potrf(n, w, 0, n) !== 0) throw new Error('not positive definite');
      return w;
    }, runs);
    const l = a.slice();
    potrf(n, l, 0, n);
    out[`potriLower ${n}`] = best(l, (w) => {
      potriLower(n, w, 0, n, inv, scratch);
      return inv;
    }, runs);
    if (n < 1000) continue;
    // Satterthwaite's W K (panels of 128 columns, as criterionDerivatives.ts) and the crossed factors' pair sums.
    // K symmetric and full (the product reads all of it); W = a by its lower triangle.
    const K = a.map((x, e) => x + ((e % n) + Math.floor(e / n)) / n);
    out[`symmProduct ${n}`] = best(K, (w) => {
      if (!symmProductInPlaceWasm(n, a, w, 128)) throw new Error('no module');
      return w;
    }, 3);
    const { S, v, tiles, sp } = crossedPattern(25 * n, n, uniform());
    out[`pairUpdate ${n}`] = best(a, (w) => {
      scalarSquareSub(S, v, w, n, tiles);
      return w;
    }, runs);
    const q = new Float64Array(S.nlCol);
    out[`pairQuadratics ${n}`] = best(a, (w) => {
      levelQuadratics(sp, w, n, n, 0, null, q);
      return q;
    }, runs);
  }
  return out;
}

const self = fileURLToPath(import.meta.url);
if (process.argv[2] === '--run') {
  process.stdout.write(JSON.stringify(await measure(process.argv[3] === 'threads')));
} else {
  const run = (mode: string): Record<string, { seconds: number; hash: string }> => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--run', mode], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  };
  const one = run('one'), two = run('threads');
  console.log('| kernel | n | one thread ms | with the helper ms | ratio | same bits |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  for (const key of Object.keys(one)) {
    const [kernel, n] = key.split(' ');
    const a = one[key], b = two[key];
    console.log(`| ${kernel} | ${n} | ${(a.seconds * 1e3).toFixed(2)} | ${(b.seconds * 1e3).toFixed(2)} | ${(a.seconds / b.seconds).toFixed(2)} | ${a.hash === b.hash ? 'yes' : 'NO'} |`);
  }
}
