/**
 * Node-only worker thread of the parallel bootstrap (bootstrapWorkers.ts):
 * receives { model, seed, from, to }, runs those replicates and posts
 * { kind: 'progress', done } now and then and { kind: 'done', replicates } at
 * the end (the buffer is transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MixedModel } from '../api/fit.js';
import { bootstrapReplicates } from '../inference/bootstrap/bootstrap.js';

export interface WorkerTask {
  model: MixedModel;
  seed: number;
  from: number;
  to: number;
}

const PROGRESS_EVERY = 25;

const task = workerData as WorkerTask;
const replicates = bootstrapReplicates(task.model, task.seed, task.from, task.to, (done) => {
  if (done % PROGRESS_EVERY === 0) parentPort!.postMessage({ kind: 'progress', done });
});
parentPort!.postMessage({ kind: 'done', replicates }, [replicates.buffer as ArrayBuffer]);
