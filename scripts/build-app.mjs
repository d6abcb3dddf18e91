// Part of `npm run build`: builds the web app (app/) with Vite into dist/app, a static folder that
// `mixedmodels app` serves and any static host can publish as is. `--out DIR` builds elsewhere
// (the browser tests build the current source into a temporary folder). Prints the files' sizes.
import { build } from 'vite';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const at = process.argv.indexOf('--out');
const outDir = at > 0 ? resolve(process.argv[at + 1]) : join(root, 'dist', 'app');
await build({ configFile: join(root, 'app', 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });

const files = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
const kb = (f) => `${(statSync(f).size / 1024).toFixed(0)} kB`;
const scripts = files(join(outDir, 'assets')).filter((f) => f.endsWith('.js')).sort((a, b) => statSync(b).size - statSync(a).size);
console.log(`web app: ${relative(root, outDir) || outDir} (${scripts.map((f) => `${relative(outDir, f)} ${kb(f)}`).join(', ')})`);
