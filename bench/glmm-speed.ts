/**
 * In-library GLMM fit times (frame built once, outside the timing), evaluation
 * counts and agreement with the lme4 references where there is one:
 * `node --import tsx bench/glmm-speed.ts [case-substring ...]`.
 * Small cases are fitted repeatedly and the median of the warm fits is shown.
 * ctr_1e5 and glmm_binary_1e6 come from shared/bench/gen.mjs into bench/data (see scripts/bench.mjs).
 *
 * Measured on the shared 2-core machine under load (fit s, warm median; PIRLS runs):
 *   before the Newton stage (BOBYQA + criterion finite differences): verbagg 1.5-2.3 s (408 runs),
 *   ctr_1e5 8.8 s (153), glmm_binary_1e6 22 s (103);
 *   after: verbagg 0.25-0.34 s (37), ctr_1e5 1.3 s (33), glmm_binary_1e6 2.9-3.5 s (19).
 */
import { existsSync, readFileSync } from 'node:fs';
import { readCsvFile } from '../src/io/readTable.js';
import { buildFrame } from '../src/api/fit.js';
import { fitGlmm, type GlmmOptions } from '../src/glmm/index.js';

interface Case {
  name: string;
  file: string;
  formula: string;
  factors: string[];
  options: GlmmOptions;
  repeats: number;
  /** lme4 reference in test/fixtures/refs, if any. */
  ref?: string;
}

const root = new URL('../', import.meta.url).pathname;
const data = (f: string) => `test/fixtures/data/${f}`;
const CTR = 'cbind(clicks, expos - clicks) ~ display + (1 | id)';
const CASES: Case[] = [
  { name: 'cbpp_laplace', file: data('cbpp.csv'), formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', factors: ['herd', 'period'], options: { family: 'binomial' }, repeats: 20, ref: 'cbpp_laplace' },
  { name: 'cbpp_agq25', file: data('cbpp.csv'), formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', factors: ['herd', 'period'], options: { family: 'binomial', nAGQ: 25 }, repeats: 20, ref: 'cbpp_agq25' },
  { name: 'ctr1000_laplace', file: data('ctr1000.csv'), formula: CTR, factors: ['id'], options: { family: 'binomial' }, repeats: 10, ref: 'ctr1000_laplace' },
  { name: 'ctr1000_agq10', file: data('ctr1000.csv'), formula: CTR, factors: ['id'], options: { family: 'binomial', nAGQ: 10 }, repeats: 10, ref: 'ctr1000_agq10' },
  { name: 'grouseticks_poisson', file: data('grouseticks.csv'), formula: '', factors: [], options: { family: 'poisson' }, repeats: 10, ref: 'grouseticks_poisson' },
  { name: 'verbagg_crossed', file: data('VerbAgg.csv'), formula: 'r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)', factors: ['id'], options: { family: 'binomial' }, repeats: 3, ref: 'verbagg_crossed' },
  { name: 'ctr_1e5', file: 'bench/data/ctr_1e5.csv', formula: CTR, factors: ['id'], options: { family: 'binomial' }, repeats: 1 },
  { name: 'glmm_binary_1e6', file: 'bench/data/glmm_binary_1e6.csv', formula: 'y ~ x + treat + (1 | g)', factors: [], options: { family: 'binomial' }, repeats: 1 },
];

interface Ref {
  formula: string;
  factors: string[];
  logLik: number;
  exact_logLik?: number;
  fixef: Record<string, number>;
  fixef_se: Record<string, number>;
  varcorr: { sdcor: number; var2?: string | null }[];
}

function readRef(name: string): Ref {
  return JSON.parse(readFileSync(`${root}test/fixtures/refs/${name}.json`, 'utf8'));
}

/** Largest deviations from the reference: logLik, |fixef|/SE, |SE|/SE, relative sd. */
function agreement(ref: Ref, fit: ReturnType<typeof fitGlmm>, nAGQ: number): string {
  const ll = Math.abs(fit.logLik - (nAGQ > 1 ? ref.exact_logLik ?? ref.logLik : ref.logLik));
  let fx = 0, se = 0;
  fit.coefnames.forEach((nm, j) => {
    const s = ref.fixef_se[nm];
    fx = Math.max(fx, Math.abs(fit.beta[j] - ref.fixef[nm]) / s);
    se = Math.max(se, Math.abs(fit.se[j] - s) / s);
  });
  const sds = ref.varcorr.filter((v) => v.var2 == null).map((v) => v.sdcor);
  const ours = fit.varCorr.terms.flatMap((g) => Array.from(g.sd));
  const sd = Math.max(...sds.map((s, e) => Math.abs(ours[e] - s) / s));
  return `dLL ${ll.toExponential(1)}, beta ${(100 * fx).toFixed(2)}% SE, SE ${(100 * se).toFixed(2)}%, sd ${(100 * sd).toFixed(2)}%`;
}

const filter = process.argv.slice(2);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = ['| case | read s | fit s (median) | first fit s | stage evals | PIRLS runs | logLik | vs lme4 |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |'];
for (const c of CASES) {
  if (filter.length > 0 && !filter.some((f) => c.name.includes(f))) continue;
  const ref = c.ref ? readRef(c.ref) : undefined;
  const formula = c.formula || ref!.formula;
  const factors = ref?.factors ?? c.factors;
  const path = root + c.file;
  if (!existsSync(path)) {
    rows.push(`| ${c.name} | missing ${c.file} | | | | | | |`);
    continue;
  }
  let t = performance.now();
  const frame = buildFrame(formula, readCsvFile(path), { factors, family: c.options.family });
  const read = (performance.now() - t) / 1000;
  const times: number[] = [];
  let fit: ReturnType<typeof fitGlmm> | null = null;
  for (let r = 0; r < c.repeats; r++) {
    t = performance.now();
    fit = fitGlmm(frame, c.options);
    times.push((performance.now() - t) / 1000);
  }
  const f = fit!;
  const warm = times.length > 1 ? median(times.slice(1)) : times[0];
  const evals = f.optsummary.stages.map((s) => s.evaluations).join(' + ');
  const vs = ref ? agreement(ref, f, c.options.nAGQ ?? 1) : '';
  rows.push(`| ${c.name} | ${read.toFixed(2)} | ${warm.toPrecision(3)} | ${times[0].toPrecision(3)} | ${evals} | ${f.optsummary.pirlsRuns} | ${f.logLik.toFixed(4)} | ${vs} |`);
  console.error(rows[rows.length - 1]);
}
console.log(rows.join('\n'));
