import { readFileSync } from 'node:fs';
import { toTable } from '../../src/data/table.js';
import type { DataTable } from '../../src/data/types.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);

/**
 * A fixture CSV as a DataTable: quoted fields are text, unquoted fields
 * numbers, `NA` missing (enough for the R-written fixtures; no embedded quotes or newlines).
 */
export function readFixture(name: string, factors: string[] = []): DataTable {
  const lines = readFileSync(new URL(`data/${name}.csv`, FIXTURES), 'utf8').trim().split(/\r?\n/);
  const header = splitLine(lines[0]).map((f) => f.replace(/^"|"$/g, ''));
  const columns: Record<string, (string | number | null)[]> = Object.fromEntries(header.map((h) => [h, []]));
  for (const line of lines.slice(1)) {
    splitLine(line).forEach((field, j) => columns[header[j]].push(parseField(field)));
  }
  return toTable(columns, { factors });
}

function splitLine(line: string): string[] {
  const fields: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i <= line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if ((line[i] === ',' && !quoted) || i === line.length) {
      fields.push(line.slice(start, i));
      start = i + 1;
    }
  }
  return fields;
}

function parseField(field: string): string | number | null {
  if (field === 'NA' || field === '') return null;
  if (field.startsWith('"')) return field.slice(1, -1);
  return Number(field);
}

/** A reference result (R 4.2.2, lme4 1.1-31) from test/fixtures/refs. */
export function readRef(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`refs/${name}.json`, FIXTURES), 'utf8'));
}
