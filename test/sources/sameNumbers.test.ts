/**
 * Issue 10's acceptance: the same model from the CSV in memory, from its
 * Parquet copy (DuckDB), from PostgreSQL and from the ClickHouse Distributed
 * table over two shards gives the same numbers (sameFit.ts tolerances), for
 * LMMs with correlated slopes (sleepstudy), crossed factors (Penicillin),
 * a categorical-by-numeric interaction and an interaction grouping factor
 * (cake), nested factors (Pastes), prior weights, transforms with an aliased
 * column (log, I(^2), scale), a response far from 0 relative to its spread
 * (sleepstudy's Reaction + 1e9) and scale() of such a column, and
 * GLMMs collapsed in the engine: binomial with cbind (cbpp), binary with crossed
 * factors (VerbAgg), Poisson (grouseticks). The database cases skip, saying so, when
 * their server is not running (CI starts both).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dataFile, fitJson } from '../cli/helpers.js';
import { assertSameFit } from './sameFit.js';
import { CLICKHOUSE_SHARDS, CLICKHOUSE_URL, fixtureTable, loadClickHouse, loadPostgres, NO_CLICKHOUSE, NO_POSTGRES, POSTGRES_URL, toParquet } from './servers.js';

interface Case {
  data: string;
  formula: string;
  flags: string[];
  pushdown: string;
}

const CASES: Record<string, Case> = {
  sleepstudy: { data: 'sleepstudy', formula: 'Reaction ~ Days + (Days | Subject)', flags: ['--factor', 'Subject'], pushdown: 'sums' },
  penicillin: { data: 'Penicillin', formula: 'diameter ~ 1 + (1 | plate) + (1 | sample)', flags: [], pushdown: 'sums' },
  sleepstudyMl: { data: 'sleepstudy', formula: 'Reaction ~ Days + (1 | Subject) + (0 + Days | Subject)', flags: ['--factor', 'Subject', '--ml'], pushdown: 'sums' },
  cake: { data: 'cake', formula: 'angle ~ recipe * temp + (1 | recipe:replicate)', flags: ['--factor', 'recipe,replicate'], pushdown: 'sums' },
  pastes: { data: 'Pastes', formula: 'strength ~ 1 + (1 | batch/cask)', flags: [], pushdown: 'sums' },
  weighted: { data: 'sleepstudy_w', formula: 'Reaction ~ Days + (1 | Subject)', flags: ['--factor', 'Subject', '--weights', 'w'], pushdown: 'sums' },
  transforms: { data: 'sleepstudy', formula: 'log(Reaction) ~ Days + I(Days^2) + scale(Days) + (1 | Subject)', flags: ['--factor', 'Subject'], pushdown: 'sums' },
  // Reaction + 1e9: the response's raw sums keep no digit of its spread; they are taken again of y - X c in the engine.
  farFromZero: { data: 'sleepstudy_far', formula: 'Reaction ~ Days + (Days | Subject)', flags: ['--factor', 'Subject'], pushdown: 'sums' },
  // scale() of a column far from 0: its sd in the engine by a stable algorithm (ClickHouse's stddevSamp is not).
  scaleFar: { data: 'sleepstudy_far', formula: 'Days ~ scale(Reaction) + (1 | Subject)', flags: ['--factor', 'Subject'], pushdown: 'sums' },
  cbpp: { data: 'cbpp', formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', flags: ['--family', 'binomial', '--factor', 'herd,period'], pushdown: 'collapsed' },
  verbagg: { data: 'VerbAgg', formula: 'r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)', flags: ['--family', 'binomial', '--factor', 'id,item'], pushdown: 'collapsed' },
  grouseticks: { data: 'grouseticks', formula: 'TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | LOCATION)', flags: ['--family', 'poisson', '--factor', 'YEAR,BROOD,LOCATION'], pushdown: 'collapsed' },
};

const dir = mkdtempSync(join(tmpdir(), 'mm-sources-'));
const memory = new Map<string, Record<string, any>>();

before(async () => {
  for (const [name, c] of Object.entries(CASES)) memory.set(name, await fitJson([dataFile(c.data), c.formula, ...c.flags]));
  for (const d of new Set(Object.values(CASES).map((c) => c.data))) await toParquet(dataFile(d), join(dir, `${d}.parquet`));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('fit <file.parquet> (DuckDB) gives the in-memory numbers', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`fit ${c.data}.parquet "${c.formula}"`, async () => {
      const json = await fitJson([join(dir, `${c.data}.parquet`), c.formula, ...c.flags]);
      assertSameFit(json, memory.get(name)!, name);
      if (json.source.engine !== 'duckdb' || json.source.pushdown !== c.pushdown) throw new Error(`source ${JSON.stringify(json.source)}`);
    });
  }
});

describe('fit postgresql://... --table (PostgreSQL) gives the in-memory numbers', { skip: NO_POSTGRES }, () => {
  before(async () => {
    for (const d of new Set(Object.values(CASES).map((c) => c.data))) await loadPostgres(POSTGRES_URL!, `same_${d}`, fixtureTable(d));
  });
  for (const [name, c] of Object.entries(CASES)) {
    it(`fit postgresql --table same_${c.data} "${c.formula}"`, async () => {
      const json = await fitJson([POSTGRES_URL!, c.formula, '--table', `same_${c.data}`, ...c.flags]);
      assertSameFit(json, memory.get(name)!, name);
      if (json.source.engine !== 'postgresql' || json.source.pushdown !== c.pushdown) throw new Error(`source ${JSON.stringify(json.source)}`);
    });
  }
});

describe('fit clickhouse://... --table (Distributed over 2 shards) gives the in-memory numbers', { skip: NO_CLICKHOUSE }, () => {
  before(async () => {
    for (const d of new Set(Object.values(CASES).map((c) => c.data))) await loadClickHouse(CLICKHOUSE_SHARDS!, `same_${d}`, fixtureTable(d));
  });
  for (const [name, c] of Object.entries(CASES)) {
    it(`fit clickhouse --table same_${c.data} "${c.formula}"`, async () => {
      const json = await fitJson([CLICKHOUSE_URL!, c.formula, '--table', `same_${c.data}`, ...c.flags]);
      assertSameFit(json, memory.get(name)!, name);
      if (json.source.engine !== 'clickhouse' || json.source.pushdown !== c.pushdown) throw new Error(`source ${JSON.stringify(json.source)}`);
    });
  }
});
