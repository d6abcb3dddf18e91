/**
 * Builds the web app into dist/app: a static folder (relative URLs, so any
 * static host or sub-path serves it as is). The page's own code and Preact go
 * in one small script; the worker (the library's core) in another; the plot
 * renderer (Vega) in a chunk the worker loads on the first plot. Worker entry
 * files are named `worker-<hash>.js`: `mixedmodels app` gives them their own
 * Content-Security-Policy (Vega compiles its expressions with `new Function`).
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  worker: {
    format: 'es',
    rolldownOptions: { output: { entryFileNames: 'assets/worker-[hash].js' } },
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/app', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    // The worker's bundle is built inside the main build's transform: not a slow plugin worth a warning.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
