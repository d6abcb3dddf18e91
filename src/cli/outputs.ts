/**
 * The files a command writes (`--save`, `--report`, `--out`): checked before
 * any work, so that no input is overwritten and two outputs do not share a
 * name; written atomically (src/io/writeFile.ts).
 */
import { resolve } from 'node:path';
import { MixedModelsError } from '../errors.js';
import { checkOutputPath } from '../io/writeFile.js';

/** `outputs` as [flag, path] pairs (undefined paths skipped), checked against the command's `inputs`. */
export function checkOutputs(outputs: readonly [string, string | undefined][], inputs: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const [flag, path] of outputs) {
    if (path === undefined) continue;
    checkOutputPath(path, flag, inputs);
    const other = seen.get(resolve(path));
    if (other !== undefined) throw new MixedModelsError(`${other} and ${flag} name the same file '${path}': give each its own file`);
    seen.set(resolve(path), flag);
  }
}
