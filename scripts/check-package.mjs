// `npm run check:package` (and .ci/run): the package as a user gets it. Packs the built package
// (`npm run build` first; pack runs no scripts), installs the tarball into an empty project with
// `--omit=dev`, and checks: at most 40 packages and 25 MB of node_modules; `npx mixedmodels
// --version` prints package.json's version; every value export of `mixedmodels`,
// `mixedmodels/sources` and `mixedmodels/node` loads with `import` and with `require` (Node 20.19+/22.12+); a TypeScript
// file importing them type-checks with `tsc --strict` as an ES module and as CommonJS; the
// README's example data ship in the tarball. Prints the numbers; exits 1 on any failure.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAX_PACKAGES = 40;
const MAX_MB = 25;
const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};
const run = (cmd, args, cwd, env = {}) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });

if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.error('dist/index.js is missing: run `npm run build` first');
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), 'mm-package-'));
try {
  const packed = JSON.parse(run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], root))[0];
  const tarball = join(work, packed.filename);
  const files = new Set(packed.files.map((f) => f.path));
  console.log(`tarball: ${packed.filename}, ${(packed.size / 1e6).toFixed(1)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(1)} MB unpacked, ${files.size} files`);
  for (const data of ['examples/sleepstudy.csv', 'examples/archers50.csv', 'examples/cake.csv', 'examples/cbpp.csv']) check(files.has(data), `the tarball holds ${data}`);

  const project = join(work, 'project');
  run(process.execPath, ['-e', `require('fs').mkdirSync(${JSON.stringify(project)})`], work);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
  run(npm, ['install', tarball, '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], project);

  const modules = join(project, 'node_modules');
  const packages = countPackages(modules);
  const mb = folderBytes(modules) / 2 ** 20;
  console.log(`node_modules: ${packages.length} packages (${packages.join(', ')}), ${mb.toFixed(1)} MB`);
  check(packages.length <= MAX_PACKAGES, `at most ${MAX_PACKAGES} packages (${packages.length})`);
  check(mb <= MAX_MB, `at most ${MAX_MB} MB of node_modules (${mb.toFixed(1)} MB)`);

  const version = run(npm, ['exec', '--offline', '--', 'mixedmodels', '--version'], project).trim();
  check(version === pkg.version, `npx mixedmodels --version prints ${pkg.version} (${version})`);

  const names = (entry) => [...readFileSync(join(modules, 'mixedmodels', 'dist', entry), 'utf8').matchAll(/^export (?:declare )?(?:function|const|class) (\w+)/gm)].map((m) => m[1]);
  const exportsOf = (entry) => {
    const text = readFileSync(join(modules, 'mixedmodels', 'dist', entry), 'utf8');
    const listed = [...text.matchAll(/^export \{([^}]*)\} from/gm)].flatMap((m) => m[1].split(',')).map((s) => s.trim()).filter((s) => s && !s.startsWith('type '));
    return [...names(entry), ...listed.map((s) => s.split(/\s+as\s+/).pop())];
  };
  const entries = { mixedmodels: exportsOf('index.d.ts'), 'mixedmodels/sources': exportsOf('sources/index.d.ts'), 'mixedmodels/node': exportsOf('node/index.d.ts') };
  const probe = (load) => Object.entries(entries).map(([spec, list]) => `{ const m = ${load(spec)}; const missing = ${JSON.stringify(list)}.filter((n) => m[n] === undefined); if (missing.length) throw new Error(${JSON.stringify(spec)} + ' lacks ' + missing.join(', ')); }`).join('\n');
  writeFileSync(join(project, 'esm.mjs'), probe((s) => `await import(${JSON.stringify(s)})`));
  writeFileSync(join(project, 'cjs.cjs'), probe((s) => `require(${JSON.stringify(s)})`));
  const count = Object.values(entries).reduce((n, l) => n + l.length, 0);
  check(tryRun(process.execPath, ['esm.mjs'], project), `import of all ${count} value exports`);
  check(tryRun(process.execPath, ['cjs.cjs'], project), `require() of all ${count} value exports`);

  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const use = `import { lmer, parseCsv, render, type LinearMixedModel } from 'mixedmodels';\nimport { connect } from 'mixedmodels/sources';\nconst m: LinearMixedModel = lmer('y ~ x + (1 | g)', parseCsv('y,x,g\\n1,2,a'));\nconst text: string = render(m, 'text');\nexport const used = [text, connect];\n`;
  writeFileSync(join(project, 'use.ts'), use);
  writeFileSync(join(project, 'use.cts'), use);
  const tsconfig = (file) => JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext', target: 'es2022', types: [] }, files: [file] });
  writeFileSync(join(project, 'tsconfig.esm.json'), tsconfig('use.ts'));
  writeFileSync(join(project, 'tsconfig.cjs.json'), tsconfig('use.cts'));
  check(tryRun(process.execPath, [tsc, '-p', 'tsconfig.esm.json'], project), 'tsc --strict (ES module, nodenext, no skipLibCheck, no @types/node) type-checks an import');
  check(tryRun(process.execPath, [tsc, '-p', 'tsconfig.cjs.json'], project), 'tsc --strict (CommonJS .cts, nodenext) type-checks the same import');
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}

function tryRun(cmd, args, cwd) {
  try {
    run(cmd, args, cwd);
    return true;
  } catch (err) {
    console.error(`${[cmd, ...args].join(' ')}:\n${err.stdout ?? ''}${err.stderr ?? err.message}`);
    return false;
  }
}

/** Folders holding a package.json directly under node_modules (scoped and nested ones too). */
function countPackages(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (name.startsWith('@')) {
      for (const inner of readdirSync(path)) found.push(...packageAt(join(path, inner), `${name}/${inner}`));
    } else found.push(...packageAt(path, name));
  }
  return found;
}

function packageAt(path, name) {
  if (!existsSync(join(path, 'package.json'))) return [];
  const nested = join(path, 'node_modules');
  return [name, ...(existsSync(nested) ? countPackages(nested) : [])];
}

function folderBytes(dir) {
  return readdirSync(dir).reduce((sum, name) => {
    const path = join(dir, name);
    const st = statSync(path);
    return sum + (st.isDirectory() ? folderBytes(path) : st.size);
  }, 0);
}
