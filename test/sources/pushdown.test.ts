/**
 * --pushdown auto|on|off, --explain, --query over files, the fallback for a
 * term SQL does not compute, standard input, Arrow files, missing values, and
 * names that need quoting: each gives the in-memory numbers (sameFit.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dataFile, fitJson, runCli } from '../cli/helpers.js';
import { assertSameFit } from './sameFit.js';
import { fixtureTable, toParquet } from './servers.js';

const dir = mkdtempSync(join(tmpdir(), 'mm-pushdown-'));
const sleep = join(dir, 'sleepstudy.parquet');
const F = 'Reaction ~ Days + (Days | Subject)';
let memory: Record<string, any>;

before(async () => {
  await toParquet(dataFile('sleepstudy'), sleep);
  memory = await fitJson([dataFile('sleepstudy'), F, '--factor', 'Subject']);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('pushdown', () => {
  it('fit file.parquet --pushdown off reads the model columns and fits in memory', async () => {
    const json = await fitJson([sleep, F, '--factor', 'Subject', '--pushdown', 'off']);
    assertSameFit(json, memory, 'pushdown off');
    assert.deepEqual([json.source.engine, json.source.pushdown, json.source.rowsScanned], ['duckdb', 'none', 180]);
  });

  it('an LMM from sums refuses a text or two-column response as in memory (it was an engine error, or a fit of the first column)', async () => {
    const text = await runCli(['fit', sleep, 'Reaction ~ Days + (1 | Subject)', '--query', 'select cast("Reaction" as varchar) as "Reaction", "Days", "Subject" from data']);
    assert.equal(text.code, 1, text.stdout.slice(0, 200));
    assert.equal(text.stderr, "error: response 'Reaction' is not numeric\n");
    const both = await runCli(['fit', sleep, 'cbind(Reaction, Days) ~ Days + (1 | Subject)']);
    const inMemory = await runCli(['fit', dataFile('sleepstudy'), 'cbind(Reaction, Days) ~ Days + (1 | Subject)']);
    assert.equal(both.code, 1, both.stdout.slice(0, 200));
    assert.equal(inMemory.code, 1);
    assert.equal(both.stderr, inMemory.stderr);
    assert.match(both.stderr, /a two-column response such as 'cbind\(Reaction, Days\)' means successes and failures, for binomial models only/);
  });

  it('--ref for a column no categorical variable of the model comes from is refused, in memory and from sums alike (it was ignored)', async () => {
    for (const data of [dataFile('sleepstudy'), sleep]) {
      for (const [ref, why] of [
        ['Days=3', /^error: reference level given for 'Days', which is not a categorical variable of the model: it is numeric here \(make it categorical with --factor Days, or factor\(Days\) in the formula\)\n$/],
        ['Foo=3', /^error: reference level given for unknown column 'Foo'\n$/],
      ] as const) {
        const r = await runCli(['fit', data, 'Reaction ~ Days + (1 | Subject)', '--ref', ref]);
        assert.equal(r.code, 1, `${data} --ref ${ref}: ${r.stdout.slice(0, 100)}`);
        assert.match(r.stderr, why);
      }
      // Used through factor(): the reference level comes first, its contrasts against it.
      const json = await fitJson([data, 'Reaction ~ factor(Days) + (1 | Subject)', '--ref', 'Days=3']);
      assert.deepEqual(json.coefficients.slice(0, 3).map((c: { term: string }) => c.term), ['(Intercept)', 'factor(Days)0', 'factor(Days)1']);
    }
    const unused = await runCli(['fit', dataFile('cake'), 'angle ~ recipe + (1 | replicate)', '--ref', 'temperature=175']);
    assert.equal(unused.code, 1);
    assert.match(unused.stderr, /^error: reference level given for 'temperature', which is not a categorical variable of the model: the model does not use it\n$/);
  });

  it('fit file.parquet --explain prints the GROUP BY statements on stderr', async () => {
    const r = await runCli(['fit', sleep, F, '--factor', 'Subject', '--explain', '--format', 'json']);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^SELECT .* GROUP BY .*;$/m);
    assert.match(r.stderr, /read_parquet\('.*sleepstudy\.parquet'\)/);
    assert.equal(JSON.parse(r.stdout).source.queries, r.stderr.trim().split(';\n').length);
  });

  it('fit file.parquet --explain: the sums are one SELECT over the relation, with no CASE inside a sum', async () => {
    // One level, so that ClickHouse aggregates a Distributed table on its shards (frame/momentQuery.ts).
    const r = await runCli(['fit', sleep, F, '--factor', 'Subject', '--explain', '--format', 'json']);
    const sums = r.stderr.trim().split(';\n').filter((q) => / GROUP BY /.test(q));
    assert.ok(sums.length > 0);
    for (const q of sums) {
      assert.equal(q.match(/\bSELECT\b/g)?.length, 1, q);
      assert.match(q, /FROM read_parquet\('[^']*'\) GROUP BY /);
      assert.doesNotMatch(q, /sum\(CASE/);
    }
  });

  it('fit file.csv --pushdown on reads the CSV through DuckDB', async () => {
    const json = await fitJson([dataFile('sleepstudy'), F, '--factor', 'Subject', '--pushdown', 'on']);
    assertSameFit(json, memory, 'csv through duckdb');
    assert.deepEqual([json.source.engine, json.source.pushdown], ['duckdb', 'sums']);
  });

  it('fit file.parquet --query "select ... from data where ..." fits the selected rows', async () => {
    const lines = readFileSync(dataFile('sleepstudy'), 'utf8').trim().split('\n');
    const subset = join(dir, 'subset.csv');
    writeFileSync(subset, [lines[0], ...lines.slice(1).filter((l) => Number(l.split(',')[1]) >= 2)].join('\n') + '\n');
    const json = await fitJson([sleep, F, '--factor', 'Subject', '--query', 'select * from data where Days >= 2']);
    assertSameFit(json, await fitJson([subset, F, '--factor', 'Subject']), 'query');
    assert.equal(json.nobs, 144);
  });

  it('fit with poly() falls back to reading the columns (auto) and stops under --pushdown on', async () => {
    const f = 'Reaction ~ poly(Days, 2) + (1 | Subject)';
    const json = await fitJson([sleep, f, '--factor', 'Subject']);
    assertSameFit(json, await fitJson([dataFile('sleepstudy'), f, '--factor', 'Subject']), 'poly fallback');
    assert.equal(json.source.pushdown, 'none');
    assert.match(json.messages[0], /^pushdown off: 'poly\(Days, 2\)' is not computed in the database/);
    const r = await runCli(['fit', sleep, f, '--factor', 'Subject', '--pushdown', 'on']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /poly\(Days, 2\)/);
  });

  it('fit - reads CSV from standard input', () => {
    const bin = join(import.meta.dirname, '..', '..', 'src', 'cli', 'bin.ts');
    const r = spawnSync(process.execPath, ['--import', 'tsx', bin, 'fit', '-', F, '--factor', 'Subject', '--format', 'json'], { input: readFileSync(dataFile('sleepstudy')), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assertSameFit(JSON.parse(r.stdout), memory, 'stdin');
  });

  it('fit file.arrow reads an Arrow IPC file', async () => {
    const arrow = await import('apache-arrow');
    const t = fixtureTable('sleepstudy');
    const col = (n: string) => (t.columns.get(n) as { values: Float64Array }).values;
    const file = join(dir, 'sleepstudy.arrow');
    writeFileSync(file, arrow.tableToIPC(arrow.tableFromArrays({ Reaction: col('Reaction'), Days: col('Days'), Subject: col('Subject') }), 'file'));
    const json = await fitJson([file, F, '--factor', 'Subject']);
    assertSameFit(json, memory, 'arrow');
    assert.equal(json.source.engine, 'arrow');
  });

  it('fit file.parquet with missing values drops the same rows as in memory', async () => {
    const lines = readFileSync(dataFile('sleepstudy'), 'utf8').trim().split('\n');
    const holes = lines.map((l, i) => (i % 17 === 5 ? l.replace(/^[^,]*/, 'NA') : i % 23 === 7 ? l.replace(/,[^,]*,/, ',,') : l));
    const csv = join(dir, 'holes.csv'), parquet = join(dir, 'holes.parquet');
    writeFileSync(csv, holes.join('\n') + '\n');
    await toParquet(csv, parquet);
    const json = await fitJson([parquet, F, '--factor', 'Subject']);
    const mem = await fitJson([csv, F, '--factor', 'Subject']);
    assertSameFit(json, mem, 'missing values');
    assert.ok(json.nDropped > 0);
    assert.equal(json.nDropped, mem.nDropped);
  });

  it('fit file.parquet (a GLMM collapsed in the engine, missing values) groups in one level and drops the rows memory drops', async () => {
    const lines = readFileSync(dataFile('cbpp'), 'utf8').trim().split('\n');
    // incidence missing in two rows, period missing in one.
    const holes = lines.map((l, i) => (i === 4 || i === 30 ? l.replace(/^("[^"]*"),[^,]*,/, '$1,NA,') : i === 17 ? l.replace(/,"[^"]*"$/, ',NA') : l));
    const csv = join(dir, 'cbpp_holes.csv'), parquet = join(dir, 'cbpp_holes.parquet');
    writeFileSync(csv, holes.join('\n') + '\n');
    await toParquet(csv, parquet);
    const args = ['cbind(incidence, size - incidence) ~ period + (1 | herd)', '--family', 'binomial', '--factor', 'herd,period'];
    const r = await runCli(['fit', parquet, ...args, '--explain', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout), mem = await fitJson([csv, ...args]);
    assert.equal(json.source.pushdown, 'collapsed');
    // Every statement over the whole relation is one SELECT (the probe reads a LIMITed sample).
    const scans = r.stderr.trim().split(';\n').filter((q) => / GROUP BY /.test(q) && !/ LIMIT /.test(q));
    assert.ok(scans.length >= 2, r.stderr);
    for (const q of scans) assert.equal(q.match(/\bSELECT\b/g)?.length, 1, q);
    assertSameFit(json, mem, 'collapsed with missing values');
    assert.equal(json.nDropped, 3);
    assert.equal(mem.nDropped, 3);
  });

  it('fit duckdb:file --table with names and levels that need quoting gives the numbers of --pushdown off', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = join(dir, 'odd.duckdb');
    const instance = await DuckDBInstance.create(db);
    const con = await instance.connect();
    const sql = 'CREATE TABLE "we""ird ta\'ble" AS SELECT Reaction AS "re""ac\'tion", Days AS "Days; DROP TABLE x; --", ' +
      "'subj ''' || Subject || '\" \\ end' AS \"sub ject\" FROM read_csv('" + dataFile('sleepstudy') + "')";
    await con.run(sql);
    con.closeSync();
    instance.closeSync();
    const f = '`re"ac\'tion` ~ `Days; DROP TABLE x; --` + (1 | `sub ject`)';
    const on = await fitJson(['duckdb:' + db, f, '--table', 'we"ird ta\'ble']);
    const off = await fitJson(['duckdb:' + db, f, '--table', 'we"ird ta\'ble', '--pushdown', 'off']);
    assertSameFit(on, off, 'quoted names');
    assert.equal(on.source.pushdown, 'sums');
    assert.deepEqual(on.ngrps, off.ngrps);
    const [group] = Object.keys(on.ngrps);
    assert.equal(on.ngrps[group], 18);
    assert.ok(Object.keys(on.ranef[group]['(Intercept)']).includes('subj \'308" \\ end'));
  });

  it('fit file.csv --pushdown on says an exact fit failed, as in memory (the spread of y from the sums)', async () => {
    // y = 2 + 3x + b_g with no noise: the effects reproduce the response exactly.
    const file = join(dir, 'exact.csv');
    const b = [0.4, -1.1, 0.7, 1.9, -0.3, -0.8];
    const rows = Array.from({ length: 60 }, (_, i) => `${2 + 3 * (i / 7) + b[i % 6]},${i / 7},g${i % 6}`);
    writeFileSync(file, ['y,x,g', ...rows].join('\n') + '\n');
    for (const mode of ['off', 'on']) {
      const json = await fitJson([file, 'y ~ x + (1 | g)', '--pushdown', mode]);
      assert.equal(json.converged, false, mode);
      assert.ok(json.messages.some((m: string) => /reproduce the response exactly/.test(m)), `${mode}: ${json.messages.join(' | ')}`);
    }
  });
});
