/**
 * Node-only: the row helper of large scalar GLMMs (src/glmm/pirls/rowHelper.ts) as a worker
 * (rowWorker.ts). enableRowThread() lets PIRLS's row passes over 200,000 rows or more share
 * their rows with it (src/glmm/pirls/rowChunks.ts): the passes of glmm_binary_1e6 in about half
 * the time on two cores, the same numbers to the bit.
 * The worker starts with the first problem that large (it costs a few megabytes and a few tens
 * of milliseconds of the other core, while the first passes run here), is unreferenced, so that
 * it never keeps the process alive, and ends with it. Call before the first fit.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { setRowHelperStarter, type RowHelperTask, type RowsMessage } from '../glmm/pirls/rowHelper.js';
import { helperUnavailable } from '../threads/helperControl.js';
import { moduleWorker } from './moduleWorker.js';

/** node:worker_threads, loaded with the first worker (moduleWorker.ts). */
const requireBuiltin = createRequire(import.meta.url);

/** Starts the helper as a Node worker running rowWorker.ts; the problems' arrays go to it through a message port. */
export function startRowWorker(task: RowHelperTask): { post(message: RowsMessage): void } {
  const { MessageChannel } = requireBuiltin('node:worker_threads') as typeof import('node:worker_threads');
  const { port1, port2 } = new MessageChannel();
  const worker = moduleWorker(import.meta.url, 'rowWorker', { task, port: port2 }, [port2]);
  worker.unref();
  port1.unref();
  // A worker that fails to start leaves the passes alone (they check the state before each hand-over).
  worker.on('error', () => helperUnavailable(task.control));
  return { post: (message) => port1.postMessage(message) };
}

/**
 * Registers the row helper's starter (not with a single processor, where the threads would take
 * turns: returns whether it did). Call it before the first fit.
 */
export function enableRowThread(): boolean {
  if (availableParallelism() < 2) return false;
  setRowHelperStarter(startRowWorker);
  return true;
}
