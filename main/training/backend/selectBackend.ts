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

export type BackendCandidate = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

export interface BackendChoice {
  /** The candidate that was chosen. */
  candidate: BackendCandidate;
  /** The tfjs backend name now active (`tensorflow`, `wasm` or `cpu`). */
  backendName: string;
  /** Faster candidates that were tried and why each was skipped. */
  skipped: { candidate: BackendCandidate; reason: string }[];
}

export const defaultBackendOrder: readonly BackendCandidate[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

const requireOptional = createRequire(import.meta.url);
let wasmKernelsReplaced = false;

/** Tries each candidate in order and activates the first that initialises. */
export async function selectBackend(order: readonly BackendCandidate[] = defaultBackendOrder): Promise<BackendChoice> {
  const skipped: BackendChoice['skipped'] = [];
  for (const candidate of order) {
    try {
      const backendName = await activateBackend(candidate);
      return { candidate, backendName, skipped };
    } catch (error) {
      skipped.push({ candidate, reason: describeError(error) });
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.map((s) => `${s.candidate}: ${s.reason}`).join('; ')}`);
}

/** Activates one candidate (throws if it cannot start) and returns the tfjs backend name. */
export async function activateBackend(candidate: BackendCandidate): Promise<string> {
  if (candidate === 'tfjs-node-gpu' || candidate === 'tfjs-node') {
    // Optional native packages: absent on most machines, so they are loaded by name at run time, never imported.
    requireOptional(`@tensorflow/${candidate}`);
    await setBackendOrThrow('tensorflow');
    return 'tensorflow';
  }
  if (candidate === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    await setBackendOrThrow('wasm');
    registerConv2dBackpropFilterKernel('wasm');
    if (!wasmKernelsReplaced) {
      registerConv2dBackpropInputKernel('wasm');
      registerAliasingIdentityKernel('wasm');
      registerCopyKernels('wasm');
    }
    wasmKernelsReplaced = true;
    return 'wasm';
  }
  await import('@tensorflow/tfjs-backend-cpu');
  await setBackendOrThrow('cpu');
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
