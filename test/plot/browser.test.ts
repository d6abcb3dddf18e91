/**
 * Opens a full report in a real browser (Debian's chromium through
 * playwright-core) and checks that every figure rendered, that the page made
 * no network request and logged no error, and saves a screenshot.
 * Skipped, saying so, when /usr/bin/chromium is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { caterpillarSpec } from '../../src/plot/caterpillar.js';
import { effectSpec } from '../../src/plot/effect.js';
import { forestSpec } from '../../src/plot/forest.js';
import { groupLinesSpec } from '../../src/plot/groupLines.js';
import { qqSpec } from '../../src/plot/qq.js';
import { residualSpec } from '../../src/plot/residuals.js';
import { toSVG } from '../../src/plot/svg.js';
import { htmlReport } from '../../src/report/html.js';
import type { ReportSection } from '../../src/report/html.js';
import { rnorm } from './helpers.js';
import { dataFile, runCli } from '../cli/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

async function reportFile(dir: string): Promise<{ path: string; figures: number }> {
  const levels = Array.from({ length: 200 }, (_, i) => `S${i + 1}`);
  const modes = rnorm(200, 11);
  const x = Float64Array.from({ length: 60 }, (_, i) => i % 20);
  const group = Array.from({ length: 60 }, (_, i) => ['a', 'b', 'c'][Math.floor(i / 20)]);
  const specs = {
    'Conditional modes': caterpillarSpec({ group: 'Subject', term: '(Intercept)', levels, values: modes, condSd: modes.map(() => 0.4) }),
    'Fixed effects': forestSpec({ terms: ['(Intercept)', 'Days', 'age'], estimate: [251, 10.5, -2], lower: [238, 7.4, -5], upper: [265, 13.5, 1], level: 0.95 }),
    'Residuals vs fitted': residualSpec({ fitted: rnorm(20_000, 12), residuals: rnorm(20_000, 13) }),
    'QQ plots': qqSpec([{ values: rnorm(20_000, 14), label: 'Residuals' }, { values: modes, label: 'Subject: (Intercept)' }]),
    'Within and pooled': groupLinesSpec({
      x, y: Array.from(x, (v, i) => v - 15 * Math.floor(i / 20)), group, xName: 'x', yName: 'y',
      pooled: { intercept: 10, slope: -0.5 },
      groups: ['a', 'b', 'c'].map((level, k) => ({ level, intercept: -15 * k, slope: 1 })),
    }),
    'Effect of Days': effectSpec({
      term: 'Days', x: [0, 3, 6, 9], xName: 'Days', yName: 'Reaction', level: 0.95,
      fit: [251, 282, 314, 345], lower: [240, 275, 302, 325], upper: [262, 289, 326, 365],
    }),
  };
  const sections: ReportSection[] = [{ heading: 'Summary', text: 'Linear mixed model fit by REML\nFormula: Reaction ~ Days + (Days | Subject)' }];
  for (const [heading, spec] of Object.entries(specs)) sections.push({ heading, svg: await toSVG(spec) });
  const path = join(dir, 'report.html');
  writeFileSync(path, htmlReport({ title: 'Browser check', sections }));
  return { path, figures: Object.keys(specs).length };
}

/** Opens a report in chromium and checks every figure rendered, offline and without errors; returns the screenshot path. */
async function checkInBrowser(path: string, figures: number): Promise<string> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => void problems.push(e.message));
    page.on('request', (r) => void requests.push(r.url()));
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    const boxes = await page.$$eval('figure > svg', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return { width: box.width, height: box.height, marks: svg.querySelectorAll('.role-mark > *').length };
      }),
    );
    assert.equal(boxes.length, figures);
    for (const box of boxes) {
      assert.ok(box.width > 100 && box.height > 100, JSON.stringify(box));
      assert.ok(box.marks > 0, JSON.stringify(box));
    }
    assert.deepEqual(problems, []);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), []);
    const screenshot = path.replace(/\.html$/, '.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    return screenshot;
  } finally {
    await browser.close();
  }
}

test('htmlReport(plots) renders every figure in chromium, offline and without errors', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`chromium not installed: ${CHROMIUM} is missing (apt-get install chromium to run this test)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mixedmodels-browser-'));
  const { path, figures } = await reportFile(dir);
  t.diagnostic(`screenshot: ${await checkInBrowser(path, figures)}`);
});

test('mixedmodels fit --report writes a report whose every plot renders in chromium', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`chromium not installed: ${CHROMIUM} is missing (apt-get install chromium to run this test)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mixedmodels-browser-'));
  const path = join(dir, 'sleepstudy.html');
  const r = await runCli(['fit', dataFile('sleepstudy'), 'Reaction ~ Days + (Days | Subject)', '--factor', 'Subject', '--report', path]);
  assert.equal(r.code, 0, r.stderr);
  t.diagnostic(`screenshot: ${await checkInBrowser(path, 6)}`);
});
