// Bundles the library into dist/ (run by `npm run build`, after tsc has written the type
// declarations): dist/index.js (the core, for Node and browsers), dist/sources/index.js and dist/node/index.js (Node
// only), sharing chunks. Bundling the pure-JS code the library uses (valibot, vega and vega-lite
// for the SVG renderer) into dist keeps a production install to a few packages instead of a
// tree of small ones (the distribution functions are our own, src/distributions). The renderer
// stays a chunk of its own, loaded on the first plot. Resolution follows the browser's fields (the
// bundled modules then need nothing from Node); Node's built-ins (only src/io and src/sources
// use them, `node:` imports), the native resvg and the optional database clients stay external.
import { build } from 'esbuild';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
await build({
  entryPoints: {
    index: resolve(root, 'src/index.ts'),
    'sources/index': resolve(root, 'src/sources/index.ts'),
    // Node only; the workers' files sit next to the module that starts them (new URL('./x.js', import.meta.url)).
    'node/index': resolve(root, 'src/node/index.ts'),
    'node/denseWorker': resolve(root, 'src/node/denseWorker.ts'),
    'node/bootstrapWorker': resolve(root, 'src/node/bootstrapWorker.ts'),
    'node/rowWorker': resolve(root, 'src/node/rowWorker.ts'),
  },
  outdir: resolve(root, 'dist'),
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  define: { 'process.env.NODE_ENV': '"production"' },
  external: ['node:*', '@resvg/resvg-js', '@duckdb/node-api', 'pg', 'apache-arrow'],
  logLevel: 'warning',
});
