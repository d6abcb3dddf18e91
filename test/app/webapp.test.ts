/**
 * The web app in a real browser (Debian's Chromium driven by playwright-core):
 * the current app/ source is built into a temporary folder and served by the
 * `mixedmodels app` server code. A person's flows: load a CSV through the file
 * input, build a model through the form and through the formula box, fit, and
 * compare the downloaded JSON with the CLI's; every plot renders; formula
 * errors show as you type; Cancel; the URL carries the state; keyboard only;
 * axe-core finds no accessibility violation; a phone-sized screen works.
 * Every page fails its test on a console error or a request that leaves the
 * page's origin. Screenshots of the main states go to
 * $MIXEDMODELS_SCREENSHOTS (default: a folder under the system's temp dir).
 * Skipped, saying so, when Chromium is absent.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/cli/commands/appServer.js';
import { dataFile, fitJson, runCli } from '../cli/helpers.js';

/** The page's globals as the callbacks given to page.evaluate use them (this file compiles without the DOM library). */
interface PageElement {
  id: string;
  textContent: string | null;
  value?: string;
  matches(selector: string): boolean;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): { length: number };
  activeElement: PageElement | null;
  documentElement: { scrollWidth: number; clientWidth: number };
};
declare const window: { axe: { run(context: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } };

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const root = join(import.meta.dirname, '..', '..');
const SHOTS = process.env.MIXEDMODELS_SCREENSHOTS ?? join(tmpdir(), 'mixedmodels-app-screenshots');
const skip = existsSync(CHROMIUM) ? false : `chromium not installed: ${CHROMIUM} is missing (apt-get install chromium to run these tests)`;

let browser: Browser;
let server: RunningServer;
let origin: string;
const contexts: BrowserContext[] = [];

interface Watched {
  page: Page;
  /** Console errors, page errors and requests that left the origin. */
  problems: string[];
}

async function open(options: { width?: number; height?: number; bypassCSP?: boolean; path?: string } = {}): Promise<Watched> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: options.width ?? 1400, height: options.height ?? 1000 }, bypassCSP: options.bypassCSP ?? false });
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`request to ${u}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${origin}/${options.path ?? ''}`);
  return { page, problems };
}

function clean(w: Watched): void {
  assert.deepEqual(w.problems, [], 'no console errors and no request outside the origin');
}

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

async function fitAndWait(page: Page, formula: string): Promise<number> {
  const t0 = Date.now();
  await page.click('[data-testid=fit]');
  // Mixed models print `Formula: f`, lm and glm R's `Call:` with `formula = f`.
  await page.waitForFunction((f) => /(Formula: |formula = )/.test(document.querySelector('[data-testid=summary]')?.textContent ?? '') && (document.querySelector('[data-testid=summary]')?.textContent ?? '').includes(f), formula, { timeout: 60000 });
  const ms = Date.now() - t0;
  await page.waitForFunction(() => document.querySelectorAll('[role=tabpanel] .figure svg, [role=tabpanel] .note').length >= 6, null, { timeout: 60000 });
  return ms;
}

