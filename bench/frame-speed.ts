/**
 * Time to read a CSV file and build the model frame, phase by phase:
 * `node --import tsx bench/frame-speed.ts [case-substring] [--repeats n]`.
 * Each phase is run `repeats` times (default 3) and the median is shown; the
 * first run includes JIT warm-up, as a CLI run does, and is shown apart.
 * The 1e6-row sets come from shared/bench/gen.mjs into bench/data (see scripts/bench.mjs).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseCsv } from '../src/io/csv.js';
import { buildFrame } from '../src/api/fit.js';

interface Case {
  name: string;
  file: string;
  formula: string;
  factors: string[];
}

const root = new URL('../', import.meta.url).pathname;
const CASES: Case[] = [
  { name: 'insteval', file: 'test/fixtures/data/InstEval.csv', formula: 'y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept)', factors: ['s', 'd', 'dept', 'service'] },
  { name: 'lmm_slopes_1e6', file: 'bench/data/lmm_slopes_1e6.csv', formula: 'y ~ x1 + x2 + (1 + x1 | g)', factors: [] },
  { name: 'lmm_crossed_1e6', file: 'bench/data/lmm_crossed_1e6.csv', formula: 'y ~ x + (1 | user) + (1 | item)', factors: [] },
  { name: 'glmm_binary_1e6', file: 'bench/data/glmm_binary_1e6.csv', formula: 'y ~ x + (1 | g)', factors: [] },
];

const args = process.argv.slice(2);
const repIdx = args.indexOf('--repeats');
const repeats = repIdx >= 0 ? Number(args[repIdx + 1]) : 3;
const filter = args.filter((a, i) => !a.startsWith('--') && (repIdx < 0 || i !== repIdx + 1));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (t0: number): number => (performance.now() - t0) / 1000;

const rows = ['| case | rows | parse first s | parse median s | frame first s | frame median s |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
for (const c of CASES) {
  if (filter.length > 0 && !filter.some((f) => c.name.includes(f))) continue;
  const path = root + c.file;
  if (!existsSync(path)) {
    rows.push(`| ${c.name} | missing ${c.file} | | | | |`);
    continue;
  }
  const bytes = readFileSync(path);
  const parse: number[] = [];
  const frame: number[] = [];
  let nrow = 0;
  for (let r = 0; r < repeats; r++) {
    let t0 = performance.now();
    const table = parseCsv(bytes, c.file);
    parse.push(seconds(t0));
    nrow = table.nrow;
    t0 = performance.now();
    buildFrame(c.formula, table, { factors: c.factors });
    frame.push(seconds(t0));
  }
  const f = (x: number) => x.toFixed(3);
  rows.push(`| ${c.name} | ${nrow} | ${f(parse[0])} | ${f(median(parse))} | ${f(frame[0])} | ${f(median(frame))} |`);
}
console.log(rows.join('\n'));
