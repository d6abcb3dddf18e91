/**
 * Whether src/io/csv.ts reads CSV exactly as another build does (e.g. a copy of dist/index.js made
 * before a change): `node --import tsx bench/csv-same.ts --lib /tmp/before/dist/index.js [--fuzz n] [dir...]`.
 * Every .csv file under the folders (default test/fixtures/data, ../shared/data, bench/data; files
 * over 100 MB skipped) is parsed by both with a few option sets, then `n` random short inputs built
 * from CSV's awkward pieces (quotes, separators, line ends, NA, signs, exponents, hex, long
 * mantissas, decimal commas, blank lines, ragged rows). The outcomes must match: the same error
 * message, or the same names, row count, column kinds, notes, and values (Object.is on numbers).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCsv, type CsvOptions } from '../src/io/csv.js';

type Parse = (input: string | Uint8Array, options?: CsvOptions) => ReturnType<typeof parseCsv>;

const args = process.argv.slice(2);
const value = (flag: string): string | undefined => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const lib = value('--lib');
if (lib === undefined) throw new Error('give --lib <module exporting parseCsv> to compare with');
const fuzz = Number(value('--fuzz') ?? 20000);
const root = new URL('../', import.meta.url).pathname;
const dirs = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const folders = dirs.length > 0 ? dirs : [join(root, 'test/fixtures/data'), resolve(root, '../shared/data'), join(root, 'bench/data')];
const other = (await import(pathToFileURL(resolve(lib)).href)).parseCsv as Parse;

/** The outcome of a parse as comparable text: the error message, or every field with numbers spelled exactly. */
function outcome(parse: Parse, input: string | Uint8Array, options: CsvOptions): string {
  let table;
  try {
    table = parse(input, options);
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
  const parts: string[] = [JSON.stringify(table.names), String(table.nrow)];
  for (const name of table.names) {
    const column = table.columns.get(name);
    if (column === undefined) return `column ${name} missing`;
    if (column.kind === 'numeric') {
      if (column.values.length !== table.nrow) parts.push(`length ${column.values.length}`);
      parts.push(`numeric ${Array.from(column.values, (x) => (Object.is(x, -0) ? '-0' : String(x))).join(' ')}`);
    } else {
      parts.push(`categorical ${JSON.stringify(column.values)} ${column.values.length} ${column.looksNumeric ?? ''} ${JSON.stringify(column.levels)}`);
    }
  }
  return parts.join('\n');
}

const OPTIONS: CsvOptions[] = [{}, { sep: ';' }, { sep: ';', dec: ',' }, { sep: '\t' }];

function csvFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.csv')).map((n) => join(dir, n)).filter((p) => statSync(p).size <= 100e6);
}

let same = 0;
let errors = 0;
let notes = 0;
const differences: string[] = [];
function compare(what: string, input: string | Uint8Array, options: CsvOptions): void {
  const a = outcome(parseCsv, input, options);
  const b = outcome(other, input, options);
  if (a.startsWith('error')) errors++;
  if (a.includes('holds numbers')) notes++;
  if (a === b) same++;
  else differences.push(`${what} ${JSON.stringify(options)}:\n  new ${a.slice(0, 300)}\n  old ${b.slice(0, 300)}`);
}

const files = folders.flatMap(csvFiles);
for (const file of files) {
  const bytes = new Uint8Array(readFileSync(file));
  for (const options of OPTIONS) compare(file, bytes, { ...options, source: file });
}

const PIECES = ['1', '0', '-', '+', '.', ',', ';', '\t', ' ', '"', '""', '\n', '\r\n', '\r', 'NA', 'e', 'E', 'e-', '1e', 'x', 'g1', 'Inf', 'nan', 'NAN', '0x', '0x1p3', '12345678901234567', '1e400', '1e-400', '.5', '5.', '3,5', 'é', '\u00a0', '9'];

/** A deterministic pseudo-random generator (mulberry32), so a difference can be found again. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELDS = ['1', '-2.5', '0', '-0', '+7', '.5', '5.', '1e5', '1E-3', '1e', '1e+', 'Inf', '-inf', 'NaN', 'nan', '-NAN', 'NA', '"NA"', '', '""', '0x10', '0x1p3', '0x1.8p1', '0x1.8', '12345678901234567890', '0.1234567890123456789', '1e308', '1e-330', ' 3 ', '\t4', '3,5', '"3,5"', '"1"', 'a', 'g12', '"x, y"', '"two\nlines"', '"say ""hi"""', 'é', 'NAN', 'n/a', '1 2', 'a long text field of forty bytes or so', '"a long ""quoted"" field, with a comma"', '1.000000000000000000000000000001'];
const ENDS = ['\n', '\r\n', '\r'];
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
const next = random(15);

/** Random text from CSV's awkward pieces: mostly malformed. */
function pieces(): string {
  let text = `${pick(['a,b', 'a,b,c', 'a', 'a;b', '"a","b"', 'x,y'])}\n`;
  const length = Math.floor(next() * 40);
  for (let p = 0; p < length; p++) text += pick(PIECES);
  return text;
}

/** Random well-formed rows, each column drawing its fields from a few kinds, with blank lines and now and then a ragged row. */
function rows(sep: string): string {
  const ncol = 1 + Math.floor(next() * 3);
  const kinds = Array.from({ length: ncol }, () => FIELDS.slice(Math.floor(next() * 20), 20 + Math.floor(next() * 23)));
  const end = pick(ENDS);
  const lines = [Array.from({ length: ncol }, (_, c) => `c${c}`).join(sep)];
  const nrow = Math.floor(next() * 12);
  for (let r = 0; r < nrow; r++) {
    const width = next() < 0.03 ? ncol + 1 : ncol;
    lines.push(next() < 0.05 ? '' : Array.from({ length: width }, (_, c) => (next() < 0.7 ? pick(kinds[c % ncol].slice(0, 4)) : pick(kinds[c % ncol]))).join(sep));
  }
  return lines.join(end) + (next() < 0.5 ? end : '');
}

for (let k = 0; k < fuzz; k++) {
  const options = pick(OPTIONS);
  const text = k % 2 === 0 ? pieces() : rows(options.sep ?? ',');
  compare(`fuzz ${k} ${JSON.stringify(text)}`, text, options);
}

console.log(`${files.length} files (x ${OPTIONS.length} option sets) and ${fuzz} random inputs: ${differences.length === 0 ? `all ${same} identical` : `${differences.length} differ, ${same} identical`} (${errors} errors, ${notes} with a looksNumeric note)`);
for (const d of differences.slice(0, 20)) console.log(d);
process.exitCode = differences.length === 0 ? 0 : 1;
