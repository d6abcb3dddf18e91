/**
 * A self-contained HTML report: one file with inline CSS and inline SVG
 * figures, no scripts and no external resources, so it opens offline, can be
 * mailed, and prints.
 *
 * Contract per section: `heading` and `text` are plain text and are escaped
 * (`text` is preformatted, e.g. a model summary); `html` and `svg` are trusted
 * markup from this library (tables, `toSVG` output) and are inserted as is,
 * except that each SVG's ids are prefixed with its section number, so clip
 * paths and gradients of different figures cannot collide in one document.
 */
import { MixedModelsError } from '../errors.js';
import { visibleControls } from './escape.js';

export interface ReportSection {
  heading: string;
  html?: string;
  text?: string;
  svg?: string;
}

export interface ReportInput {
  title: string;
  /** Lines under the title, such as the data file, date, version and command (plain text, escaped). */
  meta?: readonly { label: string; value: string }[];
  sections: readonly ReportSection[];
}

const CSS = `
:root { color-scheme: light; }
body { margin: 0; background: #fafafa; color: #1d1d1f;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 1.5rem; }
h2 { font-size: 1.3rem; margin: 0 0 0.8rem; padding-bottom: 0.3rem; border-bottom: 1px solid #e2e2e2; }
section { background: #fff; border: 1px solid #e6e6e6; border-radius: 6px; padding: 1.2rem 1.4rem; margin: 0 0 1.5rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: -0.8rem 0 1.5rem; color: #444; font-size: 0.9rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
dl.meta code { font: 0.85rem ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
nav ol { margin: 0 0 1.5rem; padding-left: 1.4rem; }
nav a, nav a:visited { color: #2f6f9f; }
pre { font: 13px/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
  background: #f5f5f7; border-radius: 4px; padding: 0.8rem 1rem; overflow-x: auto; margin: 0 0 1rem; white-space: pre; }
pre .note { white-space: pre-wrap; display: inline-block; max-width: 100%; padding-left: 6ch; text-indent: -6ch; box-sizing: border-box; }
table { border-collapse: collapse; margin: 0 0 1rem; font-variant-numeric: tabular-nums; }
th, td { padding: 0.3rem 0.75rem; border-bottom: 1px solid #e6e6e6; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { font-weight: 600; border-bottom-color: #bbb; }
figure { margin: 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; display: block; }
@media print {
  body { background: #fff; }
  section { border: none; padding: 0; break-inside: avoid; }
  nav { display: none; }
}
`;

/** The report as one HTML document. */
export function htmlReport(input: ReportInput): string {
  const sections = input.sections.map(section);
  const toc = input.sections.length >= 3 ? contents(input.sections) : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing to load and nothing to run: should an escaping bug ever let markup through, no script runs and nothing is fetched.
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    `<title>${escapeHtml(input.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(input.title)}</h1>`,
    metaList(input.meta ?? []),
    toc,
    ...sections,
    '</main>',
    '</body>',
    '</html>',
  ].filter((line) => line !== '').join('\n') + '\n';
}

function section(s: ReportSection, k: number): string {
  const parts = [`<section id="section-${k + 1}">`, `<h2>${escapeHtml(s.heading)}</h2>`];
  if (s.text !== undefined) parts.push(`<pre>${preformatted(s.text)}</pre>`);
  if (s.html !== undefined) parts.push(s.html);
  if (s.svg !== undefined) parts.push(`<figure>${inlineSvg(s.svg, `s${k + 1}-`)}</figure>`);
  parts.push('</section>');
  return parts.join('\n');
}

function metaList(meta: readonly { label: string; value: string }[]): string {
  if (meta.length === 0) return '';
  const items = meta.map((m) => `<dt>${escapeHtml(m.label)}</dt><dd>${m.label === 'Command' ? `<code>${escapeHtml(m.value)}</code>` : escapeHtml(m.value)}</dd>`);
  return `<dl class="meta">\n${items.join('\n')}\n</dl>`;
}

function contents(sections: readonly ReportSection[]): string {
  const items = sections.map((s, k) => `<li><a href="#section-${k + 1}">${escapeHtml(s.heading)}</a></li>`);
  return `<nav aria-label="Contents"><ol>\n${items.join('\n')}\n</ol></nav>`;
}

/**
 * `svg` ready to inline: any XML prolog or doctype removed, and every id,
 * with the `url(#id)` and `href="#id"` references to it, prefixed by `prefix`.
 */
export function inlineSvg(svg: string, prefix: string): string {
  const body = svg.replace(/^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?/i, '');
  if (!body.startsWith('<svg')) throw new MixedModelsError('htmlReport: an svg section does not start with <svg');
  return body
    .replace(/\sid="([^"]+)"/g, (_, id: string) => ` id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${prefix}${id}"`);
}

/** Text with `& < > " '` replaced by entities and control characters made visible (escape.ts), safe in element content and quoted attributes. */
/** The report's Content-Security-Policy: its own inline style, and data: images at most. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Lines of prose longer than this wrap in a report's preformatted text (tables are narrower and keep their columns). */
const WRAP_OVER = 100;

/** Preformatted text, escaped, its long lines (notes, warnings) in spans that wrap with a hanging indent. */
function preformatted(text: string): string {
  return text.split('\n').map((line) => (line.length > WRAP_OVER ? `<span class="note">${escapeHtml(line)}</span>` : escapeHtml(line))).join('\n');
}

export function escapeHtml(text: string): string {
  return visibleControls(text, true).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
