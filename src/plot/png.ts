/**
 * SVG text -> PNG bytes with resvg (Node only: a native module). System
 * fonts are loaded so text renders; families the plots ask for that are
 * missing fall back to DejaVu Sans, which most Linux systems have.
 *
 * `@resvg/resvg-js` is an optional dependency (a native binary per platform,
 * about 5 MB), loaded on the first PNG: where it is not installed, asking for
 * a PNG is a MixedModelsError saying how to get it (or to write SVG instead).
 */
import { MixedModelsError } from '../errors.js';

type ResvgModule = typeof import('@resvg/resvg-js');

/** resvg's module from `load` (by default `import('@resvg/resvg-js')`); a clear error when it is not installed. */
export async function loadResvg(load: () => Promise<ResvgModule> = () => import('@resvg/resvg-js')): Promise<ResvgModule> {
  try {
    return await load();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new MixedModelsError('PNG output needs @resvg/resvg-js (an optional dependency that is not installed): npm install @resvg/resvg-js, or write .svg');
    }
    throw err;
  }
}

/** Renders `svg` at `scale` times its own size (default 2, for sharp text). */
export async function toPNG(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await loadResvg();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return new Uint8Array(resvg.render().asPng());
}
