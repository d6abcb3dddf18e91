/**
 * A password in a data URL is never shown: not on the Data: line of a fit's
 * summary or a comparison, not in an HTML report (its Data: line and its command
 * line), not in an error that quotes the data argument (a URL read as a file,
 * a scheme nothing reads, a file-only option).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hideUrlPassword, hideUrlPasswords } from '../../src/sources/redact.js';
import { runCli } from '../cli/helpers.js';
import { fixtureTable, loadPostgres, NO_POSTGRES, POSTGRES_URL } from './servers.js';

const F = 'Reaction ~ Days + (1 | Subject)';

describe('passwords in data URLs', () => {
  it('hideUrlPasswords drops the password of every URL and leaves everything else as it was', () => {
    assert.equal(hideUrlPasswords('postgresql://mm:s3cret@127.0.0.1:5432/db'), 'postgresql://mm@127.0.0.1:5432/db');
    assert.equal(
      hideUrlPasswords("cannot read 's3://AKIA:hunter2@bucket/x.parquet' or clickhouse://u:p%40ss@h:8123/d, 2.5:3@x"),
      "cannot read 's3://AKIA@bucket/x.parquet' or clickhouse://u@h:8123/d, 2.5:3@x",
    );
    for (const plain of ['postgresql://mm@host/db', 'http://host:8123/x', 'a:b@c and 1:2 of 12.5', 'Data: sleepstudy.csv']) assert.equal(hideUrlPasswords(plain), plain);
  });

  it('hideUrlPassword drops a URL argument\'s whole password, quotes, spaces and @ included, as Node\'s URL parser reads it', () => {
    for (const [arg, shown] of [
      ["postgresql://u:pa'ss@host/db", 'postgresql://u@host/db'],
      ['postgresql://u:p@ss@host:5432/db?sslmode=require', 'postgresql://u@host:5432/db?sslmode=require'],
      ['postgresql://u:pa ss"`x@host/db', 'postgresql://u@host/db'],
      ['clickhouse://u@host:8123/d', 'clickhouse://u@host:8123/d'],
      ['postgresql://host/db?user=a:b@c', 'postgresql://host/db?user=a:b@c'],
      ['data/sleep study.csv', 'data/sleep study.csv'],
    ]) {
      assert.equal(hideUrlPassword(arg), shown, arg);
      if (shown !== arg) assert.ok(new URL(arg.replace(/ /g, '%20')).password.length > 0, 'Node reads a password there');
    }
    // In free text the password runs to the last @ before a space: a quoted URL in an error loses it whole.
    assert.equal(hideUrlPasswords("cannot connect to 'postgresql://u:p@ss'x@host/db'"), "cannot connect to 'postgresql://u@host/db'");
  });

  it('errors that quote a URL with a password leave the password out', async () => {
    for (const args of [
      ['fit', 'mysql://root:hunter2secret@localhost/x', F],
      ['fit', 'postgresql://mm:hunter2secret@127.0.0.1:1/mm', F, '--penalty', 'ridge'],
      ['fit', 's3://AKIA:hunter2secret@bucket/x.parquet', F, '--table', 't'],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 1, r.stderr);
      assert.ok(r.stderr.startsWith('error: '), r.stderr);
      assert.ok(!r.stderr.includes('hunter2secret'), `the password is printed: ${r.stderr}`);
    }
  });

  it('fit postgresql://user:password@... names the data without the password in its summary, a comparison and a report', { skip: NO_POSTGRES }, async () => {
    await loadPostgres(POSTGRES_URL!, 'redact_sleepstudy', fixtureTable('sleepstudy'));
    const password = decodeURIComponent(new URL(POSTGRES_URL!).password);
    assert.ok(password.length > 0, 'the test URL has a password');
    const shown = POSTGRES_URL!.replace(/:[^:@/]*@/, '@');
    const fit = await runCli(['fit', POSTGRES_URL!, F, '--table', 'redact_sleepstudy']);
    assert.equal(fit.code, 0, fit.stderr);
    assert.ok(fit.stdout.includes(`Data: ${shown}`), fit.stdout);
    const dir = mkdtempSync(join(tmpdir(), 'mm-redact-'));
    try {
      const report = join(dir, 'r.html');
      const r = await runCli(['fit', POSTGRES_URL!, F, '--table', 'redact_sleepstudy', '--pushdown', 'off', '--report', report]);
      assert.equal(r.code, 0, r.stderr);
      const html = readFileSync(report, 'utf8');
      assert.ok(html.includes(shown), 'the report names the data');
      for (const out of [fit.stdout, fit.stderr, r.stdout, r.stderr, html]) assert.ok(!out.includes(password), 'the password is shown');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const c = await runCli(['compare', POSTGRES_URL!, F, 'Reaction ~ Days + (Days | Subject)', '--table', 'redact_sleepstudy']);
    assert.equal(c.code, 0, c.stderr);
    assert.ok(c.stdout.includes(`Data: ${shown}`) && !c.stdout.includes(password), c.stdout);
  });
});
