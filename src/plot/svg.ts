/**
 * Vega-Lite specification -> SVG text, headless: vega-lite compiles the
 * specification to Vega, and a Vega `View` with no renderer draws it with
 * its own SVG string renderer. No DOM or canvas is needed, so this runs the
 * same in Node and in a browser. Without a canvas, Vega estimates text widths
 * from character counts (used only for layout, e.g. label overlap).
 *
 * Vega escapes `<`, `>` and `&` in text, but passes control characters from
 * the data (a level name with a NUL byte) into the SVG, which XML forbids:
 * the file would not open and could not be rendered to PNG. They are shown
 * as their Unicode control pictures instead (U+2400 + code; DEL as U+2421).
 */
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { PlotSpec } from './types.js';

/** The SVG text with every character XML 1.0 forbids made visible; tab, newline and carriage return are allowed. */
function xmlSafe(svg: string): string {
  return svg.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => String.fromCharCode(c === '\u007f' ? 0x2421 : 0x2400 + c.charCodeAt(0)));
}

export async function toSVG(spec: PlotSpec): Promise<string> {
  const vega = compile(spec as unknown as TopLevelSpec).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return xmlSafe(await view.toSVG());
  } finally {
    view.finalize();
  }
}
