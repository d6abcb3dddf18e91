// Bundles the command-line tool into dist/bundle/ (run by `npm run build`, after tsc):
//
// - program.js: the whole program (src/cli/bin.ts and what it imports) as one CommonJS script,
//   wrapped in a function of the module's variables, of `importModule` and of its own URL (for
//   import.meta.url). The launcher runs it
//   through node:vm with V8's code cache (src/cli/codeCache.ts), so that a command does not compile
//   its JavaScript again on every run. One script, not ES modules: Node 20 caches the bytecode of
//   scripts only. The commands' code is inside, each module's body run when first needed.
// - mixedmodels.cjs: the launcher (src/cli/launch.ts), the package's bin; CommonJS, so that a run
//   that imports no ES module never starts Node's ES module loader (--help: 0.164 -> 0.148 s,
//   paired A/B 0.91 against the same launcher as an ES module). mixedmodels.js, the bin's former
//   path, runs it too.
// - bootstrapWorker.js and denseWorker.js: the worker threads' entries, and plotSvg.js, the plot
//   renderer; ES modules with their shared chunks, next to program.js (moduleWorker finds the
//   workers from its import.meta.url).
//
// The database clients (@duckdb/node-api, pg, apache-arrow) and resvg (a native package) are
// optional dependencies, loaded only when needed and left outside; so is node:v8. In program.js
// their import() becomes importModule(), the launcher's import() (which also loads plotSvg.js),
// since a script run by node:vm has no import() of its own.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

// commander requires node:child_process when it loads (for executable subcommands, which this
// CLI has none of): 5 ms of every start-up, `--help` included. Its copy is a proxy that loads
// the module on first use.
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

// Node's built-in modules in the workers' ES modules are taken with require (the banner's), not
// imported: an ES import of one builds an ES module facade that reads every export, and node:fs's
// getters then load its streams (about 3 ms of every start-up).
const requiredBuiltins = {
  name: 'required-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.namespace === 'builtin' || args.namespace === 'lazy' ? undefined : { path: args.path, namespace: 'builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

// The plot renderer (src/plot/svg.ts: vega and vega-lite, 1.8 MB of the program's 3.2) is an ES
// module of its own, plotSvg.js, loaded when a plot is drawn: every run reads program.js whole.
const svgOutside = {
  name: 'svg-outside',
  setup(b) {
    const svg = resolve(root, 'src/plot/svg.js');
    b.onResolve({ filter: /svg\.js$/ }, (args) => (resolve(args.resolveDir, args.path) === svg ? { path: 'svg', namespace: 'svg-outside' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'svg-outside' }, () => ({
      contents: "export function toSVG(spec) { return importModule('./plotSvg.js').then((m) => m.toSVG(spec)); }",
      loader: 'js',
    }));
  },
};

const root = resolve(import.meta.dirname, '..');
const out = resolve(root, 'dist/bundle');
const OPTIONAL = ['@resvg/resvg-js', '@duckdb/node-api', 'pg', 'apache-arrow'];
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const program = await build({
  entryPoints: [resolve(root, 'src/cli/bin.ts')],
  write: false,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  charset: 'ascii',
  minifyWhitespace: true,
  external: OPTIONAL,
  define: { 'import.meta.url': '__mmUrl', 'import.meta.resolve': 'undefined' },
  plugins: [lazyChildProcess, svgOutside],
  logLevel: 'warning',
});
let text = program.outputFiles[0].text.replace(/^#!.*\n/, '');
// Dynamic imports of the packages left outside (and of node:v8) go through the launcher's import().
const leftOutside = new RegExp(`\\bimport\\((["'])((?:node:[a-z0-9_/]+)|${OPTIONAL.map((p) => p.replace(/[/.]/g, '\\$&')).join('|')})\\1\\)`, 'g');
text = text.replace(leftOutside, (_, q, spec) => `importModule(${q}${spec}${q})`);
const stray = /\bimport\((["'])[^"']+\1\)/.exec(text);
if (stray !== null) throw new Error(`program.js: ${stray[0]} would fail in a script run by node:vm`);
if (/[^\x00-\x7f]/.test(text)) throw new Error('program.js is not ASCII (the launcher reads it as latin1)');
const script = [
  '// The mixedmodels program, run by mixedmodels.cjs (the launcher) through node:vm: see scripts/build-cli.mjs.',
  '(function (exports, require, module, __filename, __dirname, importModule, __mmUrl) {',
  text,
  '})',
  '',
].join('\n');
writeFileSync(resolve(out, 'program.js'), script);

await build({
  entryPoints: [resolve(root, 'src/cli/launch.ts')],
  outfile: resolve(out, 'mixedmodels.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  define: { PROGRAM_ID: JSON.stringify(createHash('sha256').update(script).digest('hex').slice(0, 16)), 'import.meta.url': '__mmLauncherUrl' },
  banner: { js: "const __mmLauncherUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});

// The bin was mixedmodels.js before it was CommonJS, and npx keeps a project's own bin linked by
// that path in its cache (~/.npm/_npx): an ES module that runs the launcher keeps such links working.
writeFileSync(resolve(out, 'mixedmodels.js'), "#!/usr/bin/env node\n// The launcher's former path (see scripts/build-cli.mjs); the bin is mixedmodels.cjs.\nimport './mixedmodels.cjs';\n", { mode: 0o755 });

await build({
  entryPoints: {
    bootstrapWorker: resolve(root, 'src/node/bootstrapWorker.ts'),
    denseWorker: resolve(root, 'src/node/denseWorker.ts'),
    rowWorker: resolve(root, 'src/node/rowWorker.ts'),
    plotSvg: resolve(root, 'src/plot/svg.ts'),
  },
  outdir: out,
  entryNames: '[name]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: OPTIONAL,
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [requiredBuiltins],
  logLevel: 'warning',
});
