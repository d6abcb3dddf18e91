/**
 * Node-only: writing an output file without ever losing what was there.
 *
 * - An output path that names one of the command's inputs (the same file by
 *   path, symbolic link or hard link: same device and inode) is refused
 *   before anything is computed or written.
 * - Only a new file or a regular file is replaced: devices, pipes and
 *   folders are refused (renaming over `/dev/null` would replace the device).
 * - The content goes to a temporary file in the same folder, which is then
 *   renamed over the target: a reader sees the old file or the new one,
 *   never a half-written one, and a failure leaves the old file untouched.
 */
import { accessSync, closeSync, constants, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MixedModelsError } from '../errors.js';
import { reason } from './readFile.js';

/** Refuses `output` (named by `flag`, e.g. `--save`) when it is one of `inputs` or cannot be replaced safely. */
export function checkOutputPath(output: string, flag: string, inputs: readonly (string | undefined)[]): void {
  if (typeof output !== 'string' || output === '') throw new MixedModelsError(`${flag} needs a file name`);
  const target = statOrNull(output);
  for (const input of inputs) {
    if (input === undefined) continue;
    const source = statOrNull(input);
    const same = resolve(input) === resolve(output) || (target !== null && source !== null && target.dev === source.dev && target.ino === source.ino);
    if (same) throw new MixedModelsError(`${flag} '${output}' is an input of this command: writing it would destroy it; choose another file name`);
  }
  if (target !== null && !target.isFile()) throw new MixedModelsError(`${flag} '${output}' exists and is not a regular file; choose another file name`);
  // The folder it goes in, checked now rather than after the work (the file is written through a temporary file there).
  const folder = dirname(resolveLink(output));
  const dir = statOrNull(folder);
  if (dir === null || !dir.isDirectory()) throw new MixedModelsError(`${flag} '${output}': the folder '${folder}' does not exist`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new MixedModelsError(`${flag} '${output}': the folder '${folder}' cannot be written to`);
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** Writes `content` to `path` through a temporary file renamed over it (see the module comment). */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const target = resolveLink(path);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const mode = (statOrNull(target)?.mode ?? 0o644) & 0o777;
  let fd: number | null = null;
  try {
    fd = openSync(temp, 'wx', mode);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, target);
  } catch (err) {
    if (fd !== null) closeSync(fd);
    removeQuietly(temp);
    throw new MixedModelsError(`cannot write '${path}': ${reason(err)}`);
  }
}

/** The file a path finally names (symbolic links followed, so a link stays a link), or the path itself when it does not exist yet. */
function resolveLink(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // the temporary file was never created
  }
}
