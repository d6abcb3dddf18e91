/**
 * Node-only: read a CSV file from disk into a DataTable, refusing what is not
 * a regular file. A `.tsv` or `.tab` file is tab-separated unless `sep` says otherwise.
 */
import type { DataTable } from '../data/types.js';
import { parseCsv, type CsvOptions } from './csv.js';
import { readRegularFile } from './readFile.js';

export function readCsvFile(path: string, options: Omit<CsvOptions, 'source'> = {}): DataTable {
  return csvFileTable(path, readRegularFile(path, 'the data file'), options);
}

/** The table in `bytes`, read from the file `path` (whose name may choose the separator). */
export function csvFileTable(path: string, bytes: Uint8Array, options: Omit<CsvOptions, 'source'> = {}): DataTable {
  const sep = options.sep ?? (/\.(tsv|tab)$/i.test(path) ? '\t' : undefined);
  return parseCsv(bytes, { ...options, sep, source: path });
}
