/**
 * Chooses the fastest TensorFlow.js backend this machine can run, in the order GPU (tfjs-node-gpu), native CPU
 * (tfjs-node), wasm, plain JS cpu, and says why each faster one was skipped. The model code is the same on all of them.
 */
import { createRequire } from 'node:module';
import { tf } from '../tf';
import { registerConv2dBackpropFilterKernel } from './conv2dBackpropFilterKernel';
import { registerConv2dBackpropInputKernel } from './conv2dBackpropInputKernel';
import { registerAliasingIdentityKernel } from './aliasingIdentityKernel';
import { registerCopyKernels } from './copyKernels';
import { registerFusedLayerKernels } from './fusedLayerKernels';
import { chooseWasmThreadCount, describeWasmBackend, getWasmThreadCount, startWasmBackend } from './wasmThreads';

export type BackendCandidate = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

export interface BackendChoice {
  /** The candidate that was chosen. */
  candidate: BackendCandidate;
  /** The tfjs backend name now active (`tensorflow`, `wasm` or `cpu`). */
  backendName: string;
  /** Faster candidates that were tried and why each was skipped. */
  skipped: { candidate: BackendCandidate; reason: string }[];
  /** What runs the kernels, in words (wasm: "CPU, 2 threads, WebAssembly"). */
  description?: string;
}

export interface BackendOptions {
  /** Loads an optional native package by name; tests pass one that finds none. */
  requireOptional?: (name: string) => unknown;
  /** Threads of the wasm backend (default: chooseWasmThreadCount()). */
  wasmThreads?: number;
}

export const defaultBackendOrder: readonly BackendCandidate[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

const requireOptional = createRequire(import.meta.url);
let wasmKernelsReplaced = false;

/** Tries each candidate in order and activates the first that initialises. */
export async function selectBackend(
  order: readonly BackendCandidate[] = defaultBackendOrder,
  options: BackendOptions = {}
): Promise<BackendChoice> {
  const skipped: BackendChoice['skipped'] = [];
  for (const candidate of order) {
    try {
      const backendName = await activateBackend(candidate, options);
      const description = candidate === 'wasm' ? describeWasmBackend(getWasmThreadCount() ?? 1) : undefined;
      return { candidate, backendName, skipped, ...(description ? { description } : {}) };
    } catch (error) {
      skipped.push({ candidate, reason: describeError(error) });
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.map((s) => `${s.candidate}: ${s.reason}`).join('; ')}`);
}

/** Activates one candidate (throws if it cannot start) and returns the tfjs backend name. */
export async function activateBackend(candidate: BackendCandidate, options: BackendOptions = {}): Promise<string> {
  if (candidate === 'tfjs-node-gpu' || candidate === 'tfjs-node') {
    // Optional native packages: absent on most machines, so they are loaded by name at run time, never imported.
    (options.requireOptional ?? requireOptional)(`@tensorflow/${candidate}`);
    await setBackendOrThrow('tensorflow');
    return 'tensorflow';
  }
  if (candidate === 'wasm') {
    await startWasmBackend(chooseWasmThreadCount({ requested: options.wasmThreads }));
    registerConv2dBackpropFilterKernel('wasm');
    if (!wasmKernelsReplaced) {
      registerConv2dBackpropInputKernel('wasm');
      registerAliasingIdentityKernel('wasm');
      registerCopyKernels('wasm');
    }
    wasmKernelsReplaced = true;
    registerFusedLayerKernels('wasm');
    return 'wasm';
  }
  await import('@tensorflow/tfjs-backend-cpu');
  await setBackendOrThrow('cpu');
  registerFusedLayerKernels('cpu');
  return 'cpu';
}

async function setBackendOrThrow(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const firstLine = error.message.split('\n')[0] ?? '';
    return code ? `${code}: ${firstLine}` : firstLine;
  }
  return String(error);
}
