// mixedmodels app: the static server of the web app (src/cli/commands/appServer.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appDirectory, resolveFile, startServer } from '../../src/cli/commands/appServer.js';
import { runCli } from './helpers.js';

const root = join(import.meta.dirname, '..', '..');

function site(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mm-site-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'assets', 'index-AbCdEf12.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'worker-AbCdEf12.js'), 'postMessage(1)');
  writeFileSync(join(dir, 'data.csv'), 'a,b\n1,2\n');
  return dir;
}

function fetchRaw(url: string, method = 'GET', host?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(url, { method, ...(host === undefined ? {} : { headers: { Host: host } }) }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

test('resolveFile() maps URL paths to files inside the folder only', () => {
  const dir = site();
  assert.equal(resolveFile(dir, '/'), join(dir, 'index.html'));
  assert.equal(resolveFile(dir, '/?example=cbpp&formula=y+~+x'), join(dir, 'index.html'));
  assert.equal(resolveFile(dir, '/assets/index-AbCdEf12.js'), join(dir, 'assets', 'index-AbCdEf12.js'));
  assert.equal(resolveFile(dir, '/d%61ta.csv'), join(dir, 'data.csv'));
  for (const bad of ['/../package.json', '/..%2f..%2fetc%2fpasswd', '/assets/../../x', '/%00', '/%E0%A4%A', '/assets', '/nope.js']) assert.equal(resolveFile(dir, bad), null, bad);
});

test('startServer() serves GET and HEAD with a same-origin CSP, eval only for worker scripts, and nothing else', async () => {
  const dir = site();
  const s = await startServer(dir, 0, '127.0.0.1');
  try {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetchRaw(s.url);
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'.*connect-src 'self'/);
    assert.doesNotMatch(String(page.headers['content-security-policy']), / 'unsafe-eval'/);
    const worker = await fetchRaw(`${s.url}assets/worker-AbCdEf12.js`);
    assert.match(String(worker.headers['content-security-policy']), /script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'/);
    assert.equal(worker.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.doesNotMatch(String((await fetchRaw(`${s.url}assets/index-AbCdEf12.js`)).headers['content-security-policy']), / 'unsafe-eval'/);
    const head = await fetchRaw(s.url, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal((await fetchRaw(s.url, 'POST')).status, 405);
    assert.equal((await fetchRaw(`${s.url}nope`)).status, 404);
    assert.equal((await fetchRaw(`${s.url}..%2fpackage.json`)).status, 404);
  } finally {
    await s.close();
  }
});

test('mixedmodels app --port rejects a port that is not a whole number from 0 to 65535', async () => {
  for (const bad of ['abc', '-1', '70000', '1.5']) {
    const r = await runCli(['app', '--port', bad]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: --port must be a whole number from 0 to 65535/);
  }
});

test('mixedmodels app says so when the port is taken', async (t) => {
  if (!existsSync(join(root, 'dist', 'app', 'index.html'))) {
    t.skip('dist/app is not built: run npm run build');
    return;
  }
  const s = await startServer(site(), 0, '127.0.0.1');
  try {
    const r = await runCli(['app', '--port', new URL(s.url).port]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: cannot serve on 127\.0\.0\.1:\d+: port \d+ is in use \(try --port 0 for a free one\)/);
  } finally {
    await s.close();
  }
});

test('mixedmodels app --port 0 prints the page\'s URL on the first line and stops on SIGTERM', async (t) => {
  if (!existsSync(join(root, 'dist', 'app', 'index.html'))) {
    t.skip('dist/app is not built: run npm run build');
    return;
  }
  assert.equal(appDirectory(), join(root, 'dist', 'app'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/bin.ts'), 'app', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) ok(out.split('\n')[0]);
    });
    child.on('exit', (code) => fail(new Error(`exited with ${code}`)));
  });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const page = await fetchRaw(url);
  assert.equal(page.status, 200);
  assert.match(page.body, /<title>mixedmodels/);
  const code = await new Promise<number | null>((ok) => {
    child.on('exit', (c) => ok(c));
    child.kill('SIGTERM');
  });
  assert.equal(code, 0);
});

test('startServer() on loopback answers only requests for a loopback name (no DNS rebinding)', async () => {
  const s = await startServer(site(), 0, '127.0.0.1');
  try {
    const port = new URL(s.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) assert.equal((await fetchRaw(s.url, 'GET', host)).status, 200, host);
    for (const host of [`attacker.example:${port}`, 'attacker.example', `127.0.0.1.attacker.example:${port}`]) {
      const r = await fetchRaw(s.url, 'GET', host);
      assert.equal(r.status, 421, host);
      assert.doesNotMatch(r.body, /<html/i);
    }
  } finally {
    await s.close();
  }
});
