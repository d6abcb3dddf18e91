import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lmer, parseCsv } from '../../src/index.js';
import { modelReport, REPORT_PLOT_WIDTH } from '../../src/report/modelReport.js';
import { dataFile } from '../cli/helpers.js';

const m = lmer('Reaction ~ Days + (Days | Subject)', parseCsv(readFileSync(dataFile('sleepstudy'))));

test('modelReport(m, {}, provenance) names the data file, date, version and command in its header, escaped', async () => {
  const html = await modelReport(m, {}, { data: 'data/<sleep>.csv', command: "mixedmodels fit 'a b' --x", version: '9.9.9', date: new Date('2026-01-02T03:04:05.678Z') });
  const header = html.slice(html.indexOf('<h1>'), html.indexOf('<nav'));
  assert.match(header, /<dt>Data<\/dt><dd>data\/&lt;sleep&gt;\.csv<\/dd>/);
  assert.match(header, /<dt>Date<\/dt><dd>2026-01-02 03:04:05 UTC<\/dd>/);
  assert.match(header, /<dt>mixedmodels<\/dt><dd>version 9\.9\.9<\/dd>/);
  assert.match(header, /<dt>Command<\/dt><dd><code>mixedmodels fit &#39;a b&#39; --x<\/code><\/dd>/);
  assert.match(html, /Data: data\/&lt;sleep&gt;\.csv/);
});

test("modelReport(m) draws single plots at the page's width", async () => {
  const html = await modelReport(m);
  const widths = [...html.matchAll(/<svg[^>]*width="(\d+)"/g)].map((w) => Number(w[1]));
  assert.ok(widths.length >= 5);
  // Single plots: the plotting area plus axes and legend, within the 1100 px column.
  assert.ok(widths.every((w) => w >= REPORT_PLOT_WIDTH && w <= 1050), String(widths));
});

test('modelReport(m) ends with the plots that do not apply and why, rather than leaving them out without a word', async () => {
  const cake = parseCsv(readFileSync(dataFile('cake')));
  const html = await modelReport(lmer('angle ~ recipe * temp + (1 | recipe:replicate)', cake, { factors: ['recipe', 'replicate'] }));
  assert.match(html, /<h2>Plots not drawn<\/h2>\n<pre>(<span class="note">)?Observations and fitted lines per group: a groups plot needs the grouping factor as a data column, and &#39;recipe:replicate&#39; is an expression(<\/span>)?<\/pre>/);
  const sleep = await modelReport(lmer('Reaction ~ Days + (Days | Subject)', parseCsv(readFileSync(dataFile('sleepstudy'))), { factors: ['Subject'] }));
  assert.ok(!sleep.includes('Plots not drawn'), 'every plot applies');
});
