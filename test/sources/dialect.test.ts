/**
 * Quoting and literals: what the pushdown writes into SQL round-trips exactly
 * (identifiers and strings with quotes, backslashes and SQL of their own;
 * doubles to the last bit) on DuckDB always, and on PostgreSQL and ClickHouse
 * when their servers run; and each dialect's quantile aggregates give R's
 * type-7 quantiles.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connect } from '../../src/sources/connect.js';
import { clickhouseDialect } from '../../src/sources/dialects/clickhouse.js';
import { duckdbDialect } from '../../src/sources/dialects/duckdb.js';
import { postgresDialect } from '../../src/sources/dialects/postgres.js';
import type { Source } from '../../src/sources/source.js';
import { CLICKHOUSE_URL, NO_CLICKHOUSE, NO_POSTGRES, POSTGRES_URL } from './servers.js';

const NASTY = ['plain', 'it\'s', 'a"b', 'back\\slash', "x'); DROP TABLE t; --", 'tab\there', 'back`tick', 'ünïcödé', "\\'"];
const DOUBLES = [0.1 + 0.2, 1e-300, -5e-324, 1.7976931348623157e308, 123456789.12345679, -0.5, 2 / 3];

async function roundTrip(source: Source): Promise<void> {
  const d = source.dialect;
  for (const s of NASTY) {
    const res = await source.query(`SELECT ${d.string(s)} AS ${d.ident(s)}`);
    assert.equal(res.names[0], s, `identifier ${JSON.stringify(s)}`);
    assert.equal(res.columns[0][0], s, `string ${JSON.stringify(s)}`);
  }
  for (const x of DOUBLES) {
    const res = await source.query(`SELECT ${d.number(x)} AS v`);
    assert.equal((res.columns[0] as Float64Array)[0], x, `double ${x}`);
  }
}

/** R's quantile(x, probs, type = 7). */
function type7(x: readonly number[], probs: readonly number[]): number[] {
  const s = [...x].sort((a, b) => a - b);
  return probs.map((p) => {
    const h = (s.length - 1) * p, lo = Math.floor(h);
    return s[lo] + (h - lo) * (s[Math.ceil(h)] - s[lo]);
  });
}

/** quantiles(expr, probs, n) through the engine on 37 values (duplicates and a tie at a needed rank), against type7. */
async function quantilesMatch(source: Source): Promise<void> {
  const d = source.dialect;
  const values = Array.from({ length: 37 }, (_, i) => ((i * 17) % 37) / 8 - 2 + (i % 5 === 0 ? 0 : 1 / 3));
  const probs = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
  const rows = values.map((v) => `SELECT ${d.number(v)} AS v`).join(' UNION ALL ');
  const q = d.quantiles(d.ident('v'), probs, values.length);
  const res = await source.query(`SELECT ${q.sql.map((e, i) => `${e} AS q${i}`).join(', ')} FROM (${rows}) AS t`);
  const got = q.combine(res.columns.map((c) => Number((c as ArrayLike<number>)[0])));
  const want = type7(values, probs);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= 1e-12 * Math.max(1, Math.abs(want[i])), `p = ${probs[i]}: ${g} vs ${want[i]}`));
}

describe('dialects', () => {
  it('ident and string reject NUL bytes, number rejects non-finite numbers', () => {
    for (const d of [duckdbDialect, postgresDialect, clickhouseDialect]) {
      assert.throws(() => d.ident('a\u0000b'), /NUL/);
      assert.throws(() => d.string('a\u0000b'), /NUL/);
      assert.throws(() => d.number(Infinity), /non-finite/);
      assert.throws(() => d.number(NaN), /non-finite/);
    }
  });

  it('duckdbDialect round-trips identifiers, strings and doubles through DuckDB', async () => {
    const source = await connect('duckdb:', { query: 'SELECT 1' });
    try {
      await roundTrip(source);
      await quantilesMatch(source);
    } finally {
      await source.close();
    }
  });

  it('postgresDialect round-trips identifiers, strings and doubles through PostgreSQL', { skip: NO_POSTGRES }, async () => {
    const source = await connect(POSTGRES_URL!, { query: 'SELECT 1' });
    try {
      await roundTrip(source);
      await quantilesMatch(source);
    } finally {
      await source.close();
    }
  });

  it('clickhouseDialect round-trips identifiers, strings and doubles through ClickHouse', { skip: NO_CLICKHOUSE }, async () => {
    const source = await connect(CLICKHOUSE_URL!, { query: 'SELECT 1' });
    try {
      await roundTrip(source);
      await quantilesMatch(source);
    } finally {
      await source.close();
    }
  });
});
