/**
 * Where a CLI fit's time goes, stage by stage, cold as the command line runs it (a fresh
 * process per case; the compiler's warm-up falls on whichever stage runs code first):
 * read (CSV), frame (formula, model frame), fit (lmer/glmer's optimisation and finish),
 * inference (the coefficients' t tests: Satterthwaite's df for LMMs), json (the
 * command's JSON), and the process's start (node and the library's import) before them.
 *
 *   node --import tsx bench/stages.ts [--repeat N] [case-substring ...]     (also: npm run bench -- stages)
 *
 * With --repeat N each case's process reads and fits N times and prints its first run and its
 * last: what the compiler's warm-up and the first runs' garbage cost, against the same work
 * once compiled (the floor of a one-shot process that V8 could start warm).
 *
 * The 1e6-row sets come from shared/bench/gen.mjs into bench/data (see scripts/bench.mjs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Case {
  name: string;
  file: string;
  formula: string;
  factors: string[];
  family?: string;
}

const root = fileURLToPath(new URL('../', import.meta.url));
const CASES: Case[] = [
  { name: 'sleepstudy_slopes', file: 'test/fixtures/data/sleepstudy.csv', formula: 'Reaction ~ Days + (Days | Subject)', factors: ['Subject'] },
  { name: 'insteval_crossed', file: 'test/fixtures/data/InstEval.csv', formula: 'y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept)', factors: ['s', 'd', 'dept', 'service'] },
  { name: 'verbagg_crossed', file: 'test/fixtures/data/VerbAgg.csv', formula: 'r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)', factors: ['id'], family: 'binomial' },
  { name: 'lmm_slopes_1e6', file: 'bench/data/lmm_slopes_1e6.csv', formula: 'y ~ x1 + x2 + (1 + x1 | g)', factors: [] },
  { name: 'lmm_crossed_1e6', file: 'bench/data/lmm_crossed_1e6.csv', formula: 'y ~ x + (1 | user) + (1 | item)', factors: [] },
  { name: 'ctr_1e5', file: 'bench/data/ctr_1e5.csv', formula: 'cbind(clicks, expos - clicks) ~ display + (1 | id)', factors: ['id'], family: 'binomial' },
  { name: 'glmm_binary_1e6', file: 'bench/data/glmm_binary_1e6.csv', formula: 'y ~ x + treat + (1 | g)', factors: [], family: 'binomial' },
];

/** One case in this process: the stages' seconds, the evaluations and the peak memory. */
async function stages(c: Case): Promise<Record<string, number>> {
  const t0 = performance.now();
  const [{ readCsvFile }, { buildFrame }, { fitLmm }, { fitGlmm }, { lmmCoefficients }, { modelJson }] = await Promise.all([
    import('../src/io/readTable.js'), import('../src/api/fit.js'), import('../src/lmm/index.js'), import('../src/glmm/index.js'),
    import('../src/api/coefficients.js'), import('../src/report/json.js'),
  ]);
  const out: Record<string, number> = { import: (performance.now() - t0) / 1000 };
  let t = performance.now();
  const lap = (stage: string): void => {
    const now = performance.now();
    out[stage] = (now - t) / 1000;
    t = now;
  };
  const table = readCsvFile(root + c.file, {});
  lap('read');
  const options = { factors: c.factors, family: c.family };
  const frame = buildFrame(c.formula, table, options);
  lap('frame');
  const base = { formula: c.formula, frame, data: table, options };
  if (c.family === undefined) {
    const fit = fitLmm(frame, { REML: true });
    lap('fit');
    const { coefficients } = lmmCoefficients({ kind: 'lmm', ...base, fit }, 'auto');
    lap('inference');
    JSON.stringify(modelJson({ kind: 'lmm', ...base, fit, coefficients }));
    out.evaluations = fit.optsummary?.evaluations ?? NaN;
  } else {
    const fit = fitGlmm(frame, { family: c.family });
    lap('fit');
    out.inference = 0;
    JSON.stringify(modelJson({ kind: 'glmm', ...base, fit }));
    out.evaluations = fit.optsummary.stages.reduce((s, st) => s + st.evaluations, 0);
  }
  lap('json');
  out.rss = process.resourceUsage().maxRSS / 1024;
  return out;
}

const self = fileURLToPath(import.meta.url);
if (process.argv[2] === '--case') {
  const c = CASES.find((k) => k.name === process.argv[3])!;
  // The process's start: from the parent's spawn (argv[4], ms since the epoch) to this module running.
  const start = (performance.timeOrigin + performance.now() - Number(process.argv[4])) / 1000;
  const repeat = Number(process.argv[5] ?? 1);
  const first = await stages(c);
  let last = first;
  for (let r = 1; r < repeat; r++) last = await stages(c);
  process.stdout.write(JSON.stringify({ first: { start, ...first }, last: repeat > 1 ? { start: 0, ...last } : null }) + '\n');
} else {
  const args = process.argv.slice(2);
  const at = args.indexOf('--repeat');
  const repeat = at < 0 ? 1 : Number(args[at + 1]);
  if (!(Number.isInteger(repeat) && repeat >= 1)) throw new Error(`--repeat takes a whole number of runs from 1 up, not '${args[at + 1]}'`);
  const filter = at < 0 ? args : args.filter((_, i) => i !== at && i !== at + 1);
  const cols = ['start', 'import', 'read', 'frame', 'fit', 'inference', 'json'];
  const rows = [`| case | ${cols.join(' s | ')} s | total s | evals | peak MiB |`, `| --- |${' ---: |'.repeat(cols.length + 3)}`];
  const row = (name: string, s: Record<string, number>) => {
    const total = cols.reduce((a, k) => a + (s[k] ?? 0), 0);
    rows.push(`| ${name} | ${cols.map((k) => (s[k] ?? 0).toFixed(3)).join(' | ')} | ${total.toFixed(2)} | ${s.evaluations} | ${s.rss.toFixed(0)} |`);
  };
  for (const c of CASES) {
    if (filter.length > 0 && !filter.some((f) => c.name.includes(f))) continue;
    if (!existsSync(root + c.file)) {
      rows.push(`| ${c.name} | ${c.file} is missing (npm run bench -- ${c.name} generates it) |`);
      continue;
    }
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--case', c.name, String(Date.now()), String(repeat)], { encoding: 'utf8', cwd: root, maxBuffer: 1 << 26 });
    if (r.status !== 0) {
      rows.push(`| ${c.name} | failed: ${r.stderr.split('\n').find((l) => l.trim()) ?? r.status} |`);
      continue;
    }
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { first: Record<string, number>; last: Record<string, number> | null };
    row(out.last === null ? c.name : `${c.name}, run 1`, out.first);
    if (out.last !== null) row(`${c.name}, run ${repeat} (same process)`, out.last);
  }
  console.log(rows.join('\n'));
  console.log('\nOne cold process per case, from TypeScript through tsx (its compile falls in start and import; the installed CLI loads a bundle instead)' +
    (repeat > 1 ? `; run ${repeat} is the same read and fit again in that process, its code compiled by then (start 0; import is the modules' cache).` : '.'));
}
