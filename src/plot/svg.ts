/**
 * Vega-Lite specification -> SVG text, headless: vega-lite compiles the
 * specification to Vega, and a Vega `View` with no renderer draws it with
 * its own SVG string renderer. No DOM or canvas is needed, so this runs the
 * same in Node and in a browser. Without a canvas, Vega estimates text widths
 * from character counts (used only for layout, e.g. label overlap).
 */
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { PlotSpec } from './types.js';

export async function toSVG(spec: PlotSpec): Promise<string> {
  const vega = compile(spec as unknown as TopLevelSpec).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
