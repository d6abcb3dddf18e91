/**
 * SVG text -> PNG bytes with resvg (Node only: a native module). System
 * fonts are loaded so text renders; families the plots ask for that are
 * missing fall back to DejaVu Sans, which most Linux systems have.
 */
import { Resvg } from '@resvg/resvg-js';

/** Renders `svg` at `scale` times its own size (default 2, for sharp text). */
export async function toPNG(svg: string, scale = 2): Promise<Uint8Array> {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return new Uint8Array(resvg.render().asPng());
}
