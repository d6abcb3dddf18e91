/**
 * A relation's rows pulled whole into a DataTable (pushdown off, and every
 * fallback): numbers as numeric columns (NULL and NaN missing), booleans as
 * the categorical TRUE/FALSE that our CSV reader gives, everything else as
 * text (NULL missing). Only the columns asked for travel.
 */
import type { Column, DataTable } from '../data/types.js';
import { MixedModelsError, closest } from '../errors.js';
import type { Dialect } from './dialect.js';
import type { ColumnInfo, Source } from './source.js';

/** A column as it is read: numbers as doubles, booleans as TRUE/FALSE, anything else as text. */
export function selectExpression(dialect: Dialect, c: ColumnInfo): string {
  const d = dialect, id = d.ident(c.name);
  if (c.kind === 'integer' || c.kind === 'float') return d.double(id);
  if (c.kind === 'boolean') return `CASE WHEN ${id} THEN 'TRUE' WHEN NOT ${id} THEN 'FALSE' END`;
  return d.text(id);
}

/** The source's columns named `names` (all when absent), checked to exist. */
async function pickColumns(source: Source, names?: readonly string[]): Promise<ColumnInfo[]> {
  const all = await source.columns();
  if (names === undefined) return all;
  return names.map((n) => {
    const c = all.find((x) => x.name === n);
    if (c) return c;
    const near = closest(n, all.map((x) => x.name));
    throw new MixedModelsError(`${source.name}: no column '${n}'${near ? ` (did you mean '${near}'?)` : ''}`);
  });
}

/** Reads a source's relation (or the named columns of it) into a DataTable, with the engine's column types. */
export async function readRelation(source: Source, names?: readonly string[]): Promise<DataTable> {
  const cols = await pickColumns(source, names);
  if (cols.length === 0) throw new MixedModelsError(`${source.name}: the data have no columns`);
  const list = cols.map((c, i) => `${selectExpression(source.dialect, c)} AS ${source.dialect.ident(`c${i}`)}`).join(', ');
  const res = await source.query(`SELECT ${list} FROM ${source.relation}`);
  source.stats.rowsScanned += res.nrow;
  const columns = new Map<string, Column>();
  cols.forEach((c, i) => {
    const v = res.columns[i];
    columns.set(c.name, v instanceof Float64Array ? { kind: 'numeric', values: v } : { kind: 'categorical', values: v });
  });
  return { names: cols.map((c) => c.name), nrow: res.nrow, columns };
}
