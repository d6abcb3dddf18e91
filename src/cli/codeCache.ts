/**
 * Node-only: running the bundled command-line program (one CommonJS script) from V8's code cache.
 *
 * Every command is a fresh process, and before this a short one spent a fifth of its time making
 * bytecode: parsing and compiling some 900 KB of JavaScript, module by module, then each function
 * again when first called (about 150 ms of a 0.8 s ClickHouse fit, measured with V8's function
 * events). V8 can serialise the bytecode of a script and its compiled functions (`createCachedData`)
 * and take it back on the next run instead of compiling (`cachedData`). Node 22 does this for its
 * modules on request (module.enableCompileCache); Node 20 only for scripts run through node:vm, which
 * is how the launcher (launch.ts) runs the program.
 *
 * - Where: one file per build of the program, Node version, architecture and kind of run (runKey:
 *   a fit from a CSV file and a bootstrap compile different functions, and `--help` few; V8 reads a
 *   cache whole, so each kind has its own; at most MAX_KINDS of them, the least recently used
 *   making room for a new kind), in a folder of the
 *   user's own (MIXEDMODELS_CACHE_DIR, else $XDG_CACHE_HOME/mixedmodels, else ~/.cache/mixedmodels;
 *   %LOCALAPPDATA% on Windows). Bytecode is code: a folder another user could write to would let them
 *   run theirs, so on POSIX the folder must belong to this user and be writable by no one else, or
 *   the cache is not used. MIXEDMODELS_CODE_CACHE=0 turns it off.
 * - What: V8 rejects data made by another V8 version or under other V8 flags (cachedDataRejected),
 *   and checks a checksum; it does not compare the source beyond its length, so the file name carries
 *   a hash of the script (the build id, made by the build) and a rebuilt program never meets an old cache.
 * - When it is written: at the exit of a run that succeeded (exit code 0), when its kind had none
 *   or V8 rejected it (the data then hold every function the run compiled; making them costs about
 *   15 ms, once). A file is written under a temporary name and renamed, so that concurrent runs
 *   never read half of one; writing one removes other builds' files and temporary files a day old,
 *   and, when the build has MAX_KINDS files already, the one used least recently (a file's
 *   modification time is its last use, to the hour: a run that takes one older than that touches it).
 *
 * Nothing here may fail a command: any error reading, checking or writing the cache leaves the
 * program to run compiled as usual (MIXEDMODELS_DEBUG prints why).
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** What the cache's place depends on (process.env, the platform and user; parameters for tests). */
export interface CacheHost {
  env: Record<string, string | undefined>;
  platform: string;
  home: string;
  /** The user id on POSIX, null on Windows. */
  uid: number | null;
}

export function processHost(): CacheHost {
  // $HOME is what os.homedir() returns on POSIX when it is set (node:os takes a millisecond to load).
  const home = process.platform !== 'win32' && process.env.HOME ? process.env.HOME : (createRequire(import.meta.url)('node:os') as typeof import('node:os')).homedir();
  return { env: process.env, platform: process.platform, home, uid: typeof process.getuid === 'function' ? process.getuid() : null };
}

/** The folder of the cache, or null when it is turned off. */
export function cacheDirectory(host: CacheHost): string | null {
  const { env } = host;
  if (env.MIXEDMODELS_CODE_CACHE === '0') return null;
  if (env.MIXEDMODELS_CACHE_DIR) return env.MIXEDMODELS_CACHE_DIR;
  if (host.platform === 'win32') return env.LOCALAPPDATA ? join(env.LOCALAPPDATA, 'mixedmodels', 'cache') : null;
  const base = env.XDG_CACHE_HOME || (host.home ? join(host.home, '.cache') : '');
  return base ? join(base, 'mixedmodels') : null;
}

/**
 * Creates the folder (mode 700) when missing; on POSIX, whether it belongs to the user and no one
 * else may write to it (an error says why not).
 */
