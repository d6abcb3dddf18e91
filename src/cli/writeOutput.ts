/** Writing a command's output file, with a file-system failure turned into a clear message. */
import { writeFileSync } from 'node:fs';
import { MixedModelsError } from '../errors.js';

/** Writes `content` to `path`, turning a file-system failure into a clear message. */
export function writeOutput(path: string, content: string | Uint8Array): void {
  try {
    writeFileSync(path, content);
  } catch (err) {
    throw new MixedModelsError(`cannot write '${path}': ${(err as Error).message}`);
  }
}
