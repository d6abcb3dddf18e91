// The README's code blocks run as tests, so the docs cannot rot. A fenced block whose info string
// is `ts`, `js`, `sh`, `python` or `r` runs; `<lang> no-run` marks one that must not (it installs,
// serves or needs a database server); other blocks (no info string: usage lines, output) are text.
// Every block runs in a fresh project folder whose node_modules/mixedmodels is this package (its
// built dist/, through its `exports`, as an installed copy is used; `npm run build` first) and
// whose node_modules/.bin has the CLI, so `npx mixedmodels` and `node_modules/mixedmodels/examples/`
// work as after `npm install mixedmodels`. `ts` blocks are also type-checked together with
// `tsc --strict`. `js` blocks that call require() run as CommonJS, others as ES modules. Python
// blocks skip without python3 (and those importing pandas without pandas); R blocks skip without
// Rscript and jsonlite: the suite never needs R.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const RUNNABLE = new Set(['ts', 'js', 'sh', 'python', 'r']);

interface Block {
  lang: string;
  code: string;
  line: number;
}

/** The fenced blocks of `markdown` that run: info string exactly one of RUNNABLE (no `no-run`). */
export function runnableBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i]);
    if (!open) continue;
    const info = open[1].trim().split(/\s+/);
    const start = i;
    while (++i < lines.length && lines[i] !== '```');
    if (RUNNABLE.has(info[0]) && info.length === 1) blocks.push({ lang: info[0], code: lines.slice(start + 1, i).join('\n') + '\n', line: start + 1 });
    else if (info[0] !== '' && !(info.length === 2 && info[1] === 'no-run' && RUNNABLE.has(info[0]))) {
      throw new Error(`README.md:${start + 1}: unknown info string '${open[1]}' (use ts, js, sh, python, r, '<lang> no-run' or none)`);
    }
  }
  return blocks;
}

function has(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** A project folder with this package installed as node_modules/mixedmodels (a link) and the CLI on its .bin. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mm-readme-'));
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  mkdirSync(join(dir, 'node_modules', '@types'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-project', private: true, type: 'module' }));
  symlinkSync(root, join(dir, 'node_modules', 'mixedmodels'), 'dir');
  symlinkSync(join(root, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'), 'dir');
  symlinkSync(join(root, 'dist', 'bundle', 'mixedmodels.cjs'), join(dir, 'node_modules', '.bin', 'mixedmodels'));
  return dir;
}

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = runnableBlocks(readme);
const built = existsSync(join(root, 'dist', 'index.js')) && existsSync(join(root, 'dist', 'bundle', 'mixedmodels.cjs'));
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs');
const pandas = has('python3', ['-c', 'import pandas']);

test('runnableBlocks(markdown) finds the runnable blocks and refuses an unknown info string', () => {
  const md = '```ts\na\n```\n```sh no-run\nb\n```\n```\nc\n```\n```python\nd\n```\n';
  assert.deepEqual(runnableBlocks(md).map((b) => [b.lang, b.code, b.line]), [['ts', 'a\n', 1], ['python', 'd\n', 10]]);
  assert.throws(() => runnableBlocks('```tsx\nx\n```\n'), /README.md:1: unknown info string 'tsx'/);
  assert.ok(blocks.length >= 12, `the README has ${blocks.length} runnable blocks`);
});

function skipReason(block: Block): string | false {
  if (!built) return 'dist is not built: run npm run build';
  if (block.lang === 'python' && !has('python3', ['--version'])) return 'python3 is not installed';
  if (block.lang === 'python' && /^import pandas|^\s*import pandas as/m.test(block.code) && !pandas) return 'pandas is not installed';
  if (block.lang === 'r' && !has('Rscript', ['-e', 'library(jsonlite)'])) return 'Rscript with jsonlite is not installed';
  return false;
}

function run(block: Block, dir: string): ReturnType<typeof spawnSync> {
  const opts = { cwd: dir, encoding: 'utf8' as const, timeout: 120000 };
  switch (block.lang) {
    case 'ts':
      writeFileSync(join(dir, 'block.ts'), block.code);
      return spawnSync(process.execPath, ['--import', tsx, 'block.ts'], opts);
    case 'js': {
      const file = /\brequire\(/.test(block.code) ? 'block.cjs' : 'block.mjs';
      writeFileSync(join(dir, file), block.code);
      return spawnSync(process.execPath, [file], opts);
    }
    case 'sh':
      return spawnSync('bash', ['-euo', 'pipefail', '-c', block.code], opts);
    case 'python':
      return spawnSync('python3', ['-c', block.code], opts);
    default:
      return spawnSync('Rscript', ['-e', block.code], opts);
  }
}

for (const block of blocks) {
  const first = block.code.split('\n').find((l) => l.trim() && !l.startsWith('import') && !l.startsWith('//'))?.trim().slice(0, 60);
  test(`README.md:${block.line} (${block.lang}) runs: ${first}`, { skip: skipReason(block) }, () => {
    const r = run(block, project());
    assert.equal(r.status, 0, `README.md:${block.line} exited ${r.status}:\n${r.stderr}\n${r.stdout}`);
  });
}

test('the README\'s ts blocks type-check with tsc --strict against the package\'s declarations', { skip: built ? false : 'dist is not built: run npm run build' }, () => {
  const dir = project();
  const files = blocks.filter((b) => b.lang === 'ts').map((b, i) => {
    writeFileSync(join(dir, `block${i}.ts`), `${b.code}export {};\n`);
    return `block${i}.ts`;
  });
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext', target: 'es2022', types: ['node'] }, files }));
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: dir, encoding: 'utf8' });
  const lines = new Map(files.map((f, i) => [f, blocks.filter((b) => b.lang === 'ts')[i].line]));
  assert.equal(r.status, 0, `tsc --strict on the README's ts blocks (${[...lines].map(([f, l]) => `${f} = README.md:${l}`).join(', ')}):\n${r.stdout}`);
});