async function download(page: Page, testid: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testid}]`)]);
  return readFileSync((await dl.path())!, 'utf8');
}

/**
 * Asserts that two results of `fit --format json` are the same: the same keys,
 * strings, booleans and nulls everywhere, and numbers equal to 1e-6 relative
 * (1e-4 for standard errors and the tests built on them; the optimiser's wall
 * time and the CLI's `source` excepted). Chromium's V8 and Node 20's differ in the last bit of Math.exp,
 * log, pow... for about one argument in ten; an iterative GLMM fit carries
 * that to about 1e-10 in the estimates and, through its finite-difference
 * Hessian, to about 1e-6 in the standard errors.
 */
function assertSameJson(got: unknown, want: unknown, path = '$'): void {
  if (typeof want === 'number' && typeof got === 'number') {
    if (path.endsWith('.optimizer.seconds')) return;
    const rel = /\.(stdError|statistic|pValue|df)$/.test(path) ? 1e-4 : 1e-6;
    assert.ok(Math.abs(got - want) <= rel * Math.max(1, Math.abs(want)), `${path}: page ${got}, CLI ${want}`);
  } else if (Array.isArray(want)) {
    assert.ok(Array.isArray(got) && got.length === want.length, `${path}: arrays differ in length`);
    want.forEach((w, i) => assertSameJson((got as unknown[])[i], w, `${path}[${i}]`));
  } else if (want !== null && typeof want === 'object') {
    assert.ok(got !== null && typeof got === 'object', `${path}: not an object`);
    // The CLI's `source` says where the CLI read the data (engine, rows, seconds): the page reads its own.
    const expected: object = path === '$' ? Object.fromEntries(Object.entries(want).filter(([k]) => k !== 'source')) : want;
    assert.deepEqual(Object.keys(got as object), Object.keys(expected), `${path}: keys`);
    for (const k of Object.keys(expected)) assertSameJson((got as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
  } else {
    assert.equal(got, want, path);
  }
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(async () => {
    return (await window.axe.run(document)).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return result;
}

/** Presses Tab until the focused element matches `selector` (CSS) and holds `text`, at most `max` times. */
async function tabTo(page: Page, selector: string, text = '', max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(([s, t]) => (document.activeElement?.matches(s) ?? false) && (document.activeElement?.textContent ?? '').includes(t), [selector, text]);
    if (found) return;
  }
  throw new Error(`Tab never reached ${selector} ${text}`);
}

describe('the web app in Chromium', { skip }, () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const out = mkdtempSync(join(tmpdir(), 'mixedmodels-app-'));
    const built = spawnSync(process.execPath, [join(root, 'scripts/build-app.mjs'), '--out', out], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    server = await startServer(out, 0, '127.0.0.1');
    origin = server.url.replace(/\/$/, '');
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  test('a CSV loaded through the file input and a model built with the form fit to the CLI\'s JSON (gaussian LMM)', async (t) => {
    t.diagnostic(`screenshots of the main states: ${SHOTS}`);
    const w = await open();
    const { page } = w;
    await shot(page, '01-start');
    await page.setInputFiles('input[type=file]', dataFile('sleepstudy'));
    await page.waitForSelector('.preview table');
    await page.selectOption('#response', 'Reaction');
    await page.check('[aria-label="Fixed effects"] label:has-text("Days") input');
    await page.check('[aria-label="Random intercepts: grouping factors"] label:has-text("Subject") input');
    assert.equal(await page.inputValue('[data-testid=formula]'), 'Reaction ~ Days + (1 | Subject)');
    await page.click('summary:has-text("Random slopes")');
    await page.check('fieldset.inline:has(> legend:has-text("Slopes that vary by Subject")) label:has-text("Days") input');
    const formula = 'Reaction ~ Days + (Days | Subject)';
    assert.equal(await page.inputValue('[data-testid=formula]'), formula);
    assert.ok(await page.isDisabled('[data-testid=download-json]'), 'download-json is disabled before a fit');
    await shot(page, '02-form-built');
    const ms = await fitAndWait(page, formula);
    assert.ok(ms < 5000, `result after ${ms} ms`);
    const got = JSON.parse(await download(page, 'download-json'));
    const want = await fitJson([dataFile('sleepstudy'), formula]);
    assertSameJson(got, want);
    const summary = await page.textContent('[data-testid=summary]');
    const cli = await runCli(['fit', dataFile('sleepstudy'), formula]);
    // The page knows the file by its name, the CLI by the path it was given (the `Data:` line).
    const cliText = cli.stdout.replace(/optimizer: .*/, '').replace(`Data: ${dataFile('sleepstudy')}`, 'Data: sleepstudy.csv');
    assert.equal(summary?.replace(/optimizer: .*/, ''), cliText, 'the summary is the CLI\'s text');
    assert.match(await page.textContent('[data-testid=icc]') ?? '', /Intraclass correlation \(ICC\): 0\.72/);
    await shot(page, '03-sleepstudy-results');
    clean(w);
  });

  test('a binomial GLMM typed into the formula box fits to the CLI\'s JSON, and every plot renders', async () => {
    const w = await open();
    const { page } = w;
    await page.setInputFiles('input[type=file]', dataFile('cbpp'));
    await page.waitForSelector('.preview table');
    const formula = 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)';
    await page.fill('[data-testid=formula]', formula);
    await page.selectOption('[data-testid=family]', 'binomial');
    assert.equal(await page.inputValue('#successes'), 'incidence', 'the form reads the counts response');
    assert.equal(await page.inputValue('#trials'), 'size');
    await fitAndWait(page, formula);
    const got = JSON.parse(await download(page, 'download-json'));
    const want = await fitJson([dataFile('cbpp'), formula, '--family', 'binomial']);
    assertSameJson(got, want);
    for (const kind of ['caterpillar', 'forest', 'residuals', 'qq', 'groups', 'effect']) {
      await page.click(`#tab-${kind}`);
      const panel = page.locator(`#panel-${kind}`);
      assert.ok(await panel.isVisible(), `${kind} panel shown`);
      const svg = panel.locator('svg');
      if (await svg.count() === 0) {
        assert.match(await panel.textContent() ?? '', /Not for this model: a groups plot needs a numeric predictor/, `${kind}: no plot, and says why`);
        continue;
      }
      const box = await svg.boundingBox();
      assert.ok(box && box.width > 100 && box.height > 50, `${kind} svg has a size`);
      assert.ok(await svg.locator('path, line, rect, circle, text').count() > 10, `${kind} svg has marks`);
      await shot(page, `04-cbpp-plot-${kind}`, false);
    }
    const lrt = await page.textContent('section[aria-labelledby=cmp-h]');
    assert.match(lrt ?? '', /14\.0/, 'the likelihood-ratio test against the glm (lme4: Chisq 14.005)');
    // The note on lme4's standard errors (300 characters) wraps inside the summary's box.
    const note = page.locator('[data-testid=summary] .wrapped');
    assert.ok(await note.count() >= 1, 'the long note is a wrapping run');
    const [noteBox, summaryBox] = [await note.first().boundingBox(), await page.locator('[data-testid=summary]').boundingBox()];
    assert.ok(noteBox && summaryBox && noteBox.x + noteBox.width <= summaryBox.x + summaryBox.width + 1 && noteBox.height > 30, `the note wraps within the box: ${JSON.stringify({ noteBox, summaryBox })}`);
    await shot(page, '05-cbpp-results');
    clean(w);
  });

  test('each plot downloads as SVG and PNG, the report as one HTML file, with the CLI command and R code', async () => {
    const w = await open({ path: '?example=sleepstudy&formula=Reaction+~+Days+%2B+(Days+%7C+Subject)&factor=Subject' });
    const { page } = w;
    await page.waitForSelector('[data-testid=summary]', { timeout: 60000 });
    await page.waitForFunction(() => document.querySelectorAll('[role=tabpanel] .figure svg').length >= 6, null, { timeout: 60000 });
    await page.click('#tab-groups');
    const [svgDl] = await Promise.all([page.waitForEvent('download'), page.click('#panel-groups button:has-text("Download SVG")')]);
    assert.match(readFileSync((await svgDl.path())!, 'utf8'), /^<svg/);
    const [pngDl] = await Promise.all([page.waitForEvent('download'), page.click('#panel-groups button:has-text("Download PNG")')]);
    assert.deepEqual([...readFileSync((await pngDl.path())!).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    const report = await download(page, 'download-report');
    assert.match(report, /^<!DOCTYPE html>/);
    assert.equal(report.match(/<svg/g)?.length, 6, 'the report holds the six plots');
    assert.doesNotMatch(report, /<script|https?:\/\/(?!www\.w3\.org)/, 'the report is self-contained');
    // Its header names the data, the version and the command that gives the same fit and report, as the CLI's does.
    assert.match(report, /<dt>Data<\/dt><dd>sleepstudy\.csv<\/dd>/);
    assert.match(report, /<dt>mixedmodels<\/dt><dd>version \d+\.\d+\.\d+/);
    assert.match(report, /<dt>Command<\/dt><dd><code>npx mixedmodels fit sleepstudy\.csv &#39;Reaction ~ Days \+ \(Days \| Subject\)&#39; --factor Subject --report sleepstudy-report\.html<\/code><\/dd>/);
    const sh = await download(page, 'download-cli');
    assert.match(sh, /npx mixedmodels fit sleepstudy\.csv 'Reaction ~ Days \+ \(Days \| Subject\)' --factor Subject --format json/);
    const r = await download(page, 'download-r');
    assert.match(r, /lmer\(Reaction ~ Days \+ \(Days \| Subject\), data = d, REML = TRUE\)/);
    clean(w);
  });

  test('a formula error shows its caret under the box as you type, and the form follows the formula', async () => {
    const w = await open();
    const { page } = w;
    await page.setInputFiles('input[type=file]', dataFile('sleepstudy'));
    await page.waitForSelector('.preview table');
    await page.fill('[data-testid=formula]', 'Reaction ~ Days + (Days | Subject');
    await page.waitForFunction(() => (document.querySelector('#formula-error')?.textContent ?? '').includes("unclosed '('"));
    assert.equal(await page.textContent('#formula-error'), "unclosed '('\n  Reaction ~ Days + (Days | Subject\n                    ^");
    assert.equal(await page.getAttribute('[data-testid=formula]', 'aria-invalid'), 'true');
    await shot(page, '06-formula-error', false);
    await page.fill('[data-testid=formula]', 'Reaction ~ Dys + (1 | Subject)');
    await page.waitForFunction(() => (document.querySelector('#formula-error')?.textContent ?? '').includes('unknown column'));
    assert.match(await page.textContent('#formula-error') ?? '', /unknown column 'Dys' \(did you mean 'Days'\?\)\n {2}Reaction ~ Dys \+ \(1 \| Subject\)\n {13}\^\^\^/);
    await page.fill('[data-testid=formula]', 'Reaction ~ Days + (1 | Subject)');
    await page.waitForFunction(() => (document.querySelector('#formula-error')?.textContent ?? 'x') === '');
    assert.ok(await page.isChecked('[aria-label="Fixed effects"] label:has-text("Days") input'));
    assert.ok(await page.isChecked('[aria-label="Random intercepts: grouping factors"] label:has-text("Subject") input'));
    assert.equal(await page.inputValue('#response'), 'Reaction');
    clean(w);
  });

  test('Cancel stops a long fit at once and the page fits again with the same data', async () => {
    const rows = ['y,x,g,h'];
    let seed = 1;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 100000; i++) {
      const g = i % 500, h = (i * 7) % 300, eta = -0.5 + 0.8 * (rnd() - 0.5) + Math.sin(g) + Math.cos(h);
      rows.push(`${rnd() < 1 / (1 + Math.exp(-eta)) ? 1 : 0},${(rnd() - 0.5).toFixed(4)},g${g},h${h}`);
    }
    const file = join(mkdtempSync(join(tmpdir(), 'mixedmodels-slow-')), 'slow.csv');
    writeFileSync(file, rows.join('\n') + '\n');
    const w = await open();
    const { page } = w;
    await page.setInputFiles('input[type=file]', file);
    await page.waitForSelector('.preview table');
    await page.fill('[data-testid=formula]', 'y ~ x + (1 | g) + (1 | h)');
    await page.selectOption('[data-testid=family]', 'binomial');
    await page.click('[data-testid=fit]');
    await page.waitForSelector('progress');
    const t0 = Date.now();
    assert.equal(await page.evaluate(() => 1 + 1), 2, 'the page answers while the worker fits');
    assert.ok(Date.now() - t0 < 500, 'and answers at once');
    await shot(page, '07-fitting', false);
    await page.click('[data-testid=cancel]');
    await page.waitForSelector('text=Cancelled.', { timeout: 2000 });
    assert.equal(await page.locator('[data-testid=summary]').count(), 0);
    await page.fill('[data-testid=formula]', 'y ~ x');
    await fitAndWait(page, 'y ~ x');
    assert.match(await page.textContent('[data-testid=summary]') ?? '', /binomial/);
    clean(w);
  });

  test('the URL carries the example, formula and options, and a shared link restores and fits them', async () => {
    const w = await open();
    const { page } = w;
    await page.click('button.example:has-text("Click-through rate")');
    await page.waitForFunction(() => (document.querySelector('[data-testid=formula]')?.value ?? '').includes('clicks'));
    await page.click('summary:has-text("Estimation options")');
    await page.fill('#nagq', '5');
    await page.dispatchEvent('#nagq', 'change');
    await page.waitForURL(/nagq=5/);
    const url = page.url();
    assert.match(url, /example=ctr1000/);
    assert.match(url, /family=binomial/);
    assert.match(url, /factor=id/);
    const v = await open({ path: url.slice(origin.length + 1) });
    await v.page.waitForSelector('[data-testid=summary]', { timeout: 60000 });
    assert.equal(await v.page.inputValue('[data-testid=formula]'), 'cbind(clicks, expos - clicks) ~ display + (1 | id)');
    assert.equal(await v.page.inputValue('[data-testid=family]'), 'binomial');
    assert.equal(await v.page.inputValue('#nagq'), '5');
    assert.match(await v.page.textContent('[data-testid=summary]') ?? '', /Adaptive\s+Gauss-Hermite\s+Quadrature, nAGQ = 5\)/);
    // The comparison without random effects is a GLM, fitted without the nAGQ that only a GLMM takes; then every plot.
    await v.page.waitForSelector('text=With and without random effects', { timeout: 60000 });
    await v.page.waitForFunction(() => document.querySelectorAll('[role=tabpanel] .figure svg, [role=tabpanel] .note').length >= 6, null, { timeout: 60000 });
    assert.doesNotMatch(await v.page.textContent('body') ?? '', /applies to generalized linear mixed models only|the fit was cancelled/);
    assert.equal(v.page.url(), url, 'the restored page writes the same URL');
    clean(w);
    clean(v);
  });

  test('keyboard only: choose an example, fit with Enter, move between plot tabs with the arrow keys', async () => {
    const w = await open();
    const { page } = w;
    await tabTo(page, 'button.example', 'Archers');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid=formula]')?.value === 'distance ~ bow + (1 | archer)');
    await tabTo(page, '[data-testid=formula]');
    await page.keyboard.press('End');
    await page.keyboard.type(' + shot');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (document.querySelector('[data-testid=summary]')?.textContent ?? '').includes('Formula: distance ~ bow + (1 | archer) + shot'), null, { timeout: 60000 });
    await tabTo(page, '[role=tab][aria-selected=true]', '', 200);
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-forest');
    assert.equal(await page.getAttribute('#tab-forest', 'aria-selected'), 'true');
    assert.ok(await page.isVisible('#panel-forest'));
    await page.keyboard.press('End');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-effect');
    await shot(page, '08-keyboard', false);
    clean(w);
  });

  test('axe-core finds no accessibility violations on the start, data, results and phone views', async () => {
    const w = await open({ bypassCSP: true });
    const { page } = w;
    assert.deepEqual(await axeViolations(page), [], 'start view');
    await page.click('button.example:has-text("Flipped classroom")');
    await page.waitForSelector('.preview table');
    await page.click('summary:has-text("Estimation options")');
    assert.deepEqual(await axeViolations(page), [], 'data and form view');
    await fitAndWait(page, 'score ~ style + (1 | professor)');
    assert.deepEqual(await axeViolations(page), [], 'results view');
    await page.click('#tab-qq');
    assert.deepEqual(await axeViolations(page), [], 'results view, QQ tab');
    const phone = await open({ width: 390, height: 844, bypassCSP: true, path: '?example=sleepstudy&formula=Reaction+~+Days+%2B+(Days+%7C+Subject)&factor=Subject' });
    await phone.page.waitForSelector('[data-testid=summary]', { timeout: 60000 });
    assert.deepEqual(await axeViolations(phone.page), [], 'phone view');
    clean(w);
    clean(phone);
  });

  test('on a phone-sized screen the page has no sideways scrolling and the results fit', async () => {
    const w = await open({ width: 390, height: 844, path: '?example=flipped&formula=score+~+style+%2B+(1+%7C+professor)&factor=professor' });
    const { page } = w;
    await page.waitForSelector('[data-testid=summary]', { timeout: 60000 });
    await page.waitForFunction(() => document.querySelectorAll('[role=tabpanel] .figure svg').length >= 5, null, { timeout: 60000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await shot(page, '09-phone');
    await shot(page, '10-phone-top', false);
    clean(w);
  });

  test('confidence intervals and predictions for edited rows agree with the CLI', async () => {
    const w = await open({ path: '?example=sleepstudy&formula=Reaction+~+Days+%2B+(Days+%7C+Subject)&factor=Subject' });
    const { page } = w;
    await page.waitForSelector('[data-testid=summary]', { timeout: 60000 });
    await page.selectOption('#ci-method', 'profile');
    await page.click('button:has-text("Compute intervals")');
    await page.waitForSelector('[data-testid=confint] tbody tr');
    const ci = await page.$$eval('[data-testid=confint] tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
    const cli = JSON.parse((await runCli(['confint', dataFile('sleepstudy'), 'Reaction ~ Days + (Days | Subject)', '--factor', 'Subject', '--format', 'json'])).stdout);
    assert.deepEqual(ci.map((r) => r[0]), cli.map((r: any) => r.parameter));
    ci.forEach((r, i) => assert.ok(Math.abs(Number(r[1]) - cli[i].lower) <= 1e-4 * Math.max(1, Math.abs(cli[i].lower)), `${r[0]} lower ${r[1]} vs ${cli[i].lower}`));
    await page.fill('[aria-label="row 1, Days"]', '12');
    await page.fill('[aria-label="row 2, Subject"]', 'someone new');
    await page.click('[data-testid=predict]');
    await page.waitForSelector('th:has-text("prediction")');
    const cells = await page.$$eval('[data-testid=predict-table] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((c) => c.textContent ?? '')));
    const newdata = join(mkdtempSync(join(tmpdir(), 'mixedmodels-new-')), 'new.csv');
    writeFileSync(newdata, 'Days,Subject\n12,308\n1,someone new\n2,308\n');
    const want = JSON.parse((await runCli(['predict', dataFile('sleepstudy'), 'Reaction ~ Days + (Days | Subject)', '--factor', 'Subject', '--newdata', newdata, '--allow-new-levels', '--interval', 'confidence', '--format', 'json'])).stdout);
    want.predictions.forEach((p: any, i: number) => {
      const fit = Number(cells[i][2]);
      assert.ok(Math.abs(fit - p.fit) <= 1e-4 * Math.abs(p.fit), `row ${i + 1}: ${fit} vs CLI ${p.fit}`);
    });
    await shot(page, '11-confint-predict');
    clean(w);
  });

  test('an lm\'s intervals (R\'s confint.lm) and predictions (predict.lm) agree with the CLI', async () => {
    const w = await open({ path: '?example=sleepstudy&formula=Reaction+~+Days' });
    const { page } = w;
    await page.waitForSelector('[data-testid=summary]', { timeout: 60000 });
    assert.equal(await page.inputValue('#ci-method'), 'default', 'an lm starts from its t intervals');
    await page.click('button:has-text("Compute intervals")');
    await page.waitForSelector('[data-testid=confint] tbody tr');
    const ci = await page.$$eval('[data-testid=confint] tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
    const cli = JSON.parse((await runCli(['confint', dataFile('sleepstudy'), 'Reaction ~ Days', '--format', 'json'])).stdout);
    assert.deepEqual(ci.map((r) => r[0]), ['(Intercept)', 'Days']);
    ci.forEach((r, i) => assert.ok(Math.abs(Number(r[2]) - cli[i].upper) <= 1e-4 * Math.abs(cli[i].upper), `${r[0]} upper ${r[2]} vs ${cli[i].upper}`));
    assert.equal(await page.locator('text=average group only').count(), 0, 'no random effects, no population switch');
    await page.fill('[aria-label="row 1, Days"]', '12');
    await page.selectOption('#pred-interval', 'prediction');
    await page.click('[data-testid=predict]');
    await page.waitForSelector('th:has-text("prediction")');
    const cells = await page.$$eval('[data-testid=predict-table] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((c) => c.textContent ?? '')));
    const newdata = join(mkdtempSync(join(tmpdir(), 'mixedmodels-new-')), 'new.csv');
    const days = await page.$$eval('[data-testid=predict-table] tbody tr', (trs) => trs.map((tr) => tr.querySelector('input')!.value));
    assert.equal(days[0], '12');
    writeFileSync(newdata, `Days\n${days.join('\n')}\n`);
    const want = JSON.parse((await runCli(['predict', dataFile('sleepstudy'), 'Reaction ~ Days', '--newdata', newdata, '--interval', 'prediction', '--format', 'json'])).stdout);
    want.predictions.forEach((p: any, i: number) => {
      const [fit, lower] = [Number(cells[i][1]), Number(cells[i][2])];
      assert.ok(Math.abs(fit - p.fit) <= 1e-4 * Math.abs(p.fit) && Math.abs(lower - p.lower) <= 1e-4 * Math.abs(p.lower), `row ${i + 1}: ${fit}, ${lower} vs CLI ${p.fit}, ${p.lower}`);
    });
    await shot(page, '12-lm-confint-predict');
    clean(w);
  });
});
