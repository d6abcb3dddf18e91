import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { GEMM_THREADS_WASM_BASE64 } from '../../src/linalg/gemmWasm.generated.js';
import { CONTROL_LENGTH, helperEnded, helperUnavailable, kernelImports, type DenseHelperTask } from '../../src/linalg/denseHelper.js';
import { startDenseWorker } from '../../src/node/denseThread.js';

interface Memory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
/** The parts of the WebAssembly API used here (not in the project's lib). */
const WA = (globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => object;
    Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
    Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => Memory;
  };
}).WebAssembly;

// The threaded build of the module (wasm/gemm.ts with a shared memory), instantiated here directly
// so that one process can compare the kernels alone with the kernels and their helper thread.
const module = new WA.Module(Buffer.from(GEMM_THREADS_WASM_BASE64, 'base64'));

interface Kernels {
  potrf(n: number, a: number, ws: number): number;
  potri(n: number, a: number, ws: number): void;
  storage(n: number): number;
  workspace(n: number): number;
  column(n: number, j: number): number;
  symmProduct(n: number, a: number, nb: number, b: number, c: number, ws: number): void;
  symmWorkspace(n: number, nb: number): number;
}

type Env = { spawn: (...args: number[]) => number; join: () => number };

function instance(env: (memory: Memory) => Env): { k: Kernels; memory: Memory } {
  const memory = new WA.Memory({ initial: 1, maximum: 32768, shared: true });
  const k = new WA.Instance(module, { env: { memory, ...env(memory) } }).exports as unknown as Kernels;
  return { k, memory };
}

/** The lower triangles of L (potrf) and of (L L')^{-1} (potri) of a seeded SPD matrix of order n. */
function factorAndInvert({ k, memory }: ReturnType<typeof instance>, n: number): { L: Float64Array; W: Float64Array } {
  const need = (k.storage(n) + k.workspace(n)) * 8;
  if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  let s = 7;
  const f = new Float64Array(memory.buffer);
  for (let j = 0; j < n; j++) {
    const c = k.column(n, j);
    for (let i = j; i < n; i++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      f[c + i] = i === j ? n : s / 2147483648 - 0.5;
    }
  }
  const lower = (): Float64Array => {
    const g = new Float64Array(memory.buffer), out = new Float64Array((n * (n + 1)) / 2);
    let o = 0;
    for (let j = 0; j < n; j++) for (let i = j, c = k.column(n, j); i < n; i++) out[o++] = g[c + i];
    return out;
  };
  assert.equal(k.potrf(n, 0, k.storage(n) * 8), 0);
  const L = lower();
  k.potri(n, 0, k.storage(n) * 8);
  return { L, W: lower() };
}

/** C = W B (symmProduct) for the seeded symmetric W of order n and a seeded B of nb columns. */
function symmetricProduct({ k, memory }: ReturnType<typeof instance>, n: number, nb: number): Float64Array {
  const st = k.storage(n), b = st, c = b + n * nb, ws = c + n * nb, need = (ws + k.symmWorkspace(n, nb)) * 8;
  if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  const f = new Float64Array(memory.buffer);
  let s = 11;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  for (let j = 0; j < n; j++) for (let i = j, col = k.column(n, j); i < n; i++) f[col + i] = next();
  for (let e = 0; e < n * nb; e++) f[b + e] = next();
  k.symmProduct(n, 0, nb, b * 8, c * 8, ws * 8);
  return new Float64Array(memory.buffer).slice(c, c + n * nb);
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

const alone = (): Env => ({ spawn: () => 1, join: () => 0 });
const n = 600;

test('with a helper thread (a Node worker) the dense kernels share their products and give the same bits as alone', async () => {
  const want = factorAndInvert(instance(alone), n);
  const wantProduct = symmetricProduct(instance(alone), n, 100);
  const ops = new Set<number>();
  let shared = 0, starts = 0;
  const two = instance((memory) => {
    const task: DenseHelperTask = { module, memory, control: new Int32Array(new SharedArrayBuffer(CONTROL_LENGTH * 4)) };
    const env = kernelImports(task, (t) => {
      starts++;
      startDenseWorker(t);
    });
    return { spawn: (...args) => { const parts = env.spawn(...args); if (parts === 2) { shared++; ops.add(args[0]); } return parts; }, join: env.join };
  });
  // The first operation starts the worker and the kernels carry on alone until it is ready.
  for (let round = 0; round < 200 && shared === 0; round++) {
    const got = factorAndInvert(two, n);
    assert.ok(sameBits(got.L, want.L) && sameBits(got.W, want.W), `round ${round}: the same bits`);
    await sleep(25);
  }
  assert.equal(starts, 1, 'one worker started');
  assert.ok(shared > 0, 'the helper took part');
  const got = factorAndInvert(two, n);
  assert.ok(sameBits(got.L, want.L), 'potrf with the helper: the same bits');
  assert.ok(sameBits(got.W, want.W), 'potri with the helper: the same bits');
  // Satterthwaite's W B: its products and the packing of W (operation 6) shared.
  assert.ok(sameBits(symmetricProduct(two, n, 100), wantProduct), 'symmProduct with the helper: the same bits');
  assert.ok(ops.has(1) && ops.has(6), `operations handed over: ${[...ops]}`);
});

test('when the helper reports a failure the kernels compute its part themselves', () => {
  const want = factorAndInvert(instance(alone), n);
  let spawned = 0;
  const got = factorAndInvert(instance(() => ({ spawn: () => { spawned++; return 2; }, join: () => 1 })), n);
  assert.ok(spawned > 0);
  assert.ok(sameBits(got.L, want.L) && sameBits(got.W, want.W));
});

test('a helper that can never start leaves the kernels alone (spawn returns 1, nothing handed over)', () => {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_LENGTH * 4));
  let starts = 0;
  const env = kernelImports({ module, memory: {}, control }, () => {
    starts++;
    helperUnavailable(control);
  });
  const calls = [env.spawn(1, 128, 128, 64, 0, 0, 0, 0, 0, 0, 0, 1, 128, 0), env.spawn(1, 128, 128, 64, 0, 0, 0, 0, 0, 0, 0, 1, 128, 0), env.spawn(2, 128, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)];
  assert.deepEqual(calls, [1, 1, 1]);
  assert.equal(starts, 1);
  assert.equal(Atomics.load(control, 0), 0, 'no operation was handed over');
});

test('a helper thread that ends releases a kernel waiting for its part (join reports the failure) and takes no more work', () => {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_LENGTH * 4));
  const env = kernelImports({ module, memory: {}, control }, () => Atomics.store(control, 2, 1));
  assert.equal(env.spawn(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 1, 'the first call starts the helper');
  assert.equal(env.spawn(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 2, 'handed over once the helper is ready');
  helperEnded(control);
  assert.equal(env.join(), 1, 'released as failed');
  assert.equal(env.spawn(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 1, 'nothing handed over after that');
});
