/**
 * Node-only: the bytes of a file a user named, read only when it is a regular
 * file of bounded size. Devices (`/dev/zero`, `/dev/urandom`), FIFOs, sockets
 * and directories are refused before any byte is read: reading them never
 * ends or fills memory. The file is opened non-blocking (so opening a FIFO
 * cannot wait for a writer) and the check is made on the open descriptor (so
 * the file cannot be swapped between the check and the read).
 */
import { closeSync, fstatSync, openSync, readSync, constants } from 'node:fs';
import { MixedModelsError } from '../errors.js';
import { formatBytes } from '../inference/bootstrap/limits.js';

/** Largest file read whole: 2 GiB, Node's limit for one buffer read from a file. */
export const MAX_FILE_BYTES = 2 ** 31 - 1;

/** `what` names the file in messages ("the data file", "the saved model"). */
export function readRegularFile(path: string, what = 'file', maxBytes = MAX_FILE_BYTES): Uint8Array {
  const fd = openFile(path, what);
  try {
    const size = regularSize(fd, path, what);
    if (size > maxBytes) throw new MixedModelsError(`${what} '${path}' is ${formatBytes(size)}; the limit is ${formatBytes(maxBytes)}`);
    return readAll(fd, size);
  } finally {
    closeSync(fd);
  }
}

function openFile(path: string, what: string): number {
  if (typeof path !== 'string' || path === '') throw new MixedModelsError(`no ${what} given`);
  try {
    return openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new MixedModelsError(`cannot read ${what} '${path}': ${reason(err)}`);
  }
}

function regularSize(fd: number, path: string, what: string): number {
  const stat = fstatSync(fd);
  if (stat.isFile()) return stat.size;
  const kind = stat.isDirectory() ? 'a directory' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : stat.isFIFO() ? 'a pipe' : stat.isSocket() ? 'a socket' : 'not a regular file';
  throw new MixedModelsError(`cannot read ${what} '${path}': it is ${kind}, not a regular file`);
}

/** Reads `size` bytes; a file that grows while read is cut at its size when opened. */
function readAll(fd: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  while (at < size) {
    const got = readSync(fd, out, at, size - at, null);
    if (got === 0) break;
    at += got;
  }
  return at === size ? out : out.subarray(0, at);
}

/** The plain-words reason of a file-system error. */
export function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  const known: Record<string, string> = {
    ENOENT: 'no such file',
    EISDIR: 'it is a directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'a folder on the path is not a folder',
    ENAMETOOLONG: 'the name is too long',
    ELOOP: 'too many symbolic links',
    ENOSPC: 'no space left on the device',
    EROFS: 'the file system is read-only',
  };
  return (code !== undefined && known[code]) || String((err as Error)?.message ?? err);
}
