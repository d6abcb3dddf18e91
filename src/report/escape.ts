/**
 * Text from the data (level names, column names, formulas) made safe for the
 * formats that interpret characters: nothing a data file holds can add markup
 * to a report, break a table or make an XML document invalid.
 *
 * - Control characters other than the tab (U+0000-U+001F, U+007F) are shown
 *   as their Unicode control pictures (U+2400-U+241F, U+2421: NUL as ␀, a
 *   newline as ␊): they are invisible or break lines, and most are not
 *   allowed in XML at all.
 * - Markdown: `& < >` become entities (so `<img ...>` in a level name is shown,
 *   not rendered), and the characters that start emphasis, code, links or
 *   headings, or that end table cells, are escaped, so the text renders as written.
 */

/** `text` with control characters (but the tab, and line breaks when kept) replaced by their visible pictures. */
export function visibleControls(text: string, keepLineBreaks = false): string {
  return text.replace(keepLineBreaks ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g : /[\u0000-\u0008\u000a-\u001f\u007f]/g, (c) => String.fromCharCode(c === '\u007f' ? 0x2421 : 0x2400 + c.charCodeAt(0)));
}

const MARKDOWN_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '|': '&#124;' };

/** A line of plain text as markdown that renders exactly as `text` reads; in a table `cell`, `|` too. */
export function markdownText(text: string, cell = false): string {
  return visibleControls(text).replace(/[\\`*_[\]~#]/g, '\\$&').replace(cell ? /[&<>|]/g : /[&<>]/g, (c) => MARKDOWN_ENTITIES[c]);
}
