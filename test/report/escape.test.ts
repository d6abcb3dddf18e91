import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markdownText, visibleControls } from '../../src/report/escape.js';
import { escapeHtml } from '../../src/report/html.js';

test('visibleControls(text) shows control characters as their pictures, keeping tabs (and line breaks when asked)', () => {
  assert.equal(visibleControls('a\u0000b\u0001c\nd\te\u007f'), 'a\u2400b\u2401c\u240ad\te\u2421');
  assert.equal(visibleControls('a\nb\r\u0002', true), 'a\nb\r\u2402');
});

test('markdownText(text, cell) escapes HTML, markdown punctuation and (in cells) pipes', () => {
  assert.equal(markdownText('<img src=x> & *b* _i_ `c` [l](u) ~~s~~ #h \\ a|b'), '&lt;img src=x&gt; &amp; \\*b\\* \\_i\\_ \\`c\\` \\[l\\](u) \\~\\~s\\~\\~ \\#h \\\\ a|b');
  assert.equal(markdownText('a|b\nc', true), 'a&#124;b\u240ac');
});

test('escapeHtml(text) escapes markup and makes control characters visible, keeping line breaks', () => {
  assert.equal(escapeHtml('<b a="1">\'&\u0000\n'), '&lt;b a=&quot;1&quot;&gt;&#39;&amp;\u2400\n');
});
