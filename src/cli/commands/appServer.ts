/**
 * The server behind `mixedmodels app` (commands/app.ts): serves the web app
 * (the static folder `npm run build` writes to dist/app) with Node's own http
 * module, and prints the page's URL on the first line of stdout. All the
 * computation happens in the browser; the server only hands out files.
 *
 * Loopback by default; `--port 0` lets the system pick a free port. Only GET
 * and HEAD of files inside the folder are answered (no listing, no path
 * outside it). Every response carries a Content-Security-Policy that lets the
 * page reach its own origin only, so no request can leave it. The server runs
 * until SIGINT or SIGTERM, or until the process that started it is gone: npx
 * does not pass signals on, so a script that starts `npx mixedmodels app` and
 * then ends npx would otherwise leave the server running.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MixedModelsError } from '../../errors.js';
import type { CliIO } from '../modelOptions.js';

/** How often the server checks that the process that started it is still there. */
const ORPHAN_CHECK_MS = 1000;

/**
 * The page computes with WebAssembly (the linear-algebra kernel), draws inline
 * SVG and styles, starts its worker from its own origin, and fetches only the
 * bundled examples: everything else, and any request to another origin, is
 * refused. The worker's scripts (built as `assets/worker-<hash>.js`) may also
 * compile code from text: Vega, the plot renderer, compiles its expressions
 * with `new Function`.
 */
export function contentSecurityPolicy(worker: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval'${worker ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "worker-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** The built page: `dist/app` of the package this module belongs to (from src/, dist/ or the CLI bundle). */
export function appDirectory(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const app = join(dir, 'dist', 'app');
      if (!existsSync(join(app, 'index.html'))) throw new MixedModelsError(`the web app is not built (no ${join(app, 'index.html')}): run 'npm run build'`);
      return app;
    }
    if (dirname(dir) === dir) throw new MixedModelsError('cannot find the mixedmodels package folder that holds the built web app');
  }
}

/** The file under `root` that `urlPath` names, or null when it names nothing servable there. */
export function resolveFile(root: string, urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const file = resolve(root, '.' + (path.endsWith('/') ? path + 'index.html' : path));
  if (file !== root && !file.startsWith(root + sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

function headers(file: string): Record<string, string> {
  const hashed = /-[A-Za-z0-9_-]{8}\.(js|css|wasm)$/.test(file);
  return {
    'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    'Content-Security-Policy': contentSecurityPolicy(/^worker-.*\.js$/.test(basename(file))),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...extra });
  res.end(text + '\n');
}

/** The request handler: files under `root`, read whole (the largest is about a megabyte). */
export function staticHandler(root: string, loopbackOnly = false): (req: IncomingMessage, res: ServerResponse) => void {
  const base = resolve(root);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    // Served on loopback, the page is asked for by a loopback name: another Host is a page of another site
    // whose name was pointed here (DNS rebinding), and gets nothing.
    if (loopbackOnly && !isLoopback(hostName(req.headers.host))) return plain(res, 421, 'misdirected request');
    const file = resolveFile(base, req.url ?? '/');
    if (file === null) return plain(res, 404, 'not found');
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      return plain(res, 404, 'not found');
    }
    res.writeHead(200, { ...headers(file), 'Content-Length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? `port ${port} is in use (try --port 0 for a free one)` : err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' ? `no such address on this machine` : err.message;
      fail(new MixedModelsError(`cannot serve on ${host}:${port}: ${why}`));
    });
    server.listen(port, host, () => ok(server.address() as AddressInfo));
  });
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}/`;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host name of a Host header, without its port ([::1]:8080 -> ::1); '' when absent. */
function hostName(header: string | undefined): string {
  if (header === undefined) return '';
  const v6 = /^\[([^\]]*)\]/.exec(header);
  return (v6 ? v6[1] : header.replace(/:\d*$/, '')).toLowerCase();
}

/** Opens `url` in the desktop's browser; a failure is only a note. */
function openBrowser(url: string, io: CliIO): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => io.stderr(`note: could not open a browser (${cmd}); open ${url} yourself\n`));
  child.unref();
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts serving `root` on `host:port` (port 0: a free one). */
export async function startServer(root: string, port: number, host: string): Promise<RunningServer> {
  const server = createServer(staticHandler(root, isLoopback(host)));
  const url = urlOf(await listen(server, port, host));
  const close = () => new Promise<void>((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
  return { url, close };
}

/** Serves `root` until SIGINT or SIGTERM, its URL first on stdout; resolves once the server has closed. */
export async function serveApp(root: string, port: number, host: string, io: CliIO, open = false): Promise<void> {
  const server = await startServer(root, port, host);
  io.stdout(`${server.url}\n`);
  if (!isLoopback(host)) io.stderr(`note: serving on ${host}, reachable from other machines\n`);
  io.stderr('serving the mixedmodels web app; press Ctrl+C to stop\n');
  if (open) openBrowser(server.url, io);
  const parent = process.ppid;
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      clearInterval(orphaned);
      void server.close().then(done);
    };
    const orphaned = setInterval(() => process.ppid !== parent && stop(), ORPHAN_CHECK_MS);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

