/**
 * The core runs in a browser unchanged: src/index.ts bundled for the browser
 * (esbuild, platform 'browser': a Node built-in anywhere in the core would fail
 * the bundle) fits sleepstudy's lmer and a GLMM in headless Chromium, with the
 * same log-likelihoods as lme4. Skipped, saying so, when Chromium is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const root = join(import.meta.dirname, '..', '..');

test('the core bundles for the browser without Node built-ins', async () => {
  const out = await build({ entryPoints: [join(root, 'src/index.ts')], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
  assert.equal(out.errors.length, 0);
  assert.ok(out.outputFiles[0].text.length > 10000);
});

test('lmer and glmer run in chromium and agree with lme4', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`chromium not installed: ${CHROMIUM} is missing (apt-get install chromium to run this test)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mixedmodels-core-'));
  const sleep = readFileSync(join(root, 'test/fixtures/data/sleepstudy.csv'), 'utf8');
  const cbpp = readFileSync(join(root, 'test/fixtures/data/cbpp.csv'), 'utf8');
  // One inline classic script (file:// pages cannot import ES modules from files).
  const entry = `import { parseCsv, lmer, glmer } from ${JSON.stringify(join(root, 'src/index.ts'))};
try {
  const m = lmer('Reaction ~ Days + (Days | Subject)', parseCsv(${JSON.stringify(sleep)}), { factors: ['Subject'] });
  const g = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', parseCsv(${JSON.stringify(cbpp)}), { factors: ['herd', 'period'], family: 'binomial' });
  document.title = JSON.stringify({ lmm: m.fit.logLik, glmm: g.fit.logLik });
} catch (e) { document.title = 'error: ' + e.message; }`;
  const out = await build({ stdin: { contents: entry, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'browser', format: 'iife', write: false, logLevel: 'silent' });
  writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><script>${out.outputFiles[0].text.replaceAll('</script', '<\\/script')}</script>`);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    await page.waitForFunction('document.title !== ""', null, { timeout: 30000 });
    const title = await page.title();
    assert.doesNotMatch(title, /^error/);
    const r = JSON.parse(title);
    const ref = (name: string) => JSON.parse(readFileSync(join(root, 'test/fixtures/refs', `${name}.json`), 'utf8')).logLik;
    assert.ok(Math.abs(r.lmm - ref('sleepstudy_slopes_reml')) < 1e-6, `lmm logLik ${r.lmm}`);
    assert.ok(Math.abs(r.glmm - ref('cbpp_laplace')) < 2e-3, `glmm logLik ${r.glmm}`);
  } finally {
    await browser.close();
  }
});
