// Large scalar GLMMs' row passes by chunks, with and without the helper thread (src/glmm/pirls/rowChunks.ts, rowHelper.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFrame } from '../../src/api/fit.js';
import { fitGlmm } from '../../src/glmm/index.js';
import { ROW_SPLIT_MIN } from '../../src/glmm/pirls/rowChunks.js';
import { rowHelper, setRowHelperStarter, type RowHelperStarter } from '../../src/glmm/pirls/rowHelper.js';
import { startRowWorker } from '../../src/node/rowThread.js';
import type { GlmmFit } from '../../src/glmm/types.js';

/** A binary GLMM's data: n rows, G groups, a slope, a two-level treatment and a covariate z in [0.5, 1.5) (deterministic). */
function binaryData(n: number, G: number): Record<string, unknown[]> {
  let s = 12345;
  const rand = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  const u = Array.from({ length: G }, () => 0.8 * (rand() + rand() + rand() - 1.5));
  const y: number[] = [], x: number[] = [], treat: number[] = [], g: string[] = [], z: number[] = [];
  for (let i = 0; i < n; i++) {
    const gi = i % G, xi = 2 * rand() - 1, ti = rand() < 0.5 ? 1 : 0;
    const eta = -0.5 + 0.6 * xi + 0.3 * ti + u[gi];
    y.push(rand() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
    x.push(xi);
    treat.push(ti);
    g.push(`g${gi}`);
    z.push(0.5 + ((i * 7919) % 1000) / 1000);
  }
  return { y, x, treat, g, z };
}

/**
 * The fit with `starter` registered, the parts the helper did, and whether it still holds the fit's arrays.
 * `ready`: the helper is started first and the fit waits until it takes operations (a worker that loads
 * TypeScript through tsx may start more slowly than a fit of this size runs, on a loaded machine).
 */
async function fitWith(
  starter: RowHelperStarter | null, n: number, ready = false, formula = 'y ~ x + treat + (1 | g)',
): Promise<{ fit: GlmmFit; parts: number; holding: boolean }> {
  setRowHelperStarter(starter);
  try {
    if (ready) {
      const helper = rowHelper();
      assert.ok(helper !== null, 'no helper was started');
      for (let waited = 0; !helper.ready; waited += 20) {
        assert.ok(waited < 60_000, 'the helper did not start within a minute');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    const fit = fitGlmm(buildFrame(formula, binaryData(n, 2000), {}), { family: 'binomial' });
    return { fit, parts: rowHelper()?.parts ?? 0, holding: rowHelper()?.holding ?? false };
  } finally {
    setRowHelperStarter(null);
  }
}

function sameBits(a: GlmmFit, b: GlmmFit, what: string): void {
  assert.equal(a.logLik, b.logLik, `${what}: logLik`);
  assert.deepEqual(Array.from(a.beta), Array.from(b.beta), `${what}: beta`);
  assert.deepEqual(Array.from(a.theta), Array.from(b.theta), `${what}: theta`);
  assert.deepEqual(Array.from(a.se), Array.from(b.se), `${what}: se`);
}

const N = ROW_SPLIT_MIN + 1001;
const alone = (await fitWith(null, N)).fit;

test('a binary GLMM over ROW_SPLIT_MIN rows: the same fit to the bit with the helper thread taking chunks of the rows as without it', async () => {
  const helped = await fitWith(startRowWorker, N, true);
  assert.ok(helped.parts > 0, 'the helper did no part');
  assert.equal(helped.holding, false, 'the helper kept the finished fit\'s arrays');
  sameBits(helped.fit, alone, 'helper');
});

/**
 * A term whose z varies by row ((0 + z | g)): the passes take e^eta row by row (plainRows), which the helper runs on
 * its copies of the arrays, where all-1 prior weights and all-0 saturated terms are sent as empty arrays.
 */
test('the same fit to the bit with the helper when z varies by row (the pass without the factored exp)', async () => {
  const formula = 'y ~ x + treat + (0 + z | g)';
  const own = (await fitWith(null, N, false, formula)).fit;
  const helped = await fitWith(startRowWorker, N, true, formula);
  assert.ok(helped.parts > 0, 'the helper did no part');
  assert.ok(Number.isFinite(own.logLik), 'the fit without the helper');
  sameBits(helped.fit, own, 'helper, z by row');
});

test('a helper that never holds the problem (its arrays lost on the way) does no part, and the fit is the same', async () => {
  const lost = await fitWith((task) => {
    startRowWorker(task);
    return { post: () => {} };
  }, N, true);
  assert.equal(lost.parts, 0);
  sameBits(lost.fit, alone, 'arrays lost');
});

test('a helper that cannot start (its starter throws) leaves the fit as it is', async () => {
  sameBits((await fitWith(() => {
    throw new Error('no threads here');
  }, N)).fit, alone, 'no helper');
});

test('below ROW_SPLIT_MIN rows there is no helper part: every pass sums its rows in order', async () => {
  const rows = ROW_SPLIT_MIN - 1;
  const small = await fitWith(startRowWorker, rows, true), plain = await fitWith(null, rows);
  assert.equal(small.parts, 0);
  sameBits(small.fit, plain.fit, 'below the split');
});
