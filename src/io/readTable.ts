/** Node-only: read a CSV file from disk into a DataTable with a clear error for unreadable files. */
import { readFileSync } from 'node:fs';
import type { DataTable } from '../data/types.js';
import { MixedModelsError } from '../errors.js';
import { parseCsv } from './csv.js';

export function readCsvFile(path: string): DataTable {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((err as Error).message);
    throw new MixedModelsError(`cannot read '${path}': ${why}`);
  }
  return parseCsv(bytes, path);
}
