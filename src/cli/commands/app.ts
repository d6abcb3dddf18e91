/**
 * `mixedmodels app [--port N] [--host 127.0.0.1] [--open]`: serves the web app
 * (appServer.ts). The server's module, with Node's http and child_process, is
 * loaded only when the command runs, so that every other command starts without it.
 */
import type { Command } from 'commander';
import { MixedModelsError } from '../../errors.js';
import type { CliIO } from '../modelOptions.js';

const DEFAULT_PORT = 8090;

interface AppFlags {
  port: string;
  host: string;
  open?: boolean;
}

function portFlag(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new MixedModelsError(`--port must be a whole number from 0 to 65535 (0 picks a free port), not '${value}'`);
  return n;
}

export function registerApp(program: Command, io: CliIO): void {
  program
    .command('app')
    .description('serve the web app (load data, build and fit a model, plots and downloads, all in the browser) and print its URL')
    .option('--port <n>', 'port to listen on (0 = a free one)', String(DEFAULT_PORT))
    .option('--host <address>', 'address to listen on (loopback by default)', '127.0.0.1')
    .option('--open', 'open the page in the default browser')
    .action(async (flags: AppFlags) => {
      const port = portFlag(flags.port);
      const { appDirectory, serveApp } = await import('./appServer.js');
      await serveApp(appDirectory(), port, flags.host, io, flags.open ?? false);
    });
}
