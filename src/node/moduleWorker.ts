import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module `name` next to the caller (`base`, the caller's
 * import.meta.url): the compiled .js file, or, when the caller runs from its TypeScript source
 * (tests, through tsx), the .ts file after registering tsx in the worker (workers do not inherit
 * tsx's loader).
 */
export function moduleWorker(base: string, name: string, workerData: unknown): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, base), { workerData });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const source = JSON.stringify(new URL(`./${name}.ts`, base).href);
  return new Worker(`import(${tsx}).then((m) => { m.register(); return import(${source}); })`, { eval: true, workerData });
}
