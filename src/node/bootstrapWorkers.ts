/**
 * Node-only: the parametric bootstrap (LMM or GLMM) split across worker threads.
 *
 * Replicates 0 .. nsim-1 are cut into one contiguous range per worker; each
 * worker runs `bootstrapReplicates` on its range (bootstrapWorker.ts). Every
 * replicate has its own random stream and start (bootstrap.ts), so the result
 * is the same for any number of workers, and the same as `bootstrap()` in one
 * thread. Progress goes to stderr once the run has taken more than a second.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MixedModel } from '../api/fit.js';
import { MixedModelsError } from '../errors.js';
import { bootstrapResult, bootstrapSettings, checkBootstrapRun, type BootstrapOptions, type BootstrapResult } from '../inference/bootstrap/bootstrap.js';
import type { WorkerTask } from './bootstrapWorker.js';

export interface ParallelBootstrapOptions extends BootstrapOptions {
  /** Worker threads (default: the available cores, at most one per replicate). */
  workers?: number;
  /** Called with (done, total) as replicates finish; default: a progress line on stderr after one second. */
  onProgress?: (done: number, total: number) => void;
}

type WorkerMessage = { kind: 'progress'; done: number } | { kind: 'done'; replicates: Float64Array };

const QUIET_SECONDS = 1;

export async function bootstrapParallel(model: MixedModel, options: ParallelBootstrapOptions = {}): Promise<BootstrapResult> {
  const { nsim, seed, level } = bootstrapSettings(options);
  checkBootstrapRun('bootstrap()', model, nsim, level);
  const workers = options.workers ?? Math.min(availableParallelism(), nsim);
  if (!Number.isInteger(workers) || workers < 1) throw new MixedModelsError(`workers must be a positive whole number, not ${workers}`);
  const report = options.onProgress ?? stderrProgress();
  const done = new Int32Array(workers);
  const ranges = Array.from({ length: workers }, (_, w) => [Math.floor((w * nsim) / workers), Math.floor(((w + 1) * nsim) / workers)]);
  const base = { formula: model.formula, frame: model.frame, data: model.data, options: model.options };
  const plain: MixedModel = model.kind === 'lmm' ? { ...base, kind: 'lmm', fit: model.fit, coefficients: model.coefficients } : { ...base, kind: 'glmm', fit: model.fit };
  const parts = await Promise.all(ranges.map(([from, to], w) => runWorker({ model: plain, seed, from, to }, (d) => {
    done[w] = d;
    report(done.reduce((a, b) => a + b, 0), nsim);
  })));
  report(nsim, nsim);
  const replicates = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    replicates.set(p, at);
    at += p.length;
  }
  return bootstrapResult(model, replicates, nsim, level);
}

/**
 * A worker running bootstrapWorker: the compiled .js file, or, when this module
 * runs from its TypeScript source (tests, through tsx), the .ts file after
 * registering tsx in the worker (workers do not inherit tsx's loader).
 */
function startWorker(task: WorkerTask): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./bootstrapWorker.js', import.meta.url), { workerData: task });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const source = JSON.stringify(new URL('./bootstrapWorker.ts', import.meta.url).href);
  return new Worker(`import(${tsx}).then((m) => { m.register(); return import(${source}); })`, { eval: true, workerData: task });
}

function runWorker(task: WorkerTask, onDone: (done: number) => void): Promise<Float64Array> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(task);
    let result: Float64Array | null = null;
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'progress') onDone(m.done);
      else result = m.replicates;
    });
    worker.on('error', (err) => reject(new MixedModelsError(`bootstrap worker failed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (result !== null) resolve(result);
      else reject(new MixedModelsError(`bootstrap worker stopped (exit code ${code}) before finishing`));
    });
  });
}

/** A progress line on stderr, shown only once the run has lasted QUIET_SECONDS. */
function stderrProgress(): (done: number, total: number) => void {
  const started = performance.now();
  let shown = false, last = -1;
  return (done, total) => {
    if (done === last || (!shown && performance.now() - started < QUIET_SECONDS * 1000)) return;
    shown = true;
    last = done;
    process.stderr.write(`\rbootstrap: ${done}/${total} replicates${done === total ? '\n' : ''}`);
  };
}
