/**
 * CSV parsing alone, cold and warm: `node --import tsx bench/csv-speed.ts [file-substring] [--runs n] [--lib module]`.
 * Each file is parsed in `runs` fresh processes (default 3); in each, the first call is the cold time
 * (JIT warm-up included, as the CLI parses once per process) and the 4th call the warm time. The
 * table shows medians over the runs of CPU seconds (user + system of the process during the call:
 * the machine is shared, so wall time is noisier) and of wall seconds, and MB/s from the CPU time.
 * `--lib` times the `parseCsv` another build exports (e.g. a copy of dist/index.js made before a
 * change) instead of src/io/csv.ts, for A/B comparisons.
 * The 1e6-row sets come from shared/bench/gen.mjs into bench/data (see scripts/bench.mjs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../', import.meta.url).pathname;
const FILES = ['bench/data/glmm_binary_1e6.csv', 'bench/data/lmm_crossed_1e6.csv', 'bench/data/lmm_slopes_1e6.csv', 'bench/data/ctr_1e5.csv', 'test/fixtures/data/InstEval.csv'];
const CALLS = 4;

interface Timing {
  rows: number;
  cpu: number[];
  wall: number[];
}

type Parse = (bytes: Uint8Array, source: string) => { nrow: number };

async function child(file: string, lib: string | undefined): Promise<void> {
  const module = lib === undefined ? await import('../src/io/csv.js') : await import(pathToFileURL(resolve(lib)).href);
  const parse = module.parseCsv as Parse;
  const bytes = new Uint8Array(readFileSync(file));
  const timing: Timing = { rows: 0, cpu: [], wall: [] };
  for (let k = 0; k < CALLS; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    timing.rows = parse(bytes, file).nrow;
    const c = process.cpuUsage(c0);
    timing.wall.push((performance.now() - t0) / 1000);
    timing.cpu.push((c.user + c.system) / 1e6);
  }
  console.log(JSON.stringify(timing));
}

function parent(args: string[]): void {
  const runsAt = args.indexOf('--runs');
  const libAt = args.indexOf('--lib');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
  const lib = libAt >= 0 ? args[libAt + 1] : undefined;
  const filter = args.filter((a, i) => !a.startsWith('--') && i !== runsAt + 1 && i !== libAt + 1);
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = [
    `parseCsv from ${lib ?? 'src/io/csv.ts'}; medians of ${runs} processes; cold = 1st call, warm = ${CALLS}th`,
    '| file | MB | rows | cold CPU s | cold wall s | cold MB/s | warm CPU s | warm wall s | warm MB/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const file of FILES) {
    if (filter.length > 0 && !filter.some((f) => file.includes(f))) continue;
    const path = root + file;
    if (!existsSync(path)) {
      rows.push(`| ${file} | missing | | | | | | | |`);
      continue;
    }
    const mb = statSync(path).size / 1e6;
    const timings: Timing[] = [];
    for (let r = 0; r < runs; r++) {
      const extra = lib === undefined ? [] : ['--lib', lib];
      const out = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', path, ...extra], { encoding: 'utf8', cwd: root });
      if (out.status !== 0) throw new Error(`${file}: ${out.stderr}`);
      timings.push(JSON.parse(out.stdout.trim().split('\n').pop() as string) as Timing);
    }
    const at = (k: number, key: 'cpu' | 'wall') => median(timings.map((t) => t[key][k]));
    const f = (x: number) => x.toFixed(3);
    const cold = at(0, 'cpu'), warm = at(CALLS - 1, 'cpu');
    rows.push(`| ${file.split('/').pop()} | ${mb.toFixed(1)} | ${timings[0].rows} | ${f(cold)} | ${f(at(0, 'wall'))} | ${(mb / cold).toFixed(0)} | ${f(warm)} | ${f(at(CALLS - 1, 'wall'))} | ${(mb / warm).toFixed(0)} |`);
  }
  console.log(rows.join('\n'));
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1], args[2] === '--lib' ? args[3] : undefined);
else parent(args);
