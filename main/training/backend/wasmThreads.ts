/**
 * tfjs-backend-wasm's threaded SIMD build in plain Node (and Electron's utility process).
 *
 * tfjs turns threads off in Node (`WASM_HAS_MULTITHREAD_SUPPORT` is false there), and forcing the flag is not enough:
 * 1. emscripten starts each pthread with `new Worker(url)`, where tfjs's `locateFile` makes `url` a `blob:` URL of the
 *    worker script, and Node's worker_threads.Worker accepts only file paths and file/data URLs;
 * 2. each worker is then told to load the main script from `mainScriptUrlOrBlob`, which tfjs sets to a Blob, and the
 *    worker's Node branch can only read files;
 * 3. the C++ side caps the thread pool at `emscripten_num_logical_cores() / 2` (it assumes hyper-threads), which is
 *    `os.cpus().length / 2` in Node: 1 on a 2-core machine.
 * The shim below answers each point while the backend initialises, and nothing else: a global `Worker` class (node's
 * Worker) that runs the worker script tfjs ships (`wasm-out/…worker.js`, evaluated as code instead of through a blob)
 * and rewrites the "load" message to the main script's file in the same folder; and `os.cpus()` reporting twice the
 * wanted thread count. Both are restored when initialisation ends. The .wasm binary is the one tfjs picks itself.
 * Pthread workers never keep the process alive (the main thread only waits on them inside a kernel call).
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { Worker as NodeWorker, type TransferListItem } from 'node:worker_threads';
import { tf } from '../tf';
import { clearDerivedFilters } from './derivedFilterCache';

/** Environment variable that overrides the thread count (a positive integer). */
export const wasmThreadsVariable = 'GENSEG_WASM_THREADS';

/** The threaded build pre-creates 8 pthread workers and its C++ side caps the pool at 8. */
export const maxWasmThreads = 8;

/**
 * Threads for the wasm backend: `requested` if given, else GENSEG_WASM_THREADS, else every core but one (left for the
 * app's own process), at least 1 and at most 8.
 */
export function chooseWasmThreadCount(
  options: { requested?: number; env?: Record<string, string | undefined>; cores?: number } = {}
): number {
  const fromEnv = Number((options.env ?? process.env)[wasmThreadsVariable]);
  const cores = options.cores ?? os.availableParallelism();
  const wanted = options.requested ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : cores - 1);
  return Math.min(maxWasmThreads, Math.max(1, Math.floor(wanted)));
}

export function describeWasmBackend(threads: number): string {
  return `CPU, ${threads} thread${threads === 1 ? '' : 's'}, WebAssembly`;
}

interface WasmModuleApi {
  setThreadsCount(threads: number): void;
  getThreadsCount(): number;
}

let active: { threads: number } | null = null;

/**
 * Makes `wasm` the active tfjs backend with `threads` threads (1 = the unthreaded SIMD build) and returns the count
 * XNNPACK really uses. If wasm is already running with another count, it is removed and started again: every tensor
 * on the old backend must have been disposed by then.
 */
export async function startWasmBackend(threads: number): Promise<number> {
  const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as WasmModuleApi;
  if (active?.threads === threads && tf.findBackend('wasm')) {
    await setWasmOrThrow();
    return wasm.getThreadsCount();
  }
  if (tf.findBackend('wasm')) {
    // Derived filters live on the old backend's heap.
    clearDerivedFilters();
    const factory = tf.findBackendFactory('wasm');
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', factory, 2);
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
  wasm.setThreadsCount(threads);
  if (threads > 1) await withPthreadShim(threads, setWasmOrThrow);
  else await setWasmOrThrow();
  const actual = wasm.getThreadsCount();
  active = { threads };
  if (actual !== threads) throw new Error(`the wasm backend started ${actual} threads, not ${threads}`);
  return actual;
}

/** Threads of the running wasm backend (1 when it runs unthreaded), or null when it has not been started here. */
export function getWasmThreadCount(): number | null {
  return active?.threads ?? null;
}

async function setWasmOrThrow(): Promise<void> {
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error(`tf.setBackend('wasm') returned false`);
  await tf.ready();
}

const packageRequire = createRequire(import.meta.url);

/** Files of the threaded build that tfjs ships next to its bundles. */
function locateThreadedBuild(): { workerScript: string; mainScript: string } {
  const workerModule = packageRequire.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');
  const { wasmWorkerContents } = packageRequire(workerModule) as { wasmWorkerContents: string };
  // The contents hold "\n" escapes already turned into newlines inside string literals; tfjs escapes them back the
  // same way before making its blob.
  return {
    workerScript: wasmWorkerContents.replace(/\n/g, '\\n'),
    mainScript: packageRequire.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js')
  };
}

/** Workers created by the shim so far (tests check that threads really started). */
let pthreadWorkersCreated = 0;

export function countPthreadWorkersCreated(): number {
  return pthreadWorkersCreated;
}

/** Runs `initialise` with the global Worker and os.cpus() emscripten needs, then puts both back. */
async function withPthreadShim(threads: number, initialise: () => Promise<void>): Promise<void> {
  const { workerScript, mainScript } = locateThreadedBuild();
  class PthreadWorker extends NodeWorker {
    constructor(_blobUrl: string) {
      super(workerScript, { eval: true });
      pthreadWorkersCreated += 1;
      this.unref();
    }

    override postMessage(message: unknown, transfer?: readonly TransferListItem[]): void {
      const load = message as { cmd?: string; urlOrBlob?: unknown } | null;
      // The worker imports the main script with importScripts(path), which its Node branch reads from disk.
      const rewritten = load?.cmd === 'load' ? { ...load, urlOrBlob: mainScript } : message;
      super.postMessage(rewritten, transfer);
    }

    override ref(): void {
      // emscripten refs a worker while its pthread runs; a pthread pool's threads run forever, and would hold the
      // process open after training ends.
    }
  }
  const previousWorker = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
  // emscripten assigns worker_threads.Worker to the global before creating its pool; the setter keeps ours.
  Object.defineProperty(globalThis, 'Worker', { configurable: true, get: () => PthreadWorker, set: () => undefined });
  const cpus = os.cpus;
  const reported = cpus()[0];
  os.cpus = () => new Array<os.CpuInfo>(2 * threads).fill(reported!);
  try {
    await initialise();
  } finally {
    os.cpus = cpus;
    if (previousWorker) Object.defineProperty(globalThis, 'Worker', previousWorker);
    else delete (globalThis as { Worker?: unknown }).Worker;
  }
}
