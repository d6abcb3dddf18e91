/**
 * The command line's standard output and error as plain writes to file descriptors 1 and 2.
 *
 * process.stdout and process.stderr are streams made on first use, and the first one loads
 * Node's stream modules: about 5 ms of every start-up (`--help` 0.144 s, with node itself
 * taking 0.103 s here), for text that a synchronous write puts out at once. Node writes to
 * files and pipes synchronously on Linux anyway, so the order and the completeness of the
 * output are those of the streams. Should a descriptor refuse a write for now (EAGAIN: a
 * non-blocking pipe or terminal that is full), the rest of the output goes through the
 * stream, which waits for it. A reader that stops early (`mixedmodels simulate ... | head`)
 * closes the pipe: the rest of the output has nowhere to go, which is not an error of this
 * program, so it ends quietly; any other failure to write leaves exit code 2.
 */
import { fstatSync, writeSync } from 'node:fs';

/** Writes text to `fd` (1 or 2) at once; the stream `stream()` takes over after an EAGAIN. */
export function directWriter(fd: 1 | 2, stream: () => NodeJS.WriteStream): (text: string) => void {
  let fallback: NodeJS.WriteStream | null = null, failed = false;
  return (text) => {
    if (failed) return;
    if (fallback !== null) {
      fallback.write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length;) {
      try {
        at += writeSync(fd, bytes, at);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          fallback = watched(stream());
          fallback.write(bytes.subarray(at));
          return;
        }
        if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
        failed = true;
        process.exitCode = 2;
        return;
      }
    }
  };
}

/** The stream with the handling of errors described above. */
function watched(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.exitCode = 2;
  });
  return stream;
}

/**
 * The width of the terminal on `fd`, or undefined when it is not one (the help's width, as
 * commander's default takes it from the stream): only a character device can be a terminal, and
 * only then is the stream made to ask.
 */
export function terminalColumns(fd: 1 | 2, stream: () => NodeJS.WriteStream): number | undefined {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return undefined;
  } catch {
    return undefined;
  }
  const s = stream();
  return s.isTTY ? s.columns : undefined;
}
