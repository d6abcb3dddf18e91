/** Node-only: read a CSV file from disk into a DataTable, refusing what is not a regular file. */
import type { DataTable } from '../data/types.js';
import { parseCsv, type CsvOptions } from './csv.js';
import { readRegularFile } from './readFile.js';

export function readCsvFile(path: string, options: Omit<CsvOptions, 'source'> = {}): DataTable {
  return parseCsv(readRegularFile(path, 'the data file'), { ...options, source: path });
}
