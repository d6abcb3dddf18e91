/** Rows of a DataTable as a new table (columns picked, categorical levels kept as declared). */
import type { Column, DataTable } from '../data/types.js';

export function tableRows(table: DataTable, rows: ArrayLike<number>): DataTable {
  const columns = new Map<string, Column>();
  for (const [name, c] of table.columns) {
    if (c.kind === 'numeric') columns.set(name, { kind: 'numeric', values: Float64Array.from(rows, (r) => c.values[r]) });
    else columns.set(name, { kind: 'categorical', values: Array.from(rows, (r) => c.values[r]), ...(c.levels ? { levels: c.levels } : {}) });
  }
  return { names: table.names, nrow: rows.length, columns };
}