export function checkDirectory(dir: string, uid: number | null): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (uid === null) return;
  const st = statSync(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a folder`);
  if (st.uid !== uid) throw new Error(`${dir} belongs to user ${st.uid}, not ${uid}`);
  if ((st.mode & 0o022) !== 0) throw new Error(`others may write to ${dir} (mode ${(st.mode & 0o777).toString(8)})`);
}

const OPTION = /^--?([A-Za-z][\w-]*)/;

/**
 * The kind of run, from the command line: the command, the kind of its first argument when it is
 * a data source (a URL scheme, else the file's extension, '-' for standard input), and the names of
 * the options given (sorted, without values). Runs of one kind compile much the same functions.
 */
export function runKey(argv: readonly string[]): string {
  const words = argv.filter((a) => !a.startsWith('-') || a === '-');
  const command = words[0] ?? '';
  const first = words[1] ?? '';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(first)?.[1];
  const kind = first === '-' ? '-' : scheme !== undefined && scheme.length > 1 ? scheme.toLowerCase() : (/\.([A-Za-z0-9]+)(?:\.gz)?$/.exec(first)?.[1] ?? '').toLowerCase();
  const options = [...new Set(argv.map((a) => OPTION.exec(a)?.[1]).filter((o): o is string => o !== undefined))].sort();
  return [command, kind, ...options].join(' ');
}

/** At most this many kinds of run have a cache of their own (about 0.8 MB each). */
export const MAX_KINDS = 32;

/** A cache file taken by a run is marked used (its modification time set to now) once it is older than this (ms). */
const TOUCH_MS = 3600 * 1000;

const NAME = /^cli-([0-9a-f]{16})-.*\.v8$/;
/** A temporary file of writeCache that a run stopped while writing left behind. */
const TEMP = /^cli-[0-9a-f]{16}-.*\.v8\.\d+\.tmp$/;

/** FNV-1a, 32 bits, in hex: a short name for a kind of run. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The cache file in `dir` of the runs of kind `key` of the script whose build id (a hash of its text) is `id`. */
export function cacheFile(dir: string, id: string, key: string): string {
  return join(dir, `cli-${id}-node${process.versions.node}-${process.arch}-${shortHash(key)}.v8`);
}

/** A file's bytes and modification time, or null when it cannot be read (or, on POSIX, is not the user's own). */
function readOwn(path: string, uid: number | null): { bytes: Buffer; mtimeMs: number } | null {
  try {
    const st = statSync(path);
    if (uid !== null && st.uid !== uid) return null;
    return { bytes: readFileSync(path), mtimeMs: st.mtimeMs };
  } catch {
    return null;
  }
}

/** What a run of the script did with the cache (for tests and MIXEDMODELS_DEBUG). */
export interface CacheUse {
  /** 'off' (no usable folder), 'none' (no cache for this kind of run yet), 'accepted', 'rejected' (by V8). */
  state: 'off' | 'none' | 'accepted' | 'rejected';
  /** Why the cache is off, when it is. */
  reason?: string;
  /** The cache file of this kind of run, when the folder is usable. */
  file: string | null;
  /** Whether the data should be written at exit: the folder is usable and none was taken. */
  write: boolean;
}

/**
 * The script `source` (build id `id`) compiled with the cache of its kind of run (`key`) in `dir`
 * when there is a usable one, and what it did.
 */
export function compileCached(source: string, id: string, filename: string, dir: string | null, key: string, uid: number | null): { script: Script; use: CacheUse } {
  let file: string | null = null, reason: string | undefined;
  if (dir === null) reason = 'turned off';
  else {
    try {
      checkDirectory(dir, uid);
      file = cacheFile(dir, id, key);
    } catch (err) {
      reason = (err as Error).message;
    }
  }
  const data = file === null ? null : readOwn(file, uid);
  const script = new Script(source, { filename, ...(data === null ? {} : { cachedData: data.bytes }) });
  const state: CacheUse['state'] = file === null ? 'off' : data === null ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
  if (state === 'accepted' && Date.now() - data!.mtimeMs > TOUCH_MS) markUsed(file!);
  return { script, use: { state, reason, file, write: file !== null && state !== 'accepted' } };
}

/** Sets a cache file's modification time to now: its last use (module comment). */
function markUsed(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // It may then make room for another kind sooner: harmless.
  }
}

/** Cache files of other builds are removed once they have not been written for this long (ms). */
const STALE_MS = 24 * 3600 * 1000;

/**
 * One pass over the folder before `file` is written: removes the cache files of other builds not
 * written for a day (a developer's earlier builds; another installed version of the package keeps
 * its files while it is in use) and temporary files as old, and makes room for `file` among build
 * `id`'s files: while there are MAX_KINDS or more besides it, the one used least recently goes.
 * A file another run removes meanwhile is skipped; an unreadable folder throws.
 */
function tidy(dir: string, id: string, file: string): void {
  const own: { path: string; used: number }[] = [];
  for (const name of readdirSync(dir)) {
    const build = NAME.exec(name)?.[1], path = join(dir, name);
    const stale = (build !== undefined && build !== id) || TEMP.test(name);
    if (!stale && (build !== id || path === file)) continue;
    try {
      const used = statSync(path).mtimeMs;
      if (!stale) own.push({ path, used });
      else if (Date.now() - used > STALE_MS) rmSync(path, { force: true });
    } catch {
      // Removed meanwhile by another run.
    }
  }
  own.sort((a, b) => a.used - b.used);
  for (let k = 0; k <= own.length - MAX_KINDS; k++) rmSync(own[k].path, { force: true });
}

/**
 * Writes the script's cache data to `file` (through a temporary file and a rename, mode 600) after
 * tidying its folder (tidy: old builds' and temporary files, and MAX_KINDS); false (and no throw)
 * when it cannot write.
 */
export function writeCache(script: Script, file: string, id: string): boolean {
  try {
    tidy(dirname(file), id, file);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    renameSync(temp, file);
    return true;
  } catch {
    return false;
  }
}
