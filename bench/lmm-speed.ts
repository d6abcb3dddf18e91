/**
 * In-library LMM fit times (frame built once, outside the timing) and evaluation
 * counts: `node --import tsx bench/lmm-speed.ts [case-substring] [--optimizer bobyqa]`.
 * Small cases are fitted repeatedly and the median of the warm fits is shown.
 * The 1e6-row sets come from shared/bench/gen.mjs into bench/data (see scripts/bench.mjs).
 */
import { existsSync } from 'node:fs';
import { readCsvFile } from '../src/io/readTable.js';
import { buildFrame } from '../src/api/fit.js';
import { fitLmm, type LmmOptions } from '../src/lmm/index.js';
import type { OptimizerName } from '../src/optim/optsummary.js';

interface Case {
  name: string;
  file: string;
  formula: string;
  factors: string[];
  repeats: number;
}

const root = new URL('../', import.meta.url).pathname;
const CASES: Case[] = [
  { name: 'sleepstudy', file: 'test/fixtures/data/sleepstudy.csv', formula: 'Reaction ~ Days + (Days | Subject)', factors: ['Subject'], repeats: 200 },
  { name: 'penicillin', file: 'test/fixtures/data/Penicillin.csv', formula: 'diameter ~ 1 + (1 | plate) + (1 | sample)', factors: [], repeats: 100 },
  { name: 'insteval', file: 'test/fixtures/data/InstEval.csv', formula: 'y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept)', factors: ['s', 'd', 'dept', 'service'], repeats: 1 },
  { name: 'lmm_slopes_1e6', file: 'bench/data/lmm_slopes_1e6.csv', formula: 'y ~ x1 + x2 + (1 + x1 | g)', factors: [], repeats: 3 },
  { name: 'lmm_crossed_1e6', file: 'bench/data/lmm_crossed_1e6.csv', formula: 'y ~ x + (1 | user) + (1 | item)', factors: [], repeats: 1 },
];

const args = process.argv.slice(2);
const optIdx = args.indexOf('--optimizer');
const optimizer = optIdx >= 0 ? (args[optIdx + 1] as OptimizerName) : undefined;
const filter = args.filter((a, i) => !a.startsWith('--') && (optIdx < 0 || i !== optIdx + 1));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rows = ['| case | read + frame s | fit s (median) | first fit s | optimizer | evals | gradients | REML crit |', '| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |'];
for (const c of CASES) {
  if (filter.length > 0 && !filter.some((f) => c.name.includes(f))) continue;
  const path = root + c.file;
  if (!existsSync(path)) {
    rows.push(`| ${c.name} | missing ${c.file} | | | | | | |`);
    continue;
  }
  let t = performance.now();
  const table = readCsvFile(path);
  const frame = buildFrame(c.formula, table, { factors: c.factors });
  const read = (performance.now() - t) / 1000;
  const opts: LmmOptions = optimizer ? { optimizer } : {};
  const times: number[] = [];
  let evals = 0, grads = 0, crit = 0, used = '';
  for (let r = 0; r < c.repeats; r++) {
    t = performance.now();
    const fit = fitLmm(frame, opts);
    times.push((performance.now() - t) / 1000);
    evals = fit.optsummary?.evaluations ?? 0;
    grads = fit.optsummary?.gradients ?? 0;
    used = fit.optsummary?.optimizer ?? '';
    crit = fit.objective;
  }
  const warm = times.length > 1 ? median(times.slice(1)) : times[0];
  rows.push(`| ${c.name} | ${read.toFixed(2)} | ${warm.toPrecision(3)} | ${times[0].toPrecision(3)} | ${used} | ${evals} | ${grads} | ${crit.toFixed(6)} |`);
  console.error(rows[rows.length - 1]);
}
console.log(rows.join('\n'));
