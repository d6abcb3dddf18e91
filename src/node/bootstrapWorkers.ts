/**
 * Node-only: the parametric bootstrap (LMM or GLMM) split across worker threads.
 *
 * Replicates 0 .. nsim-1 are cut into one contiguous range per worker; each
 * worker runs `bootstrapReplicates` on its range (bootstrapWorker.ts). Every
 * replicate has its own random stream and start (bootstrap.ts), so the result
 * is the same for any number of workers, and the same as `bootstrap()` in one
 * thread. Progress goes to stderr once the run has taken more than a second.
 *
 * Unless the number of workers is given, replicates run in this thread first,
 * in chunks of growing size; once PILOT_SECONDS have passed (the compiler has
 * warmed up: every worker warms up again), workers are started for the rest only when the last chunk's pace
 * says the rest would take more than PARALLEL_SECONDS here, as a worker costs a
 * start (loading the library again, about 0.1 s, and its own warm-up) that a
 * short run does not earn back (sleepstudy's 1000 refits take 0.2 s in one warm thread).
 */
import { availableParallelism } from 'node:os';
import type { MixedModel } from '../api/fit.js';
import { MixedModelsError } from '../errors.js';
import { bootstrapResult, bootstrapRunner, bootstrapSettings, checkBootstrapRun, type BootstrapOptions, type BootstrapResult } from '../inference/bootstrap/bootstrap.js';
import type { WorkerTask } from './bootstrapWorker.js';
import { moduleWorker } from './moduleWorker.js';

/** bootstrap()'s options, and the worker threads and progress of the parallel run. */
export interface ParallelBootstrapOptions extends BootstrapOptions {
  /** Worker threads (default: the available cores, at most one per replicate, when the timed pilot says they pay; else none). */
  workers?: number;
  /** Called with (done, total) as replicates finish; default: a progress line on stderr after one second. */
  onProgress?: (done: number, total: number) => void;
}

type WorkerMessage = { kind: 'progress'; done: number } | { kind: 'done'; replicates: Float64Array };

const QUIET_SECONDS = 1;
/**
 * In-thread run before workers are considered: the compiler's warm-up makes the
 * first replicates up to 20 times slower than later ones (sleepstudy: 7 ms, then 0.4 ms).
 */
const PILOT_SECONDS = 1;
/** Estimated time of the remaining replicates in this thread above which workers are started. */
const PARALLEL_SECONDS = 1;

/**
 * The parametric bootstrap of `bootstrap()` (the core's, one thread) with its replicates split
 * across worker threads when they pay (module comment): the same replicates, whatever the number
 * of workers. What `mixedmodels confint --method boot` runs.
 */
export async function bootstrapParallel(model: MixedModel, options: ParallelBootstrapOptions = {}): Promise<BootstrapResult> {
  const { nsim, seed, level } = bootstrapSettings(options);
  checkBootstrapRun('bootstrap()', model, nsim, level);
  if (options.workers !== undefined && !(Number.isInteger(options.workers) && options.workers >= 1)) {
    throw new MixedModelsError(`workers must be a positive whole number, not ${options.workers}`);
  }
  const report = options.onProgress ?? stderrProgress();
  // The pilot (module comment): chunks of growing size here, until done or until workers pay for the rest.
  const parts: Float64Array[] = [];
  let first = 0, workers = options.workers ?? 0;
  const started = performance.now();
  const here = options.workers === undefined ? bootstrapRunner(model, seed) : null;
  while (here !== null && first < nsim) {
    const to = Math.min(nsim, first + Math.max(10, first)), t = performance.now();
    parts.push(here(first, to));
    const perReplicate = (performance.now() - t) / 1000 / (to - first);
    first = to;
    report(first, nsim);
    const rest = nsim - first;
    if ((performance.now() - started) / 1000 >= PILOT_SECONDS && perReplicate * rest > PARALLEL_SECONDS && availableParallelism() > 1) {
      workers = Math.min(availableParallelism(), rest);
      break;
    }
  }
  const rest = nsim - first;
  const done = new Int32Array(workers);
  const ranges = rest === 0 ? [] : Array.from({ length: workers }, (_, w) => [first + Math.floor((w * rest) / workers), first + Math.floor(((w + 1) * rest) / workers)]);
  const base = { formula: model.formula, frame: model.frame, data: model.data, options: model.options };
  const plain: MixedModel = model.kind === 'lmm' ? { ...base, kind: 'lmm', fit: model.fit, coefficients: model.coefficients } : { ...base, kind: 'glmm', fit: model.fit };
  parts.push(...await Promise.all(ranges.map(([from, to], w) => runWorker({ model: plain, seed, from, to }, (d) => {
    done[w] = d;
    report(first + done.reduce((a, b) => a + b, 0), nsim);
  }))));
  report(nsim, nsim);
  const replicates = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    replicates.set(p, at);
    at += p.length;
  }
  return bootstrapResult(model, replicates, nsim, level);
}

function runWorker(task: WorkerTask, onDone: (done: number) => void): Promise<Float64Array> {
  return new Promise((resolve, reject) => {
    const worker = moduleWorker(import.meta.url, 'bootstrapWorker', task);
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
