/** Writing a command's output file: atomically, never over an input (io/writeFile.ts), failures as clear messages. */
import { writeFileAtomic } from '../io/writeFile.js';

/** Writes `content` to `path` atomically (a temporary file renamed over it), with a clear message on failure. */
export function writeOutput(path: string, content: string | Uint8Array): void {
  writeFileAtomic(path, content);
}
