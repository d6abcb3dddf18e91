/**
 * The data are only read: PostgreSQL's session is read-only, so a --query whose
 * evaluation would write (a function with side effects, a sequence's nextval)
 * fails with the server's message and changes nothing, while the GLMM's own
 * temporary table (the modes joined on the group key) is still written.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../cli/helpers.js';
import { fixtureTable, loadPostgres, NO_POSTGRES, POSTGRES_URL } from './servers.js';

async function sql<T = unknown>(text: string): Promise<T[]> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('PostgreSQL sources are read-only', { skip: NO_POSTGRES }, () => {
  it('a --query that would write fails, and nothing in the database changes', async () => {
    await loadPostgres(POSTGRES_URL!, 'ro_sleepstudy', fixtureTable('sleepstudy'));
    await sql('DROP TABLE IF EXISTS ro_victim');
    await sql('CREATE TABLE ro_victim (n integer)');
    await sql('CREATE OR REPLACE FUNCTION ro_touch() RETURNS integer LANGUAGE sql VOLATILE AS $$ INSERT INTO ro_victim VALUES (1) RETURNING 1 $$');
    await sql('DROP SEQUENCE IF EXISTS ro_seq');
    await sql('CREATE SEQUENCE ro_seq');
    const F = 'Reaction ~ Days + (1 | Subject)';
    for (const query of [
      'select s.* from ro_sleepstudy s, (select ro_touch()) f',
      "select *, nextval('ro_seq') as n from ro_sleepstudy",
    ]) {
      for (const pushdown of ['auto', 'off']) {
        const r = await runCli(['fit', POSTGRES_URL!, F, '--query', query, '--pushdown', pushdown]);
        assert.equal(r.code, 1, `${query} (--pushdown ${pushdown}) ran: ${r.stdout.slice(0, 200)}`);
        assert.match(r.stderr, /read-only transaction/);
      }
    }
    assert.deepEqual(await sql('SELECT count(*)::int AS n FROM ro_victim'), [{ n: 0 }]);
    assert.deepEqual(await sql('SELECT is_called FROM ro_seq'), [{ is_called: false }]);
    // A plain query still fits.
    const ok = await runCli(['fit', POSTGRES_URL!, F, '--query', 'select * from ro_sleepstudy where "Days" >= 0', '--format', 'json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).nobs, 180);
  });
});
