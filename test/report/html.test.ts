import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, htmlReport, inlineSvg } from '../../src/report/html.js';
import { forestSpec } from '../../src/plot/forest.js';
import { residualSpec } from '../../src/plot/residuals.js';
import { toSVG } from '../../src/plot/svg.js';
import { rnorm } from '../plot/helpers.js';

const forest = await toSVG(forestSpec({ terms: ['Days'], estimate: [10], lower: [7], upper: [13], level: 0.95 }));
const heat = await toSVG(residualSpec({ fitted: rnorm(10_000, 1), residuals: rnorm(10_000, 2) }));

const report = htmlReport({
  title: 'Model <sleepstudy> & friends',
  sections: [
    { heading: 'Summary', text: 'Reaction ~ Days + (Days | Subject)\n  <not a tag> & "quoted"' },
    { heading: 'Fixed effects table', html: '<table><tr><th>term</th><th>Estimate</th></tr><tr><td>Days</td><td>10.47</td></tr></table>' },
    { heading: 'Forest plot', svg: forest },
    { heading: 'Residuals', svg: heat },
    { heading: 'Residuals again', svg: heat },
  ],
});

test('htmlReport(input) is one HTML document with inline CSS and every section', () => {
  assert.ok(report.startsWith('<!DOCTYPE html>\n<html lang="en">'));
  assert.ok(report.trimEnd().endsWith('</html>'));
  assert.equal((report.match(/<style>/g) ?? []).length, 1);
  assert.equal((report.match(/<section /g) ?? []).length, 5);
  assert.ok(report.includes('<td>Days</td><td>10.47</td>'));
});

test('htmlReport(input) inlines every SVG', () => {
  assert.equal((report.match(/<svg /g) ?? []).length, 3);
  const body = (svg: string) => svg.slice(0, 200);
  assert.ok(report.includes(body(forest)));
  assert.ok(report.includes(body(heat)));
});

test('htmlReport(input) escapes the title, headings and preformatted text', () => {
  assert.ok(report.includes('<title>Model &lt;sleepstudy&gt; &amp; friends</title>'));
  assert.ok(report.includes('<h1>Model &lt;sleepstudy&gt; &amp; friends</h1>'));
  assert.ok(report.includes('<pre>Reaction ~ Days + (Days | Subject)\n  &lt;not a tag&gt; &amp; &quot;quoted&quot;</pre>'));
  assert.ok(!report.includes('<not a tag>'));
});

test('htmlReport(input) links to no external resource and needs no script', () => {
  assert.doesNotMatch(report, /\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
  assert.doesNotMatch(report, /url\(\s*["']?(https?:)?\/\//i);
  assert.doesNotMatch(report, /@import|<script|<link|<img|<iframe/i);
});

test('htmlReport(input) gives each SVG its own ids, so two legends keep their own gradient', () => {
  assert.ok(heat.includes('id="gradient_0"'));
  assert.ok(report.includes('id="s4-gradient_0"') && report.includes('url(#s4-gradient_0)'));
  assert.ok(report.includes('id="s5-gradient_0"') && report.includes('url(#s5-gradient_0)'));
  assert.ok(!report.includes('id="gradient_0"'));
});

test('htmlReport(input) lists the contents from three sections up', () => {
  assert.ok(report.includes('<a href="#section-4">Residuals</a>'));
  const short = htmlReport({ title: 't', sections: [{ heading: 'only', text: 'x' }] });
  assert.ok(!short.includes('<nav'));
});

test('inlineSvg(svg, prefix) drops an XML prolog and rejects what is not an SVG', () => {
  const svg = '<?xml version="1.0"?>\n<svg><defs><clipPath id="c"/></defs><g clip-path="url(#c)"><use href="#c"/></g></svg>';
  assert.equal(inlineSvg(svg, 'p-'), '<svg><defs><clipPath id="p-c"/></defs><g clip-path="url(#p-c)"><use href="#p-c"/></g></svg>');
  assert.throws(() => inlineSvg('<div>no</div>', 'p-'), /does not start with <svg/);
});

test('escapeHtml(text) replaces the five special characters', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('htmlReport(input) wraps the long prose lines of preformatted text (notes), escaped, and leaves table lines as they are', () => {
  const note = `note: ${'a <b> & '.repeat(20)}end`;
  const html = htmlReport({ title: 't', sections: [{ heading: 'Summary', text: `            Estimate Std. Error\n(Intercept)   251.41       6.82\n\n${note}` }] });
  assert.ok(html.includes(`<pre>            Estimate Std. Error\n(Intercept)   251.41       6.82\n\n<span class="note">${escapeHtml(note)}</span></pre>`));
  assert.match(html, /pre \.note \{ white-space: pre-wrap;/);
});

test('htmlReport(input) carries a Content-Security-Policy that forbids scripts and every fetch', () => {
  assert.ok(report.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`));
});
