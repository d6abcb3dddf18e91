// Bundles the command-line tool into dist/bundle/ (run by `npm run build`, after tsc).
// Loading one bundle instead of a few hundred ES modules cuts the CLI's start-up from about
// 0.3 s to 0.1 s, which matters because every command is a fresh process. The plot renderers
// stay in chunks of their own (loaded only when a plot is drawn), resvg's native package stays
// external, and the bootstrap and dense-kernel workers are entries of their own next to the chunks that start them.
// The database clients (@duckdb/node-api, pg, apache-arrow) are optional dependencies loaded
// only when a source needs one: external too.
import { build } from 'esbuild';
import { resolve } from 'node:path';

// commander requires node:child_process when it loads (for executable subcommands, which this
// CLI has none of): 5 ms of every start-up, `--help` included. Its copy is a proxy that loads
// the module on first use.
// Node's built-in modules are taken with require (the banner's), not imported: an ES import of one
// builds an ES module facade that reads every export, and node:fs's getters then load its streams
// (about 3 ms of every start-up).
const requiredBuiltins = {
  name: 'required-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.namespace === 'builtin' || args.namespace === 'lazy' ? undefined : { path: args.path, namespace: 'builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (/[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

const root = resolve(import.meta.dirname, '..');
await build({
  entryPoints: {
    mixedmodels: resolve(root, 'src/cli/bin.ts'),
    bootstrapWorker: resolve(root, 'src/node/bootstrapWorker.ts'),
    denseWorker: resolve(root, 'src/node/denseWorker.ts'),
  },
  outdir: resolve(root, 'dist/bundle'),
  entryNames: '[name]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@resvg/resvg-js', '@duckdb/node-api', 'pg', 'apache-arrow'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [lazyChildProcess, requiredBuiltins],
  logLevel: 'warning',
});
