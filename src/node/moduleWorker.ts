import { createRequire } from 'node:module';
import type { TransferListItem, Worker } from 'node:worker_threads';

/** node:worker_threads, loaded on the first worker: every command's start-up would otherwise pay for it (about 3 ms). */
const requireBuiltin = createRequire(import.meta.url);

/**
 * A worker thread running the module `name` next to the caller (`base`, the caller's
 * import.meta.url): the compiled .js file, or, when the caller runs from its TypeScript source
 * (tests, through tsx), the .ts file after registering tsx in the worker (workers do not inherit
 * tsx's loader).
 */
export function moduleWorker(base: string, name: string, workerData: unknown, transferList: readonly TransferListItem[] = []): Worker {
  const { Worker: WorkerThread } = requireBuiltin('node:worker_threads') as typeof import('node:worker_threads');
  if (!base.endsWith('.ts')) return new WorkerThread(new URL(`./${name}.js`, base), { workerData, transferList: [...transferList] });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const source = JSON.stringify(new URL(`./${name}.ts`, base).href);
  return new WorkerThread(`import(${tsx}).then((m) => { m.register(); return import(${source}); })`, { eval: true, workerData, transferList: [...transferList] });
}
